"""The database handle: bound late, so one code base serves SQLite (default) and PostgreSQL."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from flask import Flask, request
from peewee import Database, DatabaseProxy, SqliteDatabase
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

db = DatabaseProxy()


class _PostgresPool(PooledPostgresqlDatabase):
    """peewee's pool asks the server (SELECT 1) every time it hands out a connection: a fifth of
    a suggestions request's time on PostgreSQL. Here it asks only of connections that sat idle
    for IDLE_PING_AFTER seconds, which is when a server restart or a dropped idle connection may
    have ended them; under load a connection goes back out within milliseconds of its return."""

    IDLE_PING_AFTER = 1.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._returned_at: dict[int, float] = {}

    def _can_reuse(self, conn) -> bool:  # on check-in
        reusable = super()._can_reuse(conn)
        if reusable:
            self._returned_at[id(conn)] = time.monotonic()
        else:
            self._returned_at.pop(id(conn), None)
        return reusable

    def _is_closed(self, conn) -> bool:  # on check-out
        if conn.closed:
            return True
        returned = self._returned_at.get(id(conn))
        if returned is not None and time.monotonic() - returned < self.IDLE_PING_AFTER:
            return self._adapter.txn_status(conn) == self._adapter.txn_unknown
        return super()._is_closed(conn)


def make_database(url: str, busy_timeout_ms: int = 15000):
    """Pooled: opening a connection (and, for SQLite, setting its pragmas) cost more than a whole
    suggestions query, so each worker keeps its connections and requests borrow them."""
    parsed = urlparse(url)
    pool = {"max_connections": 32, "stale_timeout": 300}
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else parsed.path
        database = PooledSqliteDatabase(
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
        # SQLite's own LOWER folds ASCII only: server.search compares through this one instead.
        database.register_function(_lower, "herald_lower", 1, deterministic=True)
        return database
    if parsed.scheme in {"postgres", "postgresql"}:
        return _PostgresPool(
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


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    db.initialize(
        make_database(app.config["DATABASE_URL"], int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
    )

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
    """The models' tables in the app's database, for tests (fast); real databases go through migrate_database.

    `herald migrate --check` (run by scripts/test.sh) keeps the two schemas identical.
    """
    from server import models

    with db.connection_context():
        db.create_tables(models.ALL_MODELS, safe=True)


# --- Numbered migrations (peewee-migrate) -------------------------------------------------------------------
# Files in server/migrations/ are named `NNN_<what>.py` (three digits, then a lower-case description); they run
# in name order and each is recorded in the `migratehistory` table once applied.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HISTORY_TABLE = "migratehistory"
FIRST_MIGRATION = "001_initial"
# A table every pre-migration database has: `create_tables(safe=True)` made all of them at once.
_LEGACY_MARKER_TABLE = "user"


def _router(database: Database | DatabaseProxy):
    from peewee_migrate import Router

    return Router(database, migrate_dir=MIGRATIONS_DIR, migrate_table=HISTORY_TABLE)


def _applied(database: Database | DatabaseProxy) -> list[str]:
    """Names recorded as applied; reading never creates the history table (a probe must not write)."""
    if HISTORY_TABLE not in database.get_tables():
        return []
    cursor = database.execute_sql(f'SELECT name FROM "{HISTORY_TABLE}" ORDER BY id')
    return [row[0] for row in cursor.fetchall()]


def migration_names() -> list[str]:
    """Every migration shipped with this code, in the order they run."""
    from peewee_migrate import Router

    return sorted(p.stem for p in MIGRATIONS_DIR.iterdir() if Router.filemask.match(p.name))


def pending_migrations(database: Database | DatabaseProxy | None = None) -> list[str]:
    """Names of the migrations not yet applied to `database` (default: the app's), oldest first.

    Empty means the schema matches this code: readiness probes and start-up checks ask this.
    """
    database = db if database is None else database
    with database.connection_context():
        done = set(_applied(database))
    return [name for name in migration_names() if name not in done]


def adopt_legacy_database(database: Database | DatabaseProxy | None = None) -> str | None:
    """Record 001 as applied, without running it, on a database made before migrations existed.

    Such a database (made by `create_tables(safe=True)`) has every table of 001 but no history. Running 001 there
    would only lean on CREATE ... IF NOT EXISTS; faking it (peewee-migrate's fake run) states what happened. Returns
    the name recorded, or None for a database that is new or already has a history.
    """
    database = db if database is None else database
    with database.connection_context():
        if _applied(database) or _LEGACY_MARKER_TABLE not in database.get_tables():
            return None
        _router(database).run(FIRST_MIGRATION, fake=True)
    return FIRST_MIGRATION


def migrate_database(database: Database | DatabaseProxy | None = None) -> list[str]:
    """Apply the pending migrations to `database` (default: the app's); return the names recorded now.

    A database made before migrations existed is adopted first (see adopt_legacy_database), so only the later
    migrations run on it and the upgrade keeps every row.
    """
    database = db if database is None else database
    adopted = adopt_legacy_database(database)
    with database.connection_context():
        return ([adopted] if adopted else []) + _router(database).run()


def create_database_schema(database: Database) -> None:
    """The schema straight from the models, as the tests build it (migrations must produce the same)."""
    from server import models

    with database.bind_ctx(models.ALL_MODELS):
        database.create_tables(models.ALL_MODELS)


def _describe_sqlite(database: SqliteDatabase) -> dict[str, dict]:
    """Columns, indexes and foreign keys of every table, in a form two databases can be compared by."""
    schema: dict[str, dict] = {}
    for table in database.get_tables():
        if table == HISTORY_TABLE:
            continue
        q = lambda sql: database.execute_sql(sql).fetchall()  # noqa: E731
        columns = {
            row[1]: {"type": row[2], "not null": bool(row[3]), "primary key": row[5]}
            for row in q(f'PRAGMA table_info("{table}")')
        }
        indexes = {}
        for row in q(f'PRAGMA index_list("{table}")'):
            cols = tuple(r[2] for r in q(f'PRAGMA index_info("{row[1]}")'))
            indexes[cols] = {"unique": bool(row[2])}
        fks = {
            row[3]: {"references": f"{row[2]}.{row[4]}", "on delete": row[6]}
            for row in q(f'PRAGMA foreign_key_list("{table}")')
        }
        schema[table] = {"columns": columns, "indexes": indexes, "foreign keys": fks}
    return schema


# Throwaway databases: nothing to make durable, so no syncing (each CREATE would wait for the disk).
_SCRATCH_PRAGMAS = {"foreign_keys": 1, "synchronous": 0, "journal_mode": "memory"}


def schema_differences() -> list[str]:
    """How the schema the migrations build differs from the one the models describe; empty when they agree.

    Both are built in throwaway SQLite files and compared through SQLite's own catalogue, so a field added to a
    model without its migration (or a migration that drifts from the models) is named here.
    """
    with tempfile.TemporaryDirectory() as tmp:
        migrated = SqliteDatabase(str(Path(tmp) / "migrated.sqlite3"), pragmas=_SCRATCH_PRAGMAS)
        modelled = SqliteDatabase(str(Path(tmp) / "models.sqlite3"), pragmas=_SCRATCH_PRAGMAS)
        migrate_database(migrated)
        with modelled.connection_context():
            create_database_schema(modelled)
        with migrated.connection_context(), modelled.connection_context():
            have, want = _describe_sqlite(migrated), _describe_sqlite(modelled)
    problems: list[str] = []
    for table in sorted(set(have) | set(want)):
        if table not in have:
            problems.append(f"table {table!r}: in the models, created by no migration")
            continue
        if table not in want:
            problems.append(f"table {table!r}: created by the migrations, in no model")
            continue
        for part, what in (
            ("columns", "column"),
            ("indexes", "index"),
            ("foreign keys", "foreign key"),
        ):
            h, w = have[table][part], want[table][part]
            for key in sorted(set(h) | set(w), key=str):
                if key not in h:
                    problems.append(f"{table}: {what} {key!r} is in the models, not the migrations")
                elif key not in w:
                    problems.append(f"{table}: {what} {key!r} is in the migrations, not the models")
                elif h[key] != w[key]:
                    problems.append(
                        f"{table}: {what} {key!r} differs: migrations {h[key]}, models {w[key]}"
                    )
    return problems
