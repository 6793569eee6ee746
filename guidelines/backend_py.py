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
        if op in _ZERO_WIDTH:
            continue
        if not growing:
            break
        step = _item_prefixes(op, av, depth)
        nxt = set()
        for p in growing:
            for t, whole in step:
                q = (p + t)[:depth]
                (nxt if whole and len(q) < depth else done).add(q)
        growing = nxt
        if len(done) + len(growing) > _PREFIX_LIMIT:
            raise _Unlisted
    return [(p, False) for p in done] + [(p, True) for p in growing]


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
        if not prefixes or () in prefixes:
            return None
        trie: dict = {}
        for p in sorted(prefixes, key=len):  # a shorter prefix already covers its extensions
            node: dict | None = trie
            for cs in p[:-1]:
                node = node.setdefault(cs, {})
                if node is None:
                    break
            else:
                node[p[-1]] = None
        if len(trie) == 1:
            return _emit_trie(trie)
        # one class test first: ``re`` tries the trie's branches one after another
        first = _charset([(_sre.RANGE, r) for cs in trie for r in cs])
        return f"(?={_class(first)})(?:{_emit_trie(trie)})"
    return None
