"""`herald backup` while a served Herald takes writes, and `herald restore` into an empty database."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

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


def test_backup_while_serving_writes_restores_whole_batches(tmp_path):
    env = herald_env(tmp_path)
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
    fresh = tmp_path / "restored.sqlite3"
    restore_env = herald_env(tmp_path, HERALD_DATABASE_URL=f"sqlite:///{fresh}")
    restored = herald_cli(restore_env, "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert rows(fresh) == rows(backup_file)  # every table, every row

    # Consistent: each batch is all there or not at all; some writes made it, later ones did not.
    conn = sqlite3.connect(fresh)
    stored = {eid for (eid,) in conn.execute("SELECT event_id FROM share")}
    users = [email for (email,) in conn.execute("SELECT email FROM user")]
    conn.close()
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
