"""CPython matcher backend on ``re`` (server-only; never bundled for the browser)."""

from __future__ import annotations

import re
import unicodedata

from .backend import INVALID, combined_source, split_sources


class PyBackend:
    flavor = "py"

    def prepare(self, sources: list[str], prefilters: list[str | None] | None = None) -> tuple:
        """Sources with a prefilter share one pass (see ``combined_source``); others run alone."""
        singles, groups = split_sources(sources, prefilters)
        combos = [(re.compile(combined_source(sources, prefilters, g)), g) for g in groups]
        return len(sources), [(i, re.compile(sources[i])) for i in singles], combos

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
