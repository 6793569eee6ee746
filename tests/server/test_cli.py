"""The `herald` command: setup writes a secret, users get passwords only from stdin, no default secret."""

from __future__ import annotations

import re
import stat

import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.db import db
from server.models import User


@pytest.fixture
def instance(tmp_path, monkeypatch, databases):
    """A clean instance folder and an empty database, and no secret in the environment."""
    folder = tmp_path / "instance"
    database_url = databases.new(empty=True)
    monkeypatch.setenv("HERALD_INSTANCE_PATH", str(folder))
    monkeypatch.setenv("HERALD_DATABASE_URL", database_url)
    for name in ("HERALD_SECRET_KEY", "HERALD_DEBUG", "HERALD_PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield folder
    databases.drop(database_url)


def herald(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def configured_secret(folder) -> str:
    match = re.search(r"SECRET_KEY = '([^']+)'", (folder / "config.py").read_text())
    assert match, "instance/config.py holds no SECRET_KEY"
    return match[1]


def test_init_db_writes_a_random_secret_once(instance, tmp_path, monkeypatch):
    result = herald("init-db")
    assert result.exit_code == 0, result.output
    assert "Wrote a random SECRET_KEY" in result.output
    assert "Database ready" in result.output
    secret = configured_secret(instance)
    assert len(secret) >= 40
    assert stat.S_IMODE((instance / "config.py").stat().st_mode) == 0o600
    # Idempotent: a second run keeps the secret (tokens already issued stay valid).
    again = herald("init-db")
    assert again.exit_code == 0 and "Wrote" not in again.output
    assert configured_secret(instance) == secret
    # Another instance gets another secret.
    monkeypatch.setenv("HERALD_INSTANCE_PATH", str(tmp_path / "other"))
    assert herald("init-db").exit_code == 0
    assert configured_secret(tmp_path / "other") != secret


def test_init_db_leaves_an_environment_secret_alone(instance, monkeypatch):
    monkeypatch.setenv("HERALD_SECRET_KEY", "from-the-environment-and-long-enough")
    result = herald("init-db")
    assert result.exit_code == 0, result.output
    assert not (instance / "config.py").exists()


def test_create_user_reads_the_password_from_stdin_and_can_sign_in(instance):
    assert herald("init-db").exit_code == 0
    result = herald(
        "create-user",
        "--email",
        "Ann@Acme.test",
        "--name",
        "Ann Admin",
        "--role",
        "admin",
        "--team",
        "Sales",
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin ann@acme.test" in result.output
    assert "a long enough password" not in result.output

    client = create_app().test_client()
    resp = client.post(
        "/api/v1/auth/login",
        json={"email": "ann@acme.test", "password": "a long enough password"},
    )
    assert resp.status_code == 200, resp.get_json()
    user = resp.get_json()["user"]
    assert user["role"] == "admin" and user["status"] == "active"
    assert [t["name"] for t in user["teams"]] == ["Sales"]


def test_create_user_has_no_password_option(instance):
    assert herald("init-db").exit_code == 0
    result = herald(
        "create-user", "--email", "x@acme.test", "--name", "X", "--password", "on the cmdline"
    )
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert "--password" not in herald("create-user", "--help").output
    create_app()
    with db.connection_context():
        assert User.select().count() == 0


def test_create_user_refuses_short_passwords_and_duplicates(instance):
    assert herald("init-db").exit_code == 0
    short = herald("create-user", "--email", "x@acme.test", "--name", "X", input="short\n")
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    ok = herald("create-user", "--email", "x@acme.test", "--name", "X", input="long enough!\n")
    assert ok.exit_code == 0, ok.output
    dup = herald("create-user", "--email", "X@acme.test", "--name", "X", input="long enough!\n")
    assert dup.exit_code == 1
    assert "already exists" in dup.output


def test_the_app_refuses_the_default_secret_outside_debug(instance):
    with pytest.raises(RuntimeError, match="HERALD_SECRET_KEY is not set.*herald init-db"):
        create_app()


def test_herald_run_refuses_to_start_without_a_secret(instance, monkeypatch):
    served = []
    monkeypatch.setattr("server.wsgi_server.serve", lambda *a, **kw: served.append(a))
    result = herald("run")
    assert result.exit_code == 1
    assert "HERALD_SECRET_KEY is not set" in result.output
    assert served == []


def test_herald_run_serves_once_a_secret_exists(instance, monkeypatch):
    served = []
    monkeypatch.setattr("server.wsgi_server.serve", lambda app, **kw: served.append(kw))
    assert herald("init-db").exit_code == 0
    result = herald("run", "--port", "5123", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert served == [{"host": "127.0.0.1", "port": 5123, "workers": 1}]


def test_debug_may_use_the_default_secret(instance, monkeypatch):
    monkeypatch.setenv("HERALD_DEBUG", "1")
    assert create_app().debug


def test_openapi_check_fails_on_a_stale_file_and_passes_after_writing(instance, tmp_path):
    target = tmp_path / "openapi.json"
    target.write_text("{}\n")
    stale = herald("openapi", "--check", "--output", str(target))
    assert stale.exit_code == 1
    assert "stale" in stale.output
    wrote = herald("openapi", "--output", str(target))
    assert wrote.exit_code == 0 and "Wrote" in wrote.output
    assert herald("openapi", "--check", "--output", str(target)).exit_code == 0
    assert "already up to date" in herald("openapi", "--output", str(target)).output


def test_herald_run_sizes_workers_by_cores(monkeypatch):
    """Requests are nearly all CPU on both engines: more workers than cores + 1 only take turns."""
    from server.wsgi_server import default_workers

    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 4)
    assert default_workers("sqlite:////srv/herald/herald.sqlite3") == 5
    assert default_workers("postgresql://herald@db/herald") == 5
