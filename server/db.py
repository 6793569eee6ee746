"""The database handle: bound late, so one code base serves SQLite (default) and PostgreSQL."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask
from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

db = DatabaseProxy()


def make_database(url: str):
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else parsed.path
        return SqliteDatabase(
            path or ":memory:",
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": "normal",
                "busy_timeout": 5000,
                "cache_size": -16000,
            },
        )
    if parsed.scheme in {"postgres", "postgresql"}:
        return PostgresqlDatabase(
            parsed.path.lstrip("/"),
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
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        if not db.is_closed():
            db.close()


def create_tables() -> None:
    from server import models

    with db.connection_context():
        db.create_tables(models.ALL_MODELS, safe=True)
