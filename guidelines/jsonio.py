"""JSON without Brython's ``json`` package (it imports the slow ``re``): use ``_json`` there."""

from __future__ import annotations

import sys

if sys.implementation.name.lower() == "brython":
    import _json

    def loads(text: str):
        return _json.loads(text)

    def dumps(obj) -> str:
        return _json.dumps(obj)

else:
    import json

    def loads(text: str):
        return json.loads(text)

    def dumps(obj) -> str:
        return json.dumps(obj, ensure_ascii=False)
