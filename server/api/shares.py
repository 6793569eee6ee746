"""Share events from the extension's queue: each judged on its own, stored exactly once.

The extension drops `created` and `duplicate` events from its queue and never retries `rejected`
ones, so an event is only rejected for problems a retry cannot fix.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify

from server.access import access
from server.db import db
from server.errors import APIError
from server.models import Share, Snippet, utcnow
from server.schemas import errors_for, json_body, returns
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


def _check(event, known_snippets: set[int], latest_allowed) -> tuple[list[dict], object]:
    """Schema errors, then what the schema cannot say: a real time, not in the future, a known snippet."""
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
    counts = {"created": 0, "duplicate": 0, "rejected": 0}
    with db.atomic():
        for index, event in enumerate(events):
            event_id = event.get("event_id") if isinstance(event, dict) else None
            result = {"index": index, "event_id": event_id if isinstance(event_id, str) else None}
            errors, shared_at = _check(event, known, latest_allowed)
            if errors:
                result.update(outcome="rejected", errors=errors)
            else:
                # The unique index on event_id decides: a replay, even a concurrent one, inserts nothing.
                cursor = db.execute(
                    Share.insert(
                        event_id=event_id,
                        user=user_id,
                        network=event["network"],
                        snippet=event.get("snippet_id"),
                        variant=event.get("variant"),
                        edited=event["edited"],
                        edit_distance=event["edit_distance"],
                        findings=event["findings"],
                        shared_at=shared_at,
                        received_at=now,
                    ).on_conflict_ignore()
                )
                result["outcome"] = "created" if cursor.rowcount == 1 else "duplicate"
            counts[result["outcome"]] += 1
            results.append(result)
    return jsonify(
        results=results,
        created=counts["created"],
        duplicates=counts["duplicate"],
        rejected=counts["rejected"],
    )


ingest.request_schema = "shares/batch-request"  # documented shape; events are validated one by one
