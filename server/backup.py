"""`herald backup` and `herald restore`: a consistent copy of a live database, and back into an empty one.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database inside one read
transaction, so a server writing at the same time neither blocks for long nor leaves half a batch in
the copy. PostgreSQL: `pg_dump -Fc` (one snapshot by design) and `pg_restore`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A failure the operator can fix; the message says how."""


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else urlparse(url).path


def _kind(url: str) -> str:
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in {"postgres", "postgresql"}:
        return "postgresql"
    raise BackupError(f"Unsupported HERALD_DATABASE_URL scheme: {scheme!r}")


def backup(url: str, out: Path) -> None:
    """Write a consistent copy of the database at `url` to `out` (replaced only once complete)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    partial = Path(tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)[1])
    try:
        if _kind(url) == "sqlite":
            _sqlite_backup(sqlite_path(url), partial)
        else:
            _pg_dump(url, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def restore(url: str, source: Path) -> None:
    """Load a backup into the (empty) database at `url`; refuses a database that holds any table."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    with source.open("rb") as fh:
        head = fh.read(16)
    kind = _kind(url)
    if kind == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{source} is not a SQLite backup (made by `herald backup` on SQLite).")
    if kind == "postgresql" and not head.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{source} is not a PostgreSQL backup (made by `herald backup` there).")
    tables = _sqlite_tables(sqlite_path(url)) if kind == "sqlite" else _pg_tables(url)
    if tables:
        raise BackupError(
            f"The target database is not empty (it has {len(tables)} tables, e.g. {sorted(tables)[0]!r}). "
            "Restore into a new, empty database."
        )
    if kind == "sqlite":
        _sqlite_restore(source, sqlite_path(url))
    else:
        _pg_restore(url, source)


# --- SQLite ---


def _sqlite_backup(path: str, out: Path) -> None:
    if not Path(path).is_file():
        raise BackupError(f"No SQLite database at {path}.")
    src = sqlite3.connect(path, timeout=30)
    dst = sqlite3.connect(out)
    try:
        # pages=-1 (the default): the whole database in one step, inside one read transaction.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _sqlite_tables(path: str) -> list[str]:
    if not Path(path).exists():
        if not Path(path).parent.is_dir():
            raise BackupError(f"The database folder {Path(path).parent} does not exist.")
        return []
    conn = sqlite3.connect(path, timeout=30)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return [name for (name,) in rows]


def _sqlite_restore(source: Path, path: str) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")  # as the server runs it
    finally:
        dst.close()
        src.close()


# --- PostgreSQL ---


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection flags and environment for pg_dump/pg_restore: the password never on a command line."""
    parsed = urlparse(url)
    env = dict(os.environ)
    args = ["--no-password"]
    if parsed.hostname:
        args += ["--host", parsed.hostname]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", unquote(parsed.username)]
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
    args += ["--dbname", unquote(parsed.path.lstrip("/"))]
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise BackupError(f"{Path(cmd[0]).name} failed: {last}")


def _pg_dump(url: str, out: Path) -> None:
    args, env = _pg_args(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args], env)


def _pg_restore(url: str, source: Path) -> None:
    args, env = _pg_args(url)
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(source),
        ],
        env,
    )


def _pg_tables(url: str) -> list[str]:
    args, env = _pg_args(url)
    cmd = [
        _pg_tool("psql"),
        *args,
        "--tuples-only",
        "--no-align",
        "--command",
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise BackupError(f"Cannot read the target database: {last}")
    return [line for line in done.stdout.splitlines() if line.strip()]
