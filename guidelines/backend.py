"""Matcher backend selection: CPython uses ``re``; Brython uses the browser's native RegExp."""

from __future__ import annotations

import sys

_backend = None


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
