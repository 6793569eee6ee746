"""The database handle: bound late, so one code base serves SQLite (default) and PostgreSQL."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask
from peewee import DatabaseProxy
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

db = DatabaseProxy()


def make_database(url: str, busy_timeout_ms: int = 15000):
    """Pooled: opening a connection (and, for SQLite, setting its pragmas) cost more than a whole
    suggestions query, so each worker keeps its connections and requests borrow them."""
    parsed = urlparse(url)
    pool = {"max_connections": 32, "stale_timeout": 300}
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else parsed.path
        return PooledSqliteDatabase(
            path or ":memory:",
            **pool,
            # Every transaction takes the write lock when it begins (see write_transaction).
            lock_type="IMMEDIATE",
            # The pool hands a connection to one thread at a time, but not always the one that opened it.
            check_same_thread=False,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": "normal",
                # A writer waits this long for the write lock before the request is answered 503.
                "busy_timeout": busy_timeout_ms,
                "cache_size": -16000,
            },
        )
    if parsed.scheme in {"postgres", "postgresql"}:
        return PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            **pool,
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port,
        )
    raise RuntimeError(f"Unsupported HERALD_DATABASE_URL scheme: {parsed.scheme!r}")


def write_transaction():
    """A transaction that waits its turn to write instead of failing with "database is locked".

    SQLite's default (deferred) transaction starts as a reader; when it then writes while another
    connection has committed meanwhile, SQLite cannot upgrade it and answers SQLITE_BUSY at once,
    without waiting for busy_timeout: two admins saving together got a 500. `BEGIN IMMEDIATE` takes
    the write lock up front, so a second writer waits (busy_timeout) for the first to commit. The
    SQLite database is made with lock_type="IMMEDIATE", so every `db.atomic()` is one of these;
    this name says so where it matters. On PostgreSQL it is an ordinary transaction (row locks).
    """
    return db.atomic()


def is_lock_timeout(exc: BaseException) -> bool:
    """SQLite gave up waiting for the write lock (busy_timeout passed): the server is busy."""
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def init_app(app: Flask) -> None:
    db.initialize(
        make_database(app.config["DATABASE_URL"], int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
    )

    @app.before_request
    def _open() -> None:
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        if not db.is_closed():
            db.close()  # back to the pool, not closed


def create_tables() -> None:
    from server import models

    with db.connection_context():
        db.create_tables(models.ALL_MODELS, safe=True)
