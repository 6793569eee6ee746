"""Matcher backend selection: CPython uses ``re``; Brython uses the browser's native RegExp.

A backend's ``prepare(sources, prefilters)`` returns a program whose ``run(text)`` gives, per
source, the spans ``finditer`` of that source alone would (code points). Sources that have a
prefilter (a cheap regex matching wherever the source can start) are scanned in ONE pass:
``(?=P1|P2|…)(?=(S1)|)(?=(S2)|)…`` stops only where some source may start and captures each
source's match there; keeping, per source, matches that start at or after its previous end
reproduces ``finditer`` exactly (sources never match empty text). CPython's ``re`` gains from
one pass over the terms and one over the other prefiltered sources (their own leading
lookbehinds are slow there); V8 runs
those fast alone, so the JS backend combines only sources sharing a prefilter (the terms).
"""

from __future__ import annotations

import sys

_backend = None
INVALID = ("\ufffe", "\ufeff", "\uffff")  # make a post invalid on X (twitter-text)
STRIDE = 5  # per match: start, end, match, before, after


def split_sources(sources: list[str], prefilters: list | None) -> tuple[list[int], list[list[int]]]:
    """(indices scanned alone, groups scanned in one pass each): sources sharing a prefilter
    (the terms) form one group, the other prefiltered sources another."""
    by_pre: dict = {}
    for i, p in enumerate(prefilters or []):
        if p:
            by_pre.setdefault(p, []).append(i)
    groups, rest = [], []
    for idx in by_pre.values():
        if len(idx) > 1:
            groups.append(idx)
        else:
            rest += idx
    if len(rest) > 1:
        groups.append(sorted(rest))
        rest = []
    grouped = {i for g in groups for i in g}
    return [i for i in range(len(sources)) if i not in grouped], groups


def combined_source(sources: list[str], prefilters: list, group: list[int]) -> str:
    pres = list(dict.fromkeys(prefilters[i] for i in group))
    return "(?=" + "|".join(pres) + ")" + "".join("(?=(" + sources[i] + ")|)" for i in group)


def get_backend():
    """Return the process-wide backend (``flavor`` is "py" or "js")."""
    global _backend
    if _backend is None:
        if sys.implementation.name.lower() == "brython":
            from . import backend_js

            _backend = backend_js.JSBackend()
        else:
            from . import backend_py

            _backend = backend_py.PyBackend()
    return _backend
