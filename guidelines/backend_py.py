"""CPython matcher backend on ``re`` (server-only; never bundled for the browser)."""

from __future__ import annotations

import re
import unicodedata

from .backend import combined_source, split_sources


class PyBackend:
    flavor = "py"

    def prepare(self, sources: list[str], prefilters: list[str | None] | None = None) -> tuple:
        """Sources with a prefilter share one pass (see ``combined_source``); others run alone."""
        singles, group = split_sources(sources, prefilters)
        combo = None
        if group:
            combo = (re.compile(combined_source(sources, prefilters, group)), group)
        return len(sources), [(i, re.compile(sources[i])) for i in singles], combo

    def run(self, program: tuple, text: str) -> list[list[int]]:
        """Per source, a flat [start, end, start, end, ...] list of code-point offsets: what
        ``finditer`` of that source alone yields."""
        n, singles, combo = program
        out: list[list[int]] = [[] for _ in range(n)]
        for i, rx in singles:
            spans = out[i]
            for m in rx.finditer(text):
                spans += m.span()
        if combo is not None:
            rx, group = combo
            outs = [out[i] for i in group]
            last = [0] * len(group)
            ks = range(len(group))
            for m in rx.finditer(text):
                regs = m.regs
                for k in ks:
                    s, e = regs[k + 1]
                    if s >= last[k]:  # -1 when this source does not match here
                        outs[k] += (s, e)
                        last[k] = e
        return out

    def text(self, text: str) -> str:
        return text

    def nfc(self, text: str) -> str:
        return unicodedata.normalize("NFC", text)
