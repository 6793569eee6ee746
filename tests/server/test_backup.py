"""`herald backup` while a served Herald takes writes, and `herald restore` into an empty database."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import on_postgres
from tests.pg_support import start_postgres
from tests.server.live_server import herald_cli, herald_env, live_herald

PASSWORD = "backup-test-passphrase-42"
BATCH = 25


def event() -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "edited": True,
        "edit_distance": 3,
        "findings": [],
        "shared_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


@contextlib.contextmanager
def admin_connection(url: str):
    """An autocommit cursor: CREATE DATABASE refuses to run inside a transaction."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        yield conn.cursor()
    finally:
        conn.close()


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def pg_rows(url: str) -> dict[str, list[tuple]]:
    with admin_connection(url) as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [name for (name,) in cur.fetchall()]
        out = {}
        for t in tables:
            cur.execute(f'SELECT * FROM "{t}"')
            out[t] = sorted(cur.fetchall(), key=repr)
        return out


class Engine:
    """Where the served database lives, a fresh empty one to restore into, and how to read both."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind = kind
        self._stop = None
        if kind == "sqlite":
            self.source = f"sqlite:///{tmp_path / 'live.sqlite3'}"
            self.target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        else:
            server, self._stop = start_postgres(tmp_path)
            with admin_connection(server) as cur:
                cur.execute("CREATE DATABASE herald_live")
                cur.execute("CREATE DATABASE herald_restored")
            self.source = with_database(server, "herald_live")
            self.target = with_database(server, "herald_restored")

    def rows(self, url: str) -> dict[str, list[tuple]]:
        if self.kind == "sqlite":
            return rows(Path(url.removeprefix("sqlite:///")))
        return pg_rows(url)

    def close(self) -> None:
        if self._stop:
            self._stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if (request.param == "postgresql") != on_postgres():
        pytest.skip(f"{request.param}'s backup runs in the {request.param} pass of scripts/test.sh")
    engine = Engine(request.param, tmp_path)
    yield engine
    engine.close()


def test_backup_while_serving_writes_restores_whole_batches(tmp_path, engine):
    env = herald_env(tmp_path, HERALD_DATABASE_URL=engine.source)
    assert herald_cli(env, "init-db").returncode == 0
    made = herald_cli(
        env, "create-user", "--email", "eve@acme.test", "--name", "Eve", input=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    batches: list[list[str]] = []
    stop = threading.Event()
    failures: list[object] = []
    backup_file = tmp_path / "herald.backup"

    with live_herald(tmp_path, env, workers=2) as server:
        status, body, _ = server.request(
            "POST", "/api/v1/auth/login", {"email": "eve@acme.test", "password": PASSWORD}
        )
        assert status == 200, body
        bearer = {"Authorization": f"Bearer {body['access_token']}"}

        def writer() -> None:
            while not stop.is_set():
                events = [event() for _ in range(BATCH)]
                status, body, _ = server.request(
                    "POST", "/api/v1/shares", {"events": events}, bearer
                )
                if status != 200:
                    failures.append((status, body))
                    return
                batches.append([e["event_id"] for e in events])

        threads = [threading.Thread(target=writer) for _ in range(2)]
        for t in threads:
            t.start()
        while len(batches) < 10 and not failures:
            stop.wait(0.05)
        done = herald_cli(env, "backup", "--out", str(backup_file))
        written_during = len(batches)
        while len(batches) < written_during + 5 and not failures:
            stop.wait(0.05)
        stop.set()
        for t in threads:
            t.join()
    assert not failures, failures
    assert done.returncode == 0, done.stderr
    assert f"Backed up to {backup_file}" in done.stdout

    # Restore into a fresh, empty database.
    restore_env = herald_env(tmp_path, HERALD_DATABASE_URL=engine.target)
    restored = herald_cli(restore_env, "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    got = engine.rows(engine.target)
    if engine.kind == "sqlite":
        assert got == rows(backup_file)  # every table, every row of the backup
    assert got["user"] == engine.rows(engine.source)["user"]
    # A second restore finds the database in use and leaves it alone.
    again = herald_cli(restore_env, "restore", str(backup_file))
    assert again.returncode == 1 and "The target database is not empty" in again.stderr
    assert engine.rows(engine.target) == got

    # Consistent: each batch is all there or not at all; some writes made it, later ones did not.
    stored = {row[1] for row in got["share"]}
    users = [row[1] for row in got["user"]]
    per_batch = [sum(eid in stored for eid in batch) for batch in batches]
    assert set(per_batch) <= {0, BATCH}, per_batch
    assert 10 * BATCH <= len(stored) < len(batches) * BATCH
    assert users == ["eve@acme.test"]
    # The restored database serves: Eve signs in there.
    with live_herald(tmp_path, restore_env, workers=1) as server:
        status, body, _ = server.request(
            "POST", "/api/v1/auth/login", {"email": "eve@acme.test", "password": PASSWORD}
        )
        assert status == 200, body


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    env = herald_env(tmp_path)
    assert herald_cli(env, "init-db").returncode == 0
    backup_file = tmp_path / "b.backup"
    assert herald_cli(env, "backup", "--out", str(backup_file)).returncode == 0
    before = rows(tmp_path / "live.sqlite3")
    refused = herald_cli(env, "restore", str(backup_file))
    assert refused.returncode == 1
    assert "The target database is not empty" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert rows(tmp_path / "live.sqlite3") == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    env = herald_env(tmp_path, HERALD_DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    refused = herald_cli(env, "restore", str(junk))
    assert refused.returncode == 1
    assert "is not a SQLite backup" in refused.stderr
    assert not (tmp_path / "new.sqlite3").exists()
