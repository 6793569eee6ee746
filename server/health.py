"""Probes for load balancers and orchestrators: no auth, no data, nothing but "up" or "ready".

`/healthz` answers as long as the process serves requests; `/readyz` also needs the database to answer
and its schema to be current, so a rolling deploy only sends traffic to a worker that can serve it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify

from server.access import access

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@access("public")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@access("public")
def readyz():
    problem = readiness_problem()
    if problem:
        # Which check failed, never why in detail: the probe is public.
        return jsonify({"status": "unavailable", "reason": problem}), 503
    return jsonify({"status": "ok"})


def readiness_problem() -> str | None:
    """None when ready, else a short public reason: "database" or "migrations"."""
    from server.db import db

    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # noqa: BLE001 — any failure to reach the database means "not ready"
        return "database"
    try:
        if pending_migrations():
            return "migrations"
    except Exception:  # noqa: BLE001 — an unreadable migration history is not "current"
        return "migrations"
    return None


def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the database (server.db owns the history)."""
    from server import db as db_module

    return db_module.pending_migrations()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
