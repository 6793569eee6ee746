"""One structured JSON line per request (and per background job) on the `herald.request` logger.

What a line holds is chosen so that logs can be kept and shared without leaking anything: the URL
rule (`/api/v1/users/<int:user_id>`, never the raw path with its ids, invite tokens or link codes),
never the query string or a body, never a header other than the request id. Under `herald run` the
logger writes to stderr, beside gunicorn's own output.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, g, request

logger = logging.getLogger("herald.request")
job_logger = logging.getLogger("herald.job")
# INFO by default, whatever the root level: these lines are the point, not debugging noise.
logger.setLevel(logging.INFO)
job_logger.setLevel(logging.INFO)

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is echoed into logs and headers: only short, plain tokens are honoured.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


class JSONLineFormatter(logging.Formatter):
    """The record's `fields` dict as one JSON object per line (message text only when no fields)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        if fields is None:
            fields = {"message": record.getMessage()}
        line = {"ts": round(record.created, 3), "level": record.levelname.lower(), **fields}
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def choose_request_id(incoming: str) -> str:
    """The caller's X-Request-ID when sane, else a fresh one."""
    return incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def request_id() -> str:
    """The current request's id (see choose_request_id), chosen once per request."""
    if "request_id" not in g:
        g.request_id = choose_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
    return g.request_id


def log_request(fields: dict[str, Any]) -> None:
    """The one line per request (fields: request_fields, or the same keys from server.suggestion_replay)."""
    logger.info(
        "%s %s %s", fields["method"], fields["route"], fields["status"], extra={"fields": fields}
    )


def _user_id() -> int | None:
    user = g.get("user") or g.get("console_user")
    return getattr(user, "id", None)


def request_fields(status: int) -> dict[str, Any]:
    started = g.get("request_started")
    rule = request.url_rule.rule if request.url_rule is not None else None
    return {
        "event": "request",
        "method": request.method,
        "route": rule,  # None: no route matched (a 404); the raw path may hold secrets
        "status": status,
        "duration_ms": None
        if started is None
        else round((time.perf_counter() - started) * 1000, 2),
        "user_id": _user_id(),
        "request_id": request_id(),
    }


def log_job(name: str, status: str, duration_ms: float, **fields: Any) -> None:
    """One line per background job run; callers pass ids and counts, never message bodies."""
    job_logger.info(
        "job %s %s",
        name,
        status,
        extra={
            "fields": {
                "event": "job",
                "job": name,
                "status": status,
                "duration_ms": round(duration_ms, 2),
                **fields,
            }
        },
    )


def configure_stderr() -> None:
    """`herald run`: JSON lines on stderr, once per process (gunicorn forks after this)."""
    for name in ("herald.request", "herald.job"):
        log = logging.getLogger(name)
        if not any(getattr(h, "_herald", False) for h in log.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(JSONLineFormatter())
            handler._herald = True  # type: ignore[attr-defined]
            log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def init_app(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def _finish(resp):
        resp.headers[REQUEST_ID_HEADER] = request_id()
        log_request(request_fields(resp.status_code))
        return resp
