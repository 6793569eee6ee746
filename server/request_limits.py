"""What a request may weigh before Herald reads it, and what a JSON body may look like once decoded.

One anonymous 150 MB POST used to raise a worker from 41 to 679 MB, and JSON nested 1,000 levels
deep crashed the decoder (a 500) on anonymous routes. Bodies are now refused from their
Content-Length before a byte is read, with a ceiling per route class; JSON deeper than
MAX_JSON_DEPTH is refused once decoded; text that is not valid Unicode (a lone surrogate such
as "\\ud800", which JSON can spell but no database can store) is refused by `text_problems`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from server.errors import APIError

KIB = 1024
MIB = 1024 * KIB

# Route classes, by the largest body each legitimately needs.
BODY_LIMITS = {
    "auth": 16 * KIB,  # an email and a password, a token
    "default": 1 * MIB,  # a snippet, a guideline rule, a console form
    "shares": 8 * MIB,  # 500 share events with their findings
    "import": 16 * MIB,  # the console's CSV invitations (20,000 rows)
}
ROUTE_CLASSES = {
    "auth.login": "auth",
    "auth.refresh": "auth",
    "auth.logout": "auth",
    "invitations.accept": "auth",
    "admin.sign_in": "auth",
    "invite.accept": "auth",
    "shares.ingest": "shares",
    "admin.import_csv": "import",
}
# The largest integer a column takes: PostgreSQL `integer` (what peewee's IntegerField and ids
# are there). Request schemas say "maximum": 2147483647; query and form parsing use this.
MAX_INT = 2_147_483_647
MAX_JSON_DEPTH = 32  # the deepest body Herald takes (a guideline rule) is under 10


_PLAIN_DIGITS = re.compile(r"[0-9]{1,10}")


def strict_int(raw: str | None, lo: int = 0, hi: int = MAX_INT) -> int | None:
    """A whole number typed in ASCII digits within [lo, hi], or None.

    Not `str.isdigit()` / `int()`: those take "¹", "١٢" or "1_000", and any size, and a number
    past the database's integer range crashed the query (a 500) instead of being refused.
    """
    if raw is None:
        return None
    raw = raw.strip()
    if not _PLAIN_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` in URLs: an id past the database's range is a 404 like any unknown id."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (Werkzeug's signature)
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def body_limit(endpoint: str | None) -> int:
    return BODY_LIMITS[ROUTE_CLASSES.get(endpoint or "", "default")]


def too_large(limit: int, received: int | None = None) -> APIError:
    details = {"max_bytes": limit}
    if received is not None:
        details["received_bytes"] = received
    return APIError(
        "payload_too_large",
        f"The request body is too large; this endpoint takes at most {limit // KIB} KiB.",
        413,
        details,
    )


def _refuse_large_bodies() -> None:
    """Before the view and before anything reads the body (the console's CSRF check reads forms)."""
    limit = body_limit(request.endpoint)
    # Also caps bodies without a Content-Length (chunked): reading stops past the limit.
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise too_large(limit, length)


class _HeraldJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that decoding refuses nesting deeper than MAX_JSON_DEPTH with a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise too_deep() from None
        if _depth_exceeds(value, MAX_JSON_DEPTH):
            raise too_deep()
        return value


def too_deep() -> APIError:
    return APIError(
        "too_deeply_nested",
        f"The JSON body is nested too deeply; at most {MAX_JSON_DEPTH} levels.",
        400,
        {"max_depth": MAX_JSON_DEPTH},
    )


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iterative, so checking a deep value cannot itself run out of stack."""
    if type(value) not in (dict, list):
        return False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if type(node) is dict else node
        for child in children:
            if type(child) in (dict, list):
                stack.append((child, depth + 1))
    return False


def _bad_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problems(value: Any, path: str = "") -> list[dict]:
    """[{path, message}] for every string (or key) in `value` that is not valid Unicode."""
    problems: list[dict] = []
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        kind = type(node)
        if kind is str:
            if _bad_text(node):
                problems.append(
                    {"path": where or "/", "message": "contains a lone surrogate, not a character"}
                )
        elif kind is dict:
            for key, child in node.items():
                child_path = f"{where}/{key}"
                if type(key) is str and _bad_text(key):
                    child_path = f"{where}/{key.encode('utf-8', 'backslashreplace').decode()}"
                    problems.append(
                        {"path": child_path, "message": "the key contains a lone surrogate"}
                    )
                stack.append((child, child_path))
        elif kind is list:
            stack.extend((child, f"{where}/{i}") for i, child in enumerate(node))
    problems.sort(key=lambda p: p["path"])
    for problem in problems:  # paths themselves may hold the bad text: make them printable
        problem["path"] = problem["path"].encode("utf-8", "backslashreplace").decode()
    return problems


def refuse_bad_text(value: Any) -> None:
    problems = text_problems(value)
    if problems:
        raise APIError(
            "invalid_text",
            "Some text is not valid Unicode (a lone surrogate such as \\ud800).",
            422,
            problems,
        )


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: their `<int:...>` rules take the bounded converter."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = _HeraldJSONProvider(app)
    # The largest class: Werkzeug's own cap for anything read outside a request hook.
    app.config["MAX_CONTENT_LENGTH"] = max(BODY_LIMITS.values())
    app.before_request(_refuse_large_bodies)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(err: RequestEntityTooLarge):
        """A body without Content-Length that grew past the limit while being read."""
        return too_large(body_limit(request.endpoint)).response()
