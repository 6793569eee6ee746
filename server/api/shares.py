"""Share events from the extension's queue: each judged on its own, stored exactly once.

The extension drops `created` and `duplicate` events from its queue and never retries `rejected`
ones, so an event is only rejected for problems a retry cannot fix.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify
from peewee import SqliteDatabase, chunked

from server.access import access
from server.db import db
from server.errors import APIError
from server.models import Share, Snippet, utcnow
from server.raw_sql import column, placeholders, table
from server.schemas import errors_for, json_body, registry, returns
from server.share_validation import flag_suspects
from server.snippets import parse_time

bp = Blueprint("shares", __name__, url_prefix="/api/v1/shares")

FUTURE_TOLERANCE = timedelta(minutes=10)


def _envelope(body) -> list:
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise APIError(
            "validation_failed",
            'Send {"events": [...]}.',
            422,
            [{"path": "/events", "message": "expected an array of share events"}],
        )
    extra = sorted(set(body) - {"events"})
    if extra:
        raise APIError(
            "validation_failed",
            'Send {"events": [...]} and nothing else.',
            422,
            [{"path": f"/{key}", "message": "unexpected property"} for key in extra],
        )
    events = body["events"]
    limit = int(current_app.config["SHARE_BATCH_MAX"])
    if len(events) > limit:
        raise APIError(
            "batch_too_large",
            f"Send at most {limit} events per request.",
            413,
            {"max": limit, "received": len(events)},
        )
    return events


# Fast path for the usual, valid event: plain type checks at a fraction of jsonschema's cost.
# Stricter than the schema, never looser: whatever it does not accept goes through jsonschema,
# which names the errors (or accepts). It is only trusted while the schema is the one it was
# written against (fingerprint below); after a schema change everything goes through jsonschema.
SCHEMA_FINGERPRINT = "bdd69601fa88133b"
_KEYS = frozenset(
    (
        "event_id",
        "network",
        "snippet_id",
        "variant",
        "edited",
        "edit_distance",
        "findings",
        "shared_at",
    )
)
_REQUIRED = _KEYS - {"snippet_id", "variant"}
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_NETWORKS = frozenset(("linkedin", "x"))
_SEVERITIES = frozenset(("error", "warning", "info"))
_FINDING_KEYS = frozenset(("rule", "severity"))


def schema_fingerprint() -> str:
    schema = registry()[1]["share-event"]
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@functools.cache
def fast_path_enabled() -> bool:
    return schema_fingerprint() == SCHEMA_FINGERPRINT


def plainly_valid(event) -> bool:
    if type(event) is not dict or not (_REQUIRED <= event.keys() <= _KEYS):
        return False
    event_id, network = event["event_id"], event["network"]
    if type(event_id) is not str or not _UUID4.fullmatch(event_id):
        return False
    if type(network) is not str or network not in _NETWORKS:
        return False
    snippet_id, variant = event.get("snippet_id"), event.get("variant")
    if snippet_id is not None and (type(snippet_id) is not int or snippet_id < 1):
        return False
    if variant is not None and (type(variant) is not int or variant < 0):
        return False
    distance, findings = event["edit_distance"], event["findings"]
    if type(event["edited"]) is not bool or type(event["shared_at"]) is not str:
        return False
    if type(distance) is not int or not 0 <= distance <= 10000:
        return False
    if type(findings) is not list or len(findings) > 200:
        return False
    for finding in findings:
        if type(finding) is not dict or finding.keys() != _FINDING_KEYS:
            return False
        rule, severity = finding["rule"], finding["severity"]
        if type(rule) is not str or not 1 <= len(rule) <= 200:
            return False
        if type(severity) is not str or severity not in _SEVERITIES:
            return False
    return True


def _check(event, known_snippets: set[int], latest_allowed) -> tuple[list[dict], object]:
    """Schema errors, then what the schema cannot say: a real time, not in the future, a known snippet."""
    if not (fast_path_enabled() and plainly_valid(event)):
        errors = errors_for("share-event", event)
        if errors:
            return errors, None
    try:
        shared_at = parse_time(event["shared_at"], "/shared_at")
    except APIError as err:
        return err.details, None
    if shared_at > latest_allowed:
        return [{"path": "/shared_at", "message": "is in the future"}], None
    snippet_id = event.get("snippet_id")
    if snippet_id is not None and snippet_id not in known_snippets:
        return [{"path": "/snippet_id", "message": f"no snippet with id {snippet_id}"}], None
    return [], shared_at


_COLUMNS = (
    Share.event_id,
    Share.user,
    Share.network,
    Share.snippet,
    Share.variant,
    Share.edited,
    Share.edit_distance,
    Share.findings,
    Share.shared_at,
    Share.received_at,
    Share.suspect_reason,
)


@functools.lru_cache(maxsize=64)
def _insert_sql(count: int, param: str) -> str:
    """Multi-row insert that skips stored event ids and names the rows it did insert.

    ON CONFLICT .. DO NOTHING RETURNING: SQLite >= 3.35 and PostgreSQL. Built once per batch
    size: peewee's query builder costs more than the insert itself here.
    """
    columns = ", ".join(column(f) for f in _COLUMNS)
    row = f"({placeholders(len(_COLUMNS), param)})"
    event_id = column(Share.event_id)
    return (
        f"INSERT INTO {table(Share)} ({columns}) VALUES {', '.join([row] * count)} "
        f"ON CONFLICT ({column(Share.user)}, {event_id}) DO NOTHING RETURNING {event_id}"
    )


def _store(rows: list[tuple]) -> set[str]:
    """Insert, skipping event ids already stored; returns the ids this call inserted.

    The unique index on (user, event_id) decides, so a replay inserts nothing even when two
    requests race, and another employee's id is no duplicate of this one's.
    """
    created: set[str] = set()
    with db.atomic():
        if _returning_supported():
            for chunk in chunked(rows, 100):
                params = [
                    f.db_value(v) for row in chunk for f, v in zip(_COLUMNS, row, strict=True)
                ]
                cursor = db.execute_sql(_insert_sql(len(chunk), db.param), params)
                created.update(event_id for (event_id,) in cursor.fetchall())
        else:
            for row in rows:
                values = {f.name: v for f, v in zip(_COLUMNS, row, strict=True)}
                cursor = db.execute(Share.insert(**values).on_conflict_ignore())
                if cursor.rowcount == 1:
                    created.add(row[0])
    return created


def _returning_supported() -> bool:
    if isinstance(db.obj, SqliteDatabase):
        return sqlite3.sqlite_version_info >= (3, 35)
    return True


@bp.post("")
@access("employee")
@returns("shares/batch-response")
def ingest():
    events = _envelope(json_body())
    wanted = {
        e["snippet_id"]
        for e in events
        if isinstance(e, dict) and isinstance(e.get("snippet_id"), int)
    }
    known = (
        {sid for (sid,) in Snippet.select(Snippet.id).where(Snippet.id.in_(list(wanted))).tuples()}
        if wanted
        else set()
    )
    now = utcnow()
    latest_allowed = now + FUTURE_TOLERANCE
    user_id = g.user.id
    results: list[dict] = []
    rows: list[tuple] = []
    for index, event in enumerate(events):
        event_id = event.get("event_id") if isinstance(event, dict) else None
        result = {"index": index, "event_id": event_id if isinstance(event_id, str) else None}
        errors, shared_at = _check(event, known, latest_allowed)
        if errors:
            result.update(outcome="rejected", errors=errors)
        else:
            rows.append(
                (
                    event_id,
                    user_id,
                    event["network"],
                    event.get("snippet_id"),
                    event.get("variant"),
                    event["edited"],
                    event["edit_distance"],
                    event["findings"],
                    shared_at,
                    now,
                )
            )
        results.append(result)
    rows = flag_suspects(user_id, rows, _COLUMNS[:-1], now)  # appends Share.suspect_reason
    created = _store(rows) if rows else set()
    counts = {"created": 0, "duplicate": 0, "rejected": 0}
    for result in results:
        if "outcome" not in result:
            # The first occurrence of an id this request inserted is "created"; anything else
            # (stored before, by a racing request, or repeated in this batch) is a duplicate.
            first = result["event_id"] in created
            created.discard(result["event_id"])
            result["outcome"] = "created" if first else "duplicate"
        counts[result["outcome"]] += 1
    return jsonify(
        results=results,
        created=counts["created"],
        duplicates=counts["duplicate"],
        rejected=counts["rejected"],
    )


ingest.request_schema = "shares/batch-request"  # documented shape; events are validated one by one
