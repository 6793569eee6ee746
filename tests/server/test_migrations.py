"""Numbered migrations: databases made before migrations upgrade keeping every row, on SQLite and PostgreSQL;
`herald migrate --check` catches a model changed without its migration; init-db and migrate are idempotent."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import psycopg2
import pytest
from click.testing import CliRunner
from peewee import CharField

from server import create_app
from server.cli import main
from server.db import db, make_database, migration_names, pending_migrations
from server.models import (
    ALL_MODELS,
    AuditEntry,
    Membership,
    Setting,
    Share,
    Snippet,
    Team,
    User,
)
from tests.conftest import PASSWORD, on_postgres
from tests.pg_support import postgres_bin_dir, start_postgres

DATA = Path(__file__).parent / "data"
SQLITE_DUMP = DATA / "legacy_v0_sqlite.sql"
POSTGRES_DUMP = DATA / "legacy_v0_postgresql.sql"


def sqlite_dump_counts() -> Counter:
    return Counter(re.findall(r'^INSERT INTO "(\w+)"', SQLITE_DUMP.read_text("utf-8"), re.M))


def postgres_dump_counts() -> Counter:
    counts: Counter = Counter()
    table = None
    for line in POSTGRES_DUMP.read_text("utf-8").splitlines():
        if match := re.match(r'COPY public\."?(\w+)"? ', line):
            table = match[1]
            counts[table] += 0
        elif line == "\\.":
            table = None
        elif table:
            counts[table] += 1
    return counts


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory, request):
    """The PostgreSQL pass's own server (tests/conftest.py), or in the SQLite pass one started here."""
    if on_postgres():
        yield request.getfixturevalue("databases").server_url
        return
    url, stop = start_postgres(tmp_path_factory.mktemp("pg"))
    yield url
    stop()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """The `herald` command's environment: a fresh instance folder, no secret from outside."""
    monkeypatch.setenv("HERALD_INSTANCE_PATH", str(tmp_path / "instance"))
    for name in ("HERALD_SECRET_KEY", "HERALD_DEBUG", "HERALD_PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def use(url: str) -> None:
        monkeypatch.setenv("HERALD_DATABASE_URL", url)

    yield use
    if not db.is_closed():
        db.close()


def herald(*args: str):
    return CliRunner().invoke(main, list(args))


_pg_databases = iter(range(1, 10_000))


def load_legacy(engine: str, tmp_path: Path, postgres_url: str | None) -> tuple[str, Counter]:
    """A database exactly as today's committed dump describes it; its URL and the rows per table."""
    if engine == "sqlite":
        path = tmp_path / "legacy.sqlite3"
        conn = sqlite3.connect(path)
        conn.executescript(SQLITE_DUMP.read_text("utf-8"))
        conn.close()
        return f"sqlite:///{path}", sqlite_dump_counts()
    name = f"legacy_{next(_pg_databases)}"
    conn = psycopg2.connect(postgres_url)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE DATABASE {name}")
    conn.close()
    url = postgres_url.rsplit("/", 1)[0] + "/" + name
    port = url.rsplit(":", 1)[1].split("/")[0]
    subprocess.run(
        [
            str(postgres_bin_dir() / "psql"),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-U",
            "herald",
            "-d",
            name,
            "-f",
            str(POSTGRES_DUMP),
        ],
        check=True,
        capture_output=True,
    )
    return url, postgres_dump_counts()


@pytest.fixture(params=["sqlite", "postgresql"])
def legacy(request, tmp_path):
    postgres_url = (
        request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    )
    return load_legacy(request.param, tmp_path, postgres_url)


def test_dumps_hold_rows_in_every_table():
    """The dumps are only a fair test if no table of that version is empty. Tables added by later
    migrations are not in them (they are frozen at the version before migrations); none was dropped."""
    tables = set(sqlite_dump_counts())
    assert tables <= {model._meta.table_name for model in ALL_MODELS}
    for counts in (sqlite_dump_counts(), postgres_dump_counts()):
        assert set(counts) == tables
        assert all(counts[t] >= 1 for t in tables), counts
    assert sqlite_dump_counts() == postgres_dump_counts()


def test_legacy_database_upgrades_keeping_every_row(legacy, env):
    url, counts = legacy
    env(url)

    result = herald("migrate")

    assert result.exit_code == 0, result.output
    # Adopted, not re-created: the tables were there, so 001 is only recorded.
    assert "Recorded 001_initial as applied: the database predates migrations" in result.output
    assert "Applied migration 001_initial" not in result.output
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": url,
        }
    )
    with app.app_context(), db.connection_context():
        assert pending_migrations() == []
        now = {m._meta.table_name: m.select().count() for m in ALL_MODELS}
        # Every legacy row is still there; tables added since start empty.
        assert {t: now[t] for t in counts} == dict(counts)
        assert all(now[t] == 0 for t in set(now) - set(counts)), now
        # Every row reads back through the models (JSON and dates parse, no column is missing).
        for model in ALL_MODELS:
            for row in model.select():
                for field in model._meta.sorted_field_names:
                    getattr(row, field)
        assert User.get(User.email == "somchai@example.com").name == "สมชาย ใจดี"
        assert User.get(User.email == "eleni@example.com").name == "Ελένη Παπαδοπούλου 😀"
        assert User.get(User.email == "new@example.com").password_hash is None
        assert Setting.get_by_id("org_name").value == "Ακμή · บริษัท 🏢"
        assert Share.get(Share.event_id == "evt-legacy-1").findings == [
            {"message": "ลดอีโมจิ 🙂", "rule": "no-emoji"}
        ]
        assert Share.get(Share.event_id == "evt-legacy-2").snippet is None
        assert Snippet.get(Snippet.title == "Our new product ✨").hashtags == ["launch", "ข่าว"]
        assert AuditEntry.get(AuditEntry.action == "user.invite").before is None
        # Sequences survived too: new rows get fresh ids.
        assert Team.create(name="Νέα ομάδα").id > max(
            t.id for t in Team.select() if t.name != "Νέα ομάδα"
        )
    db.close()

    client = app.test_client()
    login = client.post(
        "/api/v1/auth/login", json={"email": "somchai@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200, login.get_json()
    resp = client.get(
        "/api/v1/suggestions?network=linkedin",
        headers={"Authorization": f"Bearer {login.get_json()['access_token']}"},
    )
    assert resp.status_code == 200, resp.get_json()
    titles = {item["title"] for item in resp.get_json()["items"]}
    # "Our new product ✨" belongs to the "Launch 🚀" campaign, which ended on 2026-02-14:
    # campaign windows apply to suggestions, so only the Thai snippet is live.
    assert titles == {"ข่าวสำหรับทีมขาย"}
    if not db.is_closed():
        db.close()


def test_migrate_on_a_legacy_database_twice_applies_nothing_the_second_time(tmp_path, env):
    url, _ = load_legacy("sqlite", tmp_path, None)
    env(url)
    assert herald("migrate").exit_code == 0
    again = herald("migrate")
    assert again.exit_code == 0, again.output
    assert "Nothing to migrate: the database is up to date." in again.output


def test_init_db_twice_is_idempotent_and_migrate_then_has_nothing_pending(tmp_path, env):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env(url)
    database = make_database(url)
    assert pending_migrations(database) == migration_names()
    assert migration_names()[0] == "001_initial"

    first = herald("init-db")
    second = herald("init-db")

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Applied migration 001_initial" in first.output
    assert "Applied migration" not in second.output
    assert pending_migrations(database) == []
    with database.connection_context():
        history = database.execute_sql("SELECT name FROM migratehistory").fetchall()
    assert history == [(name,) for name in migration_names()]
    result = herald("migrate")
    assert result.exit_code == 0
    assert result.output.strip() == "Nothing to migrate: the database is up to date."
    database.close_all()


def test_init_db_on_an_empty_postgresql_database_builds_a_working_schema(postgres_url, env):
    name = f"fresh_{next(_pg_databases)}"
    conn = psycopg2.connect(postgres_url)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE DATABASE {name}")
    conn.close()
    url = postgres_url.rsplit("/", 1)[0] + "/" + name
    env(url)

    result = herald("init-db")

    assert result.exit_code == 0, result.output
    assert "Applied migration 001_initial" in result.output
    database = make_database(url)
    assert pending_migrations(database) == []
    with database.connection_context(), database.bind_ctx(ALL_MODELS):
        assert set(database.get_tables()) == {m._meta.table_name for m in ALL_MODELS} | {
            "migratehistory"
        }
        team = Team.create(name="Ομάδα")
        user = User.create(email="a@example.com", name="Α", created_at=team.created_at)
        Membership.create(user=user, team=team)
        assert User.get_by_id(user.id).name == "Α"
        # The foreign keys carry their ON DELETE rules: removing a user removes their memberships only.
        database.execute_sql('DELETE FROM "user" WHERE id = %s', (user.id,))
        assert (Membership.select().count(), Team.select().count()) == (0, 1)
    database.close_all()


def test_migrate_check_passes_when_models_and_migrations_agree():
    result = herald("migrate", "--check")
    assert result.exit_code == 0, result.output
    assert "agree" in result.output


def test_migrate_check_fails_naming_a_field_added_without_its_migration():
    User._meta.add_field("nickname", CharField(null=True))
    try:
        result = herald("migrate", "--check")
    finally:
        User._meta.remove_field("nickname")
    assert result.exit_code != 0
    assert "user: column 'nickname' is in the models, not the migrations" in result.output
    assert herald("migrate", "--check").exit_code == 0


def test_migrate_check_fails_naming_an_index_dropped_from_a_model():
    index = Snippet._meta.indexes
    Snippet._meta.indexes = [i for i in index if i[0] != ("updated_at",)]
    try:
        result = herald("migrate", "--check")
    finally:
        Snippet._meta.indexes = index
    assert result.exit_code != 0
    assert "snippet: index ('updated_at',) is in the migrations, not the models" in result.output


def test_migrate_rebuilds_a_compiled_policy_an_older_compiler_made(tmp_path, env):
    """The compiled policy is a cache made when a rule was saved: after an upgrade, employees get
    what this version's compiler makes (e.g. its faster word boundaries) without a rule edit."""
    url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    env(url)
    assert herald("init-db").exit_code == 0
    database = make_database(url)
    with database.connection_context(), database.bind_ctx([Setting]):
        row = Setting.get(Setting.key == "compiled_policy")
        current = row.value
        older = dict(current, hash="made-by-an-older-compiler")
        Setting.update(value=older).where(Setting.key == "compiled_policy").execute()

    result = herald("migrate")

    assert result.exit_code == 0, result.output
    assert "Rebuilt the compiled guidelines with this version's compiler." in result.output
    with database.connection_context(), database.bind_ctx([Setting]):
        assert Setting.get(Setting.key == "compiled_policy").value == current
    assert "Rebuilt" not in herald("migrate").output
    database.close_all()
