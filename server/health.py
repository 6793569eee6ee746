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

    if hasattr(db_module, "pending_migrations"):
        return list(db_module.pending_migrations())
    return _missing_tables()


def _missing_tables() -> list[str]:
    """Until numbered migrations exist, "current" means every model's table is there."""
    from server.db import db
    from server.models import ALL_MODELS

    present = set(db.get_tables())
    return [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in present]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
