"""Health reports from the extension: counts only (server.site_health), idempotent on the batch id."""

from __future__ import annotations

from flask import Blueprint, jsonify

from server import site_health
from server.access import access
from server.errors import APIError
from server.schemas import accepts, returns

bp = Blueprint("health_reports", __name__, url_prefix="/api/v1/health-reports")


@bp.post("")
@access("employee")
@accepts("health/report")
@returns("health/report-result")
def create(body):
    """Counted once per batch id: a batch sent again (the answer was lost) comes back `duplicate`, and the
    extension drops it either way. The sender is not stored."""
    problems = site_health.hour_problems(body)
    if problems:
        raise APIError(
            "validation_failed", "The request body does not match its schema.", 422, problems
        )
    outcome = site_health.record(body)
    return jsonify({"batch_id": body["batch_id"], "outcome": outcome})
