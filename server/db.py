"""The database handle: bound late, so one code base serves SQLite (default) and PostgreSQL."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlparse

from flask import Flask
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
        database = PooledSqliteDatabase(
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
        # SQLite's own LOWER folds ASCII only: server.search compares through this one instead.
        database.register_function(_lower, "herald_lower", 1, deterministic=True)
        return database
    if parsed.scheme in {"postgres", "postgresql"}:
        return PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            **pool,
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port,
            # libpq options from the query string: ?sslmode=require, ?host=/run/postgresql ...
            **dict(parse_qsl(parsed.query)),
        )
    raise RuntimeError(f"Unsupported HERALD_DATABASE_URL scheme: {parsed.scheme!r}")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    db.initialize(make_database(app.config["DATABASE_URL"]))

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
