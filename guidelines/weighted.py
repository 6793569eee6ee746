"""X (twitter-text v3) weighted length, on regex spans so the browser runs it natively.

Config v3 embedded: scale 100, defaultWeight 200, light ranges 0-4351, 8192-8205, 8208-8223,
8242-8247 (weight 100), transformedURLLength 23, emojiParsingEnabled true, max 280. Text is
NFC-normalised first. Offsets are code points; an astral code point weighs 2 exactly as
twitter-text's UTF-16 loop does.
"""

from __future__ import annotations

from . import validators
from ._builtin import PATTERNS
from .backend import STRIDE, get_backend

MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23
EMOJI_WEIGHT = 2
_NAMES = ("url", "emoji", "heavy")
_program = None


def _run(text: str, nfc: bool) -> list:
    global _program
    be = get_backend()
    if _program is None:
        f = be.flavor
        pre = [PATTERNS["pre:url"][f], PATTERNS["emoji"][f], None]  # heavy runs: alone
        _program = be.prepare([PATTERNS[n][f] for n in _NAMES], pre)
    return be.run(_program, text, nfc)


def _entities(res: list, emoji_parsing: bool) -> list[tuple[int, int, int]]:
    """URLs and emoji as (start, end, weight), sorted; an entity overlapping an earlier one is
    dropped (as twitter-text does)."""
    u = res[0]
    span = res[-1][0] + 1
    keyed = {}  # (start, end, weight) as one number: tuple sorting is slow in Brython
    for j in range(0, len(u), STRIDE):
        n = validators.url(u[j + 2], u[j + 3], u[j + 4])
        if n is not None:
            keyed[((u[j] * span + u[j] + n) * 32) + URL_WEIGHT] = (u[j], u[j] + n, URL_WEIGHT)
    if emoji_parsing:
        em = res[1]
        for j in range(0, len(em), STRIDE):
            keyed[((em[j] * span + em[j + 1]) * 32) + EMOJI_WEIGHT] = (
                em[j],
                em[j + 1],
                EMOJI_WEIGHT,
            )
    kept = []
    last_end = 0
    for k in sorted(keyed):
        ent = keyed[k]
        if ent[0] >= last_end:
            kept.append(ent)
            last_end = ent[1]
    return kept


def _segments(res: list, emoji_parsing: bool) -> list[tuple[int, int, int, bool]]:
    heavy = res[2]  # records: start at hi, end at hi + 1
    nh = len(heavy)
    hi = 0
    pos = 0
    out = []

    def gap(a: int, b: int) -> None:
        nonlocal hi
        while a < b:
            while hi < nh and heavy[hi + 1] <= a:
                hi += STRIDE
            if hi < nh and heavy[hi] <= a:
                e = min(b, heavy[hi + 1])
                out.append((a, e, 2, False))
            else:
                e = min(b, heavy[hi]) if hi < nh else b
                out.append((a, e, 1, False))
            a = e

    for s, e, w in _entities(res, emoji_parsing):
        gap(pos, s)
        out.append((s, e, w, True))
        pos = e
    gap(pos, res[-1][0])
    return out


def _weight(n: int, ents: list, heavy: list) -> int:
    """Weighted length without listing segments: every code point weighs 1, a heavy one 2,
    and each entity its own weight instead of its code points'. Under Brython, walking the
    segments of a 3,000-character post cost more than the rest of its check."""
    total = n
    for j in range(0, len(heavy), STRIDE):
        total += heavy[j + 1] - heavy[j]
    nh = len(heavy)
    hi = 0
    for s, e, w in ents:
        total += w - (e - s)
        while hi < nh and heavy[hi + 1] <= s:
            hi += STRIDE
        k = hi
        while k < nh and heavy[k] < e:
            total -= min(e, heavy[k + 1]) - max(s, heavy[k])
            k += STRIDE
    return total


def _exceed_at(n: int, ents: list, heavy: list, max_length: int) -> int | None:
    """Code point where the weight first passes `max_length`: the segments walked in order,
    stopping there (around the 280th character, not at the end of a long post)."""
    total = 0
    pos = 0
    hi = 0
    nh = len(heavy)
    for s, e, w in [*ents, (n, n, 0)]:
        a = pos
        while a < s:
            while hi < nh and heavy[hi + 1] <= a:
                hi += STRIDE
            if hi < nh and heavy[hi] <= a:
                b, unit = min(s, heavy[hi + 1]), 2
            else:
                b, unit = (min(s, heavy[hi]) if hi < nh else s), 1
            if total + unit * (b - a) > max_length:
                return a + (max_length - total) // unit
            total += unit * (b - a)
            a = b
        if e > s:
            if total + w > max_length:
                return s
            total += w
        pos = e
    return None


def segments(text: str, emoji_parsing: bool = True):
    """(start, end, weight_per_unit, atomic) covering ``text`` (already normalised)."""
    return _segments(_run(text, False), emoji_parsing)


_last_scan: tuple = (None, None, None, None)  # (backend, text, emoji_parsing, result)
_last_weight: tuple = (None, 0)  # (a result of _scan, its weighted length)


def _scan(text: str, emoji_parsing: bool) -> tuple:
    """(n_norm, n_text, invalid, entities, heavy runs) of the NFC scan, remembered for the
    last text: one check asks for the same text's weighted length twice (the limit rule's
    exceed_at, then the counter), and under Brython each scan of a 3,000-character post costs
    milliseconds."""
    global _last_scan
    be = get_backend()
    last = _last_scan  # one read: server threads may replace it meanwhile (a whole tuple)
    if last[0] is be and last[1] == text and last[2] == emoji_parsing:
        return last[3]
    res = _run(text, True)  # scans the NFC form
    sizes = res[-1]  # indexed, not unpacked: unpacking a JS array raises StopIteration in Brython
    found = (sizes[0], sizes[1], sizes[2], _entities(res, emoji_parsing), res[2])
    _last_scan = (be, text, emoji_parsing, found)
    return found


def parse_x(text: str, emoji_parsing: bool = True, max_length: int = MAX_WEIGHTED_LENGTH) -> dict:
    """twitter-text's parseTweet essentials: weightedLength, valid, permillage, exceed_at.

    ``exceed_at`` is the code-point offset in ``text`` of the first character past the limit
    (None when within it).
    """
    global _last_weight
    found = _scan(text, emoji_parsing)
    n_norm, n_text, invalid, ents, heavy = found
    last = _last_weight
    if last[0] is found:  # the same scan: its weight too (the counter asks after the check)
        total = last[1]
    else:
        total = _weight(n_norm, ents, heavy)
        _last_weight = (found, total)
    exceed = _exceed_at(n_norm, ents, heavy, max_length) if total > max_length else None
    if exceed is not None and n_norm != n_text:
        exceed = min(n_text, max(0, exceed + n_text - n_norm))
    valid = 0 < total <= max_length and not invalid
    return {
        "weightedLength": total,
        "valid": valid,
        "permillage": (total * 1000) // max_length,
        "exceed_at": exceed,
    }


def x_weighted_length(text: str, emoji_parsing: bool = True) -> int:
    """Weighted length of a post on X (twitter-text v3 config)."""
    return parse_x(text, emoji_parsing)["weightedLength"]
