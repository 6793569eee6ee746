"""NUL characters are refused in every string input: JSON bodies, form fields, query strings, paths.

A NUL truncates strings in C libraries (PostgreSQL refuses them outright: a 500 there, silent
truncation elsewhere), hides text from people reading logs and the console, and has no business in a
name, an email, a password or a post. One small function per layer, so other input rules (e.g. lone
surrogates) sit beside these without touching them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from server.errors import APIError

NUL = "\x00"


def _refused(path: str) -> APIError:
    return APIError(
        "invalid_characters",
        "The request contains a NUL character (U+0000), which Herald does not accept.",
        400,
        [{"path": path, "message": "contains a NUL character"}],
    )


def refuse_nul(value: Any, path: str = "") -> None:
    """Walk a decoded JSON value; raise 400 naming the first string (or key) holding a NUL."""
    if isinstance(value, str):
        if NUL in value:
            raise _refused(path or "/")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                raise _refused(f"{path}/{key.replace(NUL, '')}")
            refuse_nul(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{path}/{index}")


def refuse_nul_in_request() -> None:
    """Before any view: the path, query string and form fields (JSON bodies: server.schemas.json_body)."""
    if NUL in request.path:
        raise _refused("path")
    for where, values in (("query", request.args), ("form", request.form)):
        for key, value in values.items(multi=True):
            if NUL in key or NUL in value:
                raise _refused(f"{where}/{key.replace(NUL, '')}")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_in_request)
