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


def _segments(res: list, emoji_parsing: bool) -> list[tuple[int, int, int, bool]]:
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
    ents = [keyed[k] for k in sorted(keyed)]
    heavy = res[2]  # records: start at hi, end at hi + 1
    nh = len(heavy)
    hi = 0
    pos = 0
    out = []
    last_end = 0

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

    for s, e, w in ents:
        if s < last_end:
            continue
        gap(pos, s)
        out.append((s, e, w, True))
        pos = last_end = e
    gap(pos, res[-1][0])
    return out


def segments(text: str, emoji_parsing: bool = True):
    """(start, end, weight_per_unit, atomic) covering ``text`` (already normalised)."""
    return _segments(_run(text, False), emoji_parsing)


_last_scan: tuple = (None, None, None, None)  # (backend, text, emoji_parsing, result)


def _scan(text: str, emoji_parsing: bool) -> tuple:
    """(n_norm, n_text, invalid, segments) of the NFC scan, remembered for the last text: one
    check asks for the same text's weighted length twice (the limit rule's exceed_at, then the
    counter), and under Brython each scan of a 3,000-character post costs milliseconds."""
    global _last_scan
    be = get_backend()
    last = _last_scan  # one read: server threads may replace it meanwhile (a whole tuple)
    if last[0] is be and last[1] == text and last[2] == emoji_parsing:
        return last[3]
    res = _run(text, True)  # scans the NFC form
    n_norm, n_text, invalid = res[-1]
    found = (n_norm, n_text, invalid, _segments(res, emoji_parsing))
    _last_scan = (be, text, emoji_parsing, found)
    return found


def parse_x(text: str, emoji_parsing: bool = True, max_length: int = MAX_WEIGHTED_LENGTH) -> dict:
    """twitter-text's parseTweet essentials: weightedLength, valid, permillage, exceed_at.

    ``exceed_at`` is the code-point offset in ``text`` of the first character past the limit
    (None when within it).
    """
    n_norm, n_text, invalid, segs = _scan(text, emoji_parsing)
    total = 0
    exceed = None
    for s, e, w, atomic in segs:
        add = w if atomic else w * (e - s)
        if exceed is None and total + add > max_length:
            exceed = s if atomic else s + (max_length - total) // w
        total += add
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
