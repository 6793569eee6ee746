"""Small helpers for turning console form posts into the dicts the domain functions take."""

from __future__ import annotations

import re
from datetime import datetime

from flask import abort, g, request

from server import audit
from server.models import User
from server.request_limits import strict_int


def text(name: str) -> str:
    return (request.form.get(name) or "").strip()


def optional_int(name: str) -> int | None:
    """An id or count from a form field; out of the database's range is refused like a typo."""
    raw = text(name)
    if not raw:
        return None
    value = strict_int(raw)
    if value is None:
        abort(400, description=f"{name} must be a whole number.")
    return value


def int_list(name: str) -> list[int]:
    values = [strict_int(v) for v in request.form.getlist(name)]
    if any(v is None for v in values):
        abort(400, description=f"{name} must be whole numbers.")
    return [v for v in values if v is not None]


def arg_int(name: str, default: int | None = None, lo: int = 1) -> int | None:
    """A number in the console's query string (page, filters, ?edit=): anything odd is ignored."""
    value = strict_int(request.args.get(name), lo)
    return default if value is None else value


def split_tags(raw: str) -> list[str]:
    """Hashtags typed as "#launch, ai product" → ["launch", "ai", "product"]."""
    return [t.lstrip("#") for t in re.split(r"[\s,]+", raw) if t.strip().lstrip("#")]


def local_to_iso(raw: str) -> str | None:
    """`<input type=datetime-local>` (shown as UTC in the console) → RFC 3339 in UTC."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return raw  # the domain validator names the field and the problem
    return value.replace(microsecond=0).isoformat() + "Z"


def iso_to_local(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M")


def actor() -> User:
    return g.user


def record(action: str, obj_type: str, obj_id, before=None, after=None) -> None:
    audit.record(actor(), action, obj_type, obj_id, before, after)


def errors_by_path(details) -> dict[str, str]:
    """[{path, message}] → {"/title": "..."} to show each message next to its field."""
    out: dict[str, str] = {}
    for item in details or []:
        if isinstance(item, dict):
            out.setdefault(item.get("path", ""), item.get("message", ""))
    return out
