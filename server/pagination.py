"""Paginated lists: one shape, `{items, page, per_page, total}`, and one way to read `page`/`per_page`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from peewee import ModelSelect

from server.errors import APIError
from server.request_limits import MAX_INT, strict_int

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100

# Query parameters every paginated list documents in the OpenAPI document.
PAGINATION_PARAMETERS = {
    "page": {"type": "integer", "minimum": 1, "maximum": MAX_INT, "default": 1},
    "per_page": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_PER_PAGE,
        "default": DEFAULT_PER_PAGE,
    },
}


def query_error(problems: list[dict]) -> APIError:
    """Bad query parameters fail like bad bodies, so clients handle one error shape."""
    return APIError("validation_failed", "The query parameters are not valid.", 422, problems)


def _int_arg(name: str, default: int, low: int, high: int) -> tuple[int, dict | None]:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default, None
    value = strict_int(raw, low, high)
    if value is None:
        return default, {
            "path": f"/{name}",
            "message": f"{name} must be a whole number between {low} and {high}.",
        }
    return value, None


def page_args(default_per_page: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1..100) from the query string; 422 on anything else."""
    page, page_problem = _int_arg("page", 1, 1, MAX_INT)
    per_page, per_page_problem = _int_arg("per_page", default_per_page, 1, MAX_PER_PAGE)
    problems = [p for p in (page_problem, per_page_problem) if p]
    if problems:
        raise query_error(problems)
    return page, per_page


def paginate(query: ModelSelect, serialize: Callable[[Any], dict]) -> dict:
    """Run `query` for the requested page. The query must be ordered, or pages would overlap."""
    page, per_page = page_args()
    total = query.count()
    rows: Iterable[Any] = query.paginate(page, per_page)
    return {
        "items": [serialize(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }
