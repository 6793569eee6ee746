"""CPython matcher backend on ``re`` (server-only; never bundled for the browser)."""

from __future__ import annotations

import re
import unicodedata


class PyBackend:
    flavor = "py"

    def prepare(self, sources: list[str]) -> list[re.Pattern]:
        return [re.compile(s) for s in sources]

    def run(self, program: list[re.Pattern], text: str) -> list[list[int]]:
        """Per pattern, a flat [start, end, start, end, ...] list of code-point offsets."""
        out = []
        for rx in program:
            spans: list[int] = []
            for m in rx.finditer(text):
                spans.append(m.start())
                spans.append(m.end())
            out.append(spans)
        return out

    def text(self, text: str) -> str:
        return text

    def nfc(self, text: str) -> str:
        return unicodedata.normalize("NFC", text)
