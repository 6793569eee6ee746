"""Shared fixtures in the flaskr style: app, client, runner, and an auth helper."""

from __future__ import annotations

import logging
import os
import shutil

import pytest
from werkzeug.security import generate_password_hash

from server import create_app
from server.db import db, make_database, migrate_database
from server.models import Membership, Team, User, utcnow

PASSWORD = "correct horse battery"
SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"
# Production hashes with scrypt at N=2**15 (~0.1-0.8 s each); the suite creates and signs in
# thousands of people, so its apps and make_user hash cheaply. Sign-in checks any method.
TEST_HASH_METHOD = "pbkdf2:sha256:1000"


def on_postgres() -> bool:
    """HERALD_TEST_DATABASE=postgresql (scripts/test.sh's second pass) runs the server tests on a
    real PostgreSQL server started for the session; otherwise each test gets a SQLite file."""
    return os.environ.get("HERALD_TEST_DATABASE", "sqlite").lower() in {"postgresql", "postgres"}


class SqliteDatabases:
    """The SQLite twin of tests.pg_support.Databases: a file in a temp dir of its own, copied from
    one built through the migrations (~1.5 ms instead of ~75 ms to create the tables), so every
    test runs on the schema real databases get."""

    def __init__(self, tmp_path_factory):
        self._factory = tmp_path_factory
        self._template = None

    def new(self, empty: bool = False) -> str:
        path = self._factory.mktemp("db") / "test.sqlite3"
        if not empty:
            if self._template is None:
                self._template = self._factory.mktemp("schema") / "migrated.sqlite3"
                database = make_database(f"sqlite:///{self._template}")
                migrate_database(database)
                database.close_all()  # checkpoints the WAL into the file
            shutil.copyfile(self._template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        if not db.is_closed():
            db.close()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Fresh databases on demand (`new()`, `drop(url)`), on the engine the run is testing."""
    if not on_postgres():
        yield SqliteDatabases(tmp_path_factory)
        return
    from tests.pg_support import Databases, start_postgres

    # Far from UTC (+13:45 in January): a timestamp that leans on the server's zone shows up.
    url, stop = start_postgres(tmp_path_factory.mktemp("pg"), {"timezone": "Pacific/Chatham"})
    try:
        yield Databases(url)
    finally:
        stop()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need PostgreSQL itself (several nodes on one database): they run
    in the PostgreSQL pass of scripts/test.sh and are left out of the SQLite one."""
    if on_postgres():
        return
    keep = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture
def database_url(databases):
    url = databases.new()
    yield url
    databases.drop(url)


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "http://herald.test",
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        }
    )
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(email: str, role: str = "employee", teams: tuple[str, ...] = (), **fields) -> User:
    with db.connection_context():
        user = User.create(
            email=email,
            name=fields.pop("name", email.split("@")[0].title()),
            role=role,
            status=fields.pop("status", "active"),
            password_hash=generate_password_hash(
                fields.pop("password", PASSWORD), method=TEST_HASH_METHOD
            ),
            joined_at=utcnow(),
            **fields,
        )
        for name in teams:
            team, _ = Team.get_or_create(name=name)
            Membership.create(user=user, team=team)
    return user


class AuthActions:
    """Signs people in through the real endpoint and hands back ready-made headers."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/api/v1/auth/login", json={"email": email, "password": password})

    def headers(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        resp = self.login(email, password)
        assert resp.status_code == 200, resp.get_json()
        issued_secrets.extend(
            resp.get_json()[k] for k in ("access_token", "refresh_token") if resp.get_json().get(k)
        )
        return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def admin(app):
    return make_user("ada@acme.test", role="admin", name="Ada Admin")


@pytest.fixture
def employee(app):
    return make_user("eve@acme.test", teams=("Engineering",), name="Eve Employee")


# --- No secret in any log, suite-wide (issue 9: "a test greps the logs of the whole suite") ---
# Every log record any test emits, on any logger, is checked for the suite's known secrets: the
# test password, the test secret key, and tokens handed out through `auth`. Tests that make other
# secrets append them to `issued_secrets`.
issued_secrets: list[str] = []


class _EveryRecord(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.texts: list[str] = []
        self._format = logging.Formatter("%(name)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        text = self._format.format(record)  # message, arguments and any traceback
        fields = getattr(record, "fields", None)
        self.texts.append(text if fields is None else f"{text} {fields!r}")


@pytest.fixture(autouse=True)
def no_secrets_in_logs():
    issued_secrets.clear()
    handler = _EveryRecord()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    known = {PASSWORD, SECRET_KEY, *issued_secrets, os.environ.get("HERALD_SECRET_KEY") or PASSWORD}
    for text in handler.texts:
        for secret in known:
            assert secret not in text, (
                f"a secret reached the logs: {secret[:10]}... in {text[:200]!r}"
            )
