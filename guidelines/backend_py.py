"""CPython matcher backend on ``re`` (server-only; never bundled for the browser)."""

from __future__ import annotations

import re
import unicodedata
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

from .backend import INVALID, combined_source, split_sources

_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = tuple(
    op
    for op in (
        _sre.MAX_REPEAT,
        _sre.MIN_REPEAT,
        getattr(_sre, "POSSESSIVE_REPEAT", None),
    )
    if op is not None
)
PREFIX_DEPTH = 3  # characters a derived prefilter looks at
_PREFIX_LIMIT = 256  # distinct prefixes before a shallower prefilter is tried


class PyBackend:
    flavor = "py"

    def prepare(
        self,
        sources: list[str],
        prefilters: list[str | None] | None = None,
        derive: bool = True,
    ) -> tuple:
        """Sources with a prefilter share one pass (see ``combined_source``). A source without
        one that ``re`` would try at every position gets a derived prefilter (``derived_prefilter``)
        and a pass of its own; the rest run alone. ``derive=False`` runs them as written."""
        prefilters = list(prefilters or [None] * len(sources))
        singles, groups = split_sources(sources, prefilters)
        combos = [(re.compile(combined_source(sources, prefilters, g)), g) for g in groups]
        alone = []
        for i in singles:
            pre = derived_prefilter(sources[i]) if derive and not prefilters[i] else None
            if pre:
                own = [pre if k == i else None for k in range(len(sources))]
                combos.append((re.compile(combined_source(sources, own, [i])), [i]))
            else:
                alone.append((i, re.compile(sources[i])))
        return len(sources), alone, combos

    def run(self, program: tuple, text: str, nfc: bool = False) -> list[list]:
        """Per source, what ``finditer`` of that source alone finds, as flat records
        ``[start, end, match, before, after, ...]`` (code points; ``before``/``after``: up to 4
        code points around the match); then ``[len(scanned), len(text), has_invalid]``.
        With ``nfc`` the NFC form of ``text`` is scanned."""
        n, singles, combos = program
        orig = len(text)
        if nfc:
            text = unicodedata.normalize("NFC", text)
        out: list[list] = [[] for _ in range(n)]
        for i, rx in singles:
            recs = out[i]
            for m in rx.finditer(text):
                s, e = m.span()
                recs += (s, e, m.group(), text[max(0, s - 4) : s], text[e : e + 4])
        for rx, group in combos:
            outs = [out[i] for i in group]
            last = [0] * len(group)
            ks = range(len(group))
            for m in rx.finditer(text):
                regs = m.regs
                for k in ks:
                    s, e = regs[k + 1]
                    if s >= last[k]:  # -1 when this source does not match here
                        outs[k] += (s, e, text[s:e], text[max(0, s - 4) : s], text[e : e + 4])
                        last[k] = e
        out.append([len(text), orig, any(c in text for c in INVALID)])
        return out

    def slice(self, text: str, start: int, end: int) -> str:
        return text[start:end]

    def nfc(self, text: str) -> str:
        return unicodedata.normalize("NFC", text)


# --- derived prefilters -------------------------------------------------------------------------
# A pattern rule such as forward-looking-claims is an alternation whose branches each open with
# \b (emitted as lookarounds over the Unicode word class): ``re`` has no first character to skip
# ahead to, so it runs every branch's lookarounds at every position (~1 ms per post). Its first
# few characters are known, though: a trie of them, checked as a lookahead before the pattern,
# lets ``re`` skip almost every position at the cost of a few class tests. Each prefix is what
# any match must start with (zero-width parts dropped, the walk stopping wherever it cannot
# list the characters), so the pass behind it finds exactly what the pattern alone finds.


class _Unlisted(Exception):
    """More prefixes than worth a trie."""


def _charset(items: list) -> tuple | None:
    """A class as sorted, merged code-point ranges; None when it holds a category or negation."""
    ranges = []
    for op, av in items:
        if op is _sre.LITERAL:
            ranges.append((av, av))
        elif op is _sre.RANGE:
            ranges.append((av[0], av[1]))
        else:
            return None
    ranges.sort()
    merged: list[list[int]] = []
    for a, b in ranges:
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


_B = "\\b"  # leads a prefix when a word boundary comes before its first character


def _word_class(sub) -> bool:
    """A class holding \\w (and maybe more, e.g. marks), not negated."""
    data = list(sub.data) if hasattr(sub, "data") else list(sub)
    return (
        len(data) == 1
        and data[0][0] is _sre.IN
        and (_sre.CATEGORY, _sre.CATEGORY_WORD) in data[0][1]
        and not any(op is _sre.NEGATE for op, _ in data[0][1])
    )


def _is_boundary(av) -> bool:
    """The guidelines' \\b: (?:(?<=W)(?!W)|(?<!W)(?=W)) with W a class holding \\w. Before a
    character of \\w it means: the character before is not in W, hence not in \\w, which is
    ``re``'s own (fast) \\b there."""
    alts = av[1]
    if len(alts) != 2:
        return False
    shapes = set()
    for alt in alts:
        data = list(alt.data) if hasattr(alt, "data") else list(alt)
        if len(data) != 2:
            return False
        (o1, a1), (o2, a2) = data
        if o1 not in (_sre.ASSERT, _sre.ASSERT_NOT) or o2 not in (_sre.ASSERT, _sre.ASSERT_NOT):
            return False
        if a1[0] != -1 or a2[0] != 1 or not _word_class(a1[1]) or not _word_class(a2[1]):
            return False
        shapes.add((o1 is _sre.ASSERT, o2 is _sre.ASSERT))
    return shapes == {(True, False), (False, True)}


def _chars(p: tuple) -> int:
    return len(p) - (1 if p and p[0] == _B else 0)


def _join(p: tuple, t: tuple, depth: int) -> tuple:
    """Prefix p followed by t, cut to depth characters (a boundary counts only before any)."""
    if t and t[0] == _B:
        t = t[1:] if _chars(p) or p == (_B,) else t
    q = p + t
    return q[: depth + (1 if q and q[0] == _B else 0)]


def _item_prefixes(op, av, depth: int) -> list[tuple[tuple, bool]]:
    """(prefix, whole item consumed) pairs: every way the item can start."""
    if op is _sre.LITERAL:
        return [((((av, av),),), True)]
    if op is _sre.IN:
        cs = _charset(av)
        return [((cs,), True)] if cs else [((), False)]
    if op is _sre.SUBPATTERN:
        return _seq_prefixes(av[-1], depth)
    if op is _sre.BRANCH:
        if _is_boundary(av):
            return [((_B,), True)]
        return [p for branch in av[1] for p in _seq_prefixes(branch, depth)]
    if op in _REPEATS:
        lo, _, inner = av
        once = [(p, False) for p, _ in _seq_prefixes(inner, depth)]
        return once + [((), True)] if lo == 0 else once
    return [((), False)]  # any character, a negated literal, ...: the prefix stops here


def _seq_prefixes(items, depth: int) -> list[tuple[tuple, bool]]:
    done: set = set()
    growing: set = {()}
    for op, av in items:
        if op is _sre.ASSERT_NOT and av[0] == -1 and _word_class(av[1]):
            # The guidelines' \b before a word character, compiled as one lookbehind
            # ``(?<![W])``: the character before is not in W, hence not in \w, which is ``re``'s
            # own \b there (a weaker condition, so the prefilter still finds every match).
            step = [((_B,), True)]
        elif op in _ZERO_WIDTH:
            continue
        else:
            step = _item_prefixes(op, av, depth)
        if not growing:
            break
        nxt = set()
        for p in growing:
            for t, whole in step:
                q = _join(p, t, depth)
                (nxt if whole and _chars(q) < depth else done).add(q)
        growing = nxt
        if len(done) + len(growing) > _PREFIX_LIMIT:
            raise _Unlisted
    return [(p, False) for p in done] + [(p, True) for p in growing]


def _all_word(cs: tuple) -> bool:
    """Every character of the class is in ``re``'s \\w (letters, digits, _; not marks)."""
    if sum(b - a + 1 for a, b in cs) > 5000:
        return False
    return all(chr(c).isalnum() or c == 95 for a, b in cs for c in range(a, b + 1))


def _trie(prefixes) -> dict:
    trie: dict = {}
    for p in sorted(prefixes, key=len):  # a shorter prefix already covers its extensions
        node: dict | None = trie
        for cs in p[:-1]:
            node = node.setdefault(cs, {})
            if node is None:
                break
        else:
            node[p[-1]] = None
    return trie


def _char(cp: int) -> str:
    return chr(cp) if chr(cp).isascii() and chr(cp).isalnum() else f"\\U{cp:08x}"


def _class(cs: tuple) -> str:
    if len(cs) == 1 and cs[0][0] == cs[0][1]:
        return _char(cs[0][0])
    return "[" + "".join(_char(a) + ("" if a == b else "-" + _char(b)) for a, b in cs) + "]"


def _emit_trie(trie: dict) -> str:
    alts = []
    for cs in sorted(trie):
        sub = trie[cs]
        body = _emit_trie(sub) if sub else ""
        alts.append(_class(cs) + (f"(?:{body})" if "|" in body else body))
    return "|".join(alts)


def derived_prefilter(source: str, depth: int = PREFIX_DEPTH) -> str | None:
    """A regex matching (at least) wherever ``source`` can match, on its first characters; None
    when ``re`` already skips ahead (the source opens with a character or class) or when its
    first character cannot be listed (e.g. ``.``, ``\\w``)."""
    try:
        tree = _sre_parse.parse(source)
    except re.error:
        return None
    if tree.state.flags & (re.IGNORECASE | re.LOCALE) or not tree.data:
        return None
    if tree.data[0][0] in (_sre.LITERAL, _sre.IN):
        return None
    for d in range(depth, 0, -1):
        try:
            prefixes = {p for p, _ in _seq_prefixes(tree.data, d)}
        except _Unlisted:
            continue
        if not prefixes or any(_chars(p) == 0 for p in prefixes):
            return None
        at_word = {p[1:] for p in prefixes if p[0] == _B and _all_word(p[1])}
        anywhere = {p[1:] if p[0] == _B else p for p in prefixes} - at_word
        alts = []
        tries = [_trie(at_word), _trie(anywhere)]
        if at_word:
            alts.append(f"\\b(?:{_emit_trie(tries[0])})")
        if anywhere:
            alts.append(_emit_trie(tries[1]))
        body = "|".join(alts)
        if len(tries[0]) + len(tries[1]) == 1:
            return body
        # one class test first: ``re`` tries the alternatives one after another
        first = _charset([(_sre.RANGE, r) for p in at_word | anywhere for r in p[0]])
        return f"(?={_class(first)})(?:{body})"
    return None
