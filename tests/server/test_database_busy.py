"""Writes wait their turn on SQLite; a write that waited too long is a 503 in the one error shape."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from server import create_app
from server.db import create_tables, db, write_transaction
from server.models import Team
from tests.conftest import AuthActions, make_user, on_postgres

# SQLite's single write lock (BEGIN IMMEDIATE, busy_timeout) is what these tests hold and wait on,
# through sqlite3 connections of their own; PostgreSQL locks rows and has no such lock to take.
pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite's database-wide write lock")


def _db_path(app) -> str:
    return app.config["DATABASE_URL"].removeprefix("sqlite:///")


def test_a_write_waits_for_another_writer_instead_of_failing(app, client, auth, admin):
    """Another connection holds the write lock for a moment: the PATCH waits, then succeeds."""
    headers = auth.headers("ada@acme.test")
    created = client.post("/api/v1/teams", json={"name": "Sales"}, headers=headers).get_json()
    other = sqlite3.connect(_db_path(app), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE team SET name = name")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        resp = client.patch(
            f"/api/v1/teams/{created['id']}", json={"name": "Sales EMEA"}, headers=headers
        )
    finally:
        release.join()
        other.close()
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["name"] == "Sales EMEA"


def test_a_write_that_waits_too_long_is_a_503_with_retry_after(tmp_path):
    """Nobody releases the lock within the busy timeout: a 503 the client may retry, never a 500."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SQLITE_BUSY_TIMEOUT_MS": 300,
        }
    )
    with app.app_context():
        create_tables()
    make_user("ada@acme.test", role="admin")
    client = app.test_client()
    headers = AuthActions(client).headers("ada@acme.test")
    other = sqlite3.connect(_db_path(app), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        resp = client.post("/api/v1/teams", json={"name": "Support"}, headers=headers)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "2"
    error = resp.get_json()["error"]
    assert error["code"] == "busy"
    assert error["details"] == {"retry_after": 2}


def test_a_transaction_that_read_first_still_writes_after_another_writer(app):
    """The case that gave two admins a 500: a transaction reads, another connection writes and
    commits, then the first writes. A deferred SQLite transaction cannot upgrade its stale
    snapshot and fails at once with "database is locked"; write_transaction() took the write lock
    up front, so the other writer waited for it instead."""
    other_done = threading.Event()
    other_error: list[Exception] = []

    def other_writer() -> None:
        conn = sqlite3.connect(_db_path(app), timeout=5, isolation_level=None)
        try:
            conn.execute("INSERT INTO team (name, created_at) VALUES ('Other', '2026-01-01')")
        except sqlite3.Error as exc:
            other_error.append(exc)
        finally:
            conn.close()
            other_done.set()

    with app.app_context(), db.connection_context():
        with write_transaction():
            Team.select().count()  # a deferred transaction takes its read snapshot here
            writer = threading.Thread(target=other_writer)
            writer.start()
            other_done.wait(0.5)
            Team.create(name="Mine")
        writer.join()
        assert sorted(t.name for t in Team.select()) == ["Mine", "Other"]
    assert other_error == []
