"""The database handle: bound late, so one code base serves SQLite (default) and PostgreSQL."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask, request
from peewee import DatabaseProxy
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

db = DatabaseProxy()


def make_database(url: str):
    """Pooled: opening a connection (and, for SQLite, setting its pragmas) cost more than a whole
    suggestions query, so each worker keeps its connections and requests borrow them."""
    parsed = urlparse(url)
    pool = {"max_connections": 32, "stale_timeout": 300}
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else parsed.path
        return PooledSqliteDatabase(
            path or ":memory:",
            **pool,
            # The pool hands a connection to one thread at a time, but not always the one that opened it.
            check_same_thread=False,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": "normal",
                "busy_timeout": 5000,
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


def init_app(app: Flask) -> None:
    db.initialize(make_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _open() -> None:
        if request.blueprint == "health":
            return  # the probes connect themselves: an unreachable database is their answer, not a 500
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        if not db.is_closed():
            db.close()  # back to the pool, not closed


def create_tables() -> None:
    from server import models

    with db.connection_context():
        db.create_tables(models.ALL_MODELS, safe=True)
