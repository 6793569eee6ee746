"""Herald guidelines: what a social-media post breaks, identically in CPython and Brython.

Browser-safe imports only here; the compiler (``re``, ``jsonschema``) loads lazily on CPython.
"""

from __future__ import annotations

from .check import check, normalize_term, post_length
from .weighted import parse_x, segments, x_weighted_length

__all__ = [
    "PolicyError",
    "ExampleError",
    "check",
    "compile_policy",
    "load_starter_policy",
    "normalize_term",
    "parse_x",
    "post_length",
    "segments",
    "x_weighted_length",
]


def compile_policy(doc: dict, run_examples: bool = True) -> dict:
    """Validate and compile a policy document (CPython only); raises PolicyError."""
    from .compiler import compile_policy as _compile

    return _compile(doc, run_examples)


def load_starter_policy() -> dict:
    """The bundled starter policy document (CPython only)."""
    import json
    from pathlib import Path

    return json.loads(Path(__file__).with_name("starter_policy.json").read_text("utf-8"))


def __getattr__(name: str):
    if name in ("PolicyError", "ExampleError"):
        from . import compiler

        return getattr(compiler, name)
    raise AttributeError(name)
