"""Probes: /healthz while the process serves, /readyz only with a reachable, current database."""

from __future__ import annotations

from server import create_app
from server.db import db, migrate_database


def test_healthz_answers_without_auth_and_without_data(client, admin):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}
    assert "ada@acme.test" not in resp.get_data(as_text=True)


def test_readyz_is_ready_on_a_migrated_database(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {"status": "ok"}


def test_readyz_refuses_traffic_while_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            # A directory where the database file should be: SQLite cannot open it.
            "DATABASE_URL": f"sqlite:///{tmp_path}",
        }
    )
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json() == {"status": "unavailable", "reason": "database"}
    # The process itself is up.
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_refuses_traffic_until_the_schema_is_migrated(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}"}
    )
    client = app.test_client()
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json() == {"status": "unavailable", "reason": "migrations"}
    with app.app_context():
        migrate_database()
    assert client.get("/readyz").status_code == 200
    if not db.is_closed():
        db.close()
