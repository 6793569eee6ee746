"""`herald run` refuses to start on settings it cannot work with: one clear line, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.server.live_server import HERALD, free_port, herald_cli, herald_env


def run_refused(env: dict[str, str], *prefix: str) -> str:
    """Start `herald run` (it must exit at once, before serving) and return its stderr."""
    cmd = (
        [*prefix, "run", "--port", str(free_port()), "--workers", "1"]
        if prefix
        else [
            HERALD,
            "run",
            "--port",
            str(free_port()),
            "--workers",
            "1",
        ]
    )
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def migrated(tmp_path):
    env = herald_env(tmp_path)
    assert herald_cli(env, "migrate").returncode == 0
    return env


@pytest.mark.parametrize(
    "secret, words",
    [
        ("", "HERALD_SECRET_KEY is empty"),
        ("   ", "HERALD_SECRET_KEY is empty"),
        ("only-twenty-six-bytes-long", "HERALD_SECRET_KEY is too short (26 bytes)"),
        ("x" * 31, "HERALD_SECRET_KEY is too short (31 bytes)"),
    ],
)
def test_a_weak_secret_is_refused(migrated, secret, words):
    line = run_refused({**migrated, "HERALD_SECRET_KEY": secret})
    assert words in line and "at least 32" in line


@pytest.mark.parametrize(
    "name, value",
    [
        ("HERALD_ACCESS_TOKEN_MINUTES", "fifteen"),
        ("HERALD_SHARE_BATCH_MAX", "5e2"),
        ("HERALD_CONSOLE_IDLE_MINUTES", ""),
    ],
)
def test_a_number_setting_that_is_not_a_number_is_named(migrated, name, value):
    line = run_refused({**migrated, name: value})
    assert line == f"Error: {name} must be a whole number, not {value!r}."


def test_a_missing_database_folder_is_refused(tmp_path):
    env = herald_env(
        tmp_path, HERALD_DATABASE_URL=f"sqlite:///{tmp_path / 'nowhere' / 'h.sqlite3'}"
    )
    line = run_refused(env)
    assert f"The database folder {tmp_path / 'nowhere'} does not exist" in line
    assert not (tmp_path / "nowhere").exists()


def test_an_unmigrated_schema_is_refused(tmp_path):
    env = herald_env(tmp_path)  # the file will be made, but no migration ran
    line = run_refused(env)
    assert "The database schema is not up to date" in line
    assert "001_initial" in line and "Run `herald migrate` first." in line


def test_an_unknown_url_scheme_is_refused(tmp_path):
    env = herald_env(tmp_path, HERALD_DATABASE_URL="mysql://herald@localhost/herald")
    line = run_refused(env)
    assert "HERALD_DATABASE_URL has an unknown scheme mysql://" in line


def test_a_postgresql_url_without_its_driver_is_refused(tmp_path):
    """The driver is installed here, so the child process hides it before starting `herald run`."""
    env = herald_env(tmp_path, HERALD_DATABASE_URL="postgresql://herald@127.0.0.1:1/herald")
    hide_driver = (
        "import sys; sys.modules['psycopg2'] = None; "
        "from server.cli import main; sys.argv[0] = 'herald'; main()"
    )
    line = run_refused(env, sys.executable, "-c", hide_driver)
    assert "the PostgreSQL driver is not installed" in line
    assert "herald[postgres]" in line
