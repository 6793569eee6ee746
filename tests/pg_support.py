"""A real PostgreSQL server for tests and benchmarks: Debian's binaries, a throwaway cluster.

`start_postgres(tmpdir)` runs initdb in a temporary directory, starts the server on a free loopback
port (its unix socket in the same directory, so nothing system-wide is touched) and waits until it
accepts connections. It runs as an unprivileged user: as root, Debian's `postgres` account through
`runuser` (root may not run initdb). `stop()` kills it (`pg_ctl -m immediate`: nothing in a test
cluster is worth a clean shutdown) and removes the directory.

`Databases` hands each test a database of its own, cloned from a template that holds the schema.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Test clusters trade durability for speed: a crash loses nothing anyone wants.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
SUPERUSER = "herald"


def bin_dir() -> Path:
    """The newest PostgreSQL installed from Debian's packages (/usr/lib/postgresql/<ver>/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name.split(".")[0]),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL is not installed: run scripts/bootstrap.sh --with-postgres")


postgres_bin_dir = bin_dir  # the name tests/server/test_migrations.py and make_legacy_dumps use


def available() -> bool:
    try:
        bin_dir()
    except RuntimeError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(owner: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


def start_postgres(
    tmpdir: str | os.PathLike, settings: dict[str, str] | None = None
) -> tuple[str, Callable[[], None]]:
    """(URL of an empty database `herald`, superuser SUPERUSER, trust authentication on loopback;
    a function that stops the server and removes its directory).

    `settings` are postgresql.conf parameters on top of FAST_SETTINGS (pass
    {"fsync": "on", ...} to measure something durable).
    """
    binaries = bin_dir()
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        # pytest's temp dirs are private to root: the cluster needs a directory its owner can reach.
        base = Path(tempfile.mkdtemp(prefix="herald-pg-"))
        uid, gid = pwd.getpwnam(owner).pw_uid, pwd.getpwnam(owner).pw_gid
        os.chown(base, uid, gid)
    else:
        base = Path(tempfile.mkdtemp(prefix="herald-pg-", dir=tmpdir))
    data = base / "data"
    try:
        subprocess.run(
            _as_owner(
                owner,
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ],
            ),
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {exc.stderr}") from exc
    options = {
        **FAST_SETTINGS,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": str(base),
        "max_connections": "300",
        "timezone": "UTC",
        **(settings or {}),
    }
    last_error = ""
    for _attempt in range(5):  # a free port may be taken between finding it and binding it
        port = free_port()
        flags = " ".join(f"-c {k}={v}" for k, v in {**options, "port": str(port)}.items())
        proc = subprocess.run(
            _as_owner(
                owner,
                [
                    str(binaries / "pg_ctl"),
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    str(data),
                    "-l",
                    str(base / "server.log"),
                    "-o",
                    flags,
                ],
            ),
            capture_output=True,
            text=True,
        )
        if proc.returncode == 0:
            break
        last_error = (base / "server.log").read_text() if (base / "server.log").exists() else ""
        last_error += proc.stderr
    else:
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {last_error}")

    def stop() -> None:
        subprocess.run(
            _as_owner(
                owner, [str(binaries / "pg_ctl"), "stop", "-m", "immediate", "-D", str(data)]
            ),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)

    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/herald"
    try:
        _wait_ready(with_database(url, "postgres"))
        with admin_connection(with_database(url, "postgres")) as cur:
            cur.execute("CREATE DATABASE herald")
    except Exception:
        stop()
        raise
    return url, stop


def _wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(url).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def admin_connection(url: str):
    """An autocommit connection: CREATE and DROP DATABASE refuse to run inside a transaction."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        yield conn.cursor()
    finally:
        conn.close()


class Databases:
    """A database per test, cloned from a template that holds the schema, and recycled after use.

    Measured on the 2-core CI machine: CREATE DATABASE ... TEMPLATE takes ~0.3 s, TRUNCATE of the
    sixteen tables ~0.25 s, but DELETE FROM each (a test leaves a handful of rows) and restarting
    the id sequences ~15 ms. So a used database is emptied that way and handed to the next test;
    ids start at 1 again, as in a fresh one.
    """

    TEMPLATE = "herald_template"

    def __init__(self, server_url: str):
        self.server_url = server_url
        self._names = itertools.count(1)
        self._template_ready = False
        self._free: list[str] = []
        self._recyclable: set[str] = set()
        self._reset_sql: str | None = None

    def _build_template(self) -> None:
        """The schema as the migrations build it: what real databases get."""
        from server.db import HISTORY_TABLE, make_database, migrate_database

        with admin_connection(self.server_url) as cur:
            cur.execute(f"CREATE DATABASE {self.TEMPLATE}")
        database = make_database(with_database(self.server_url, self.TEMPLATE))
        migrate_database(database)
        database.close_all()  # a template must have no one connected while it is copied
        with admin_connection(with_database(self.server_url, self.TEMPLATE)) as cur:
            # Data only: the record of applied migrations stays, as it does in a real database.
            cur.execute(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> %s",
                (HISTORY_TABLE,),
            )
            tables = [row[0] for row in cur.fetchall()]
            cur.execute(
                "SELECT quote_ident(sequencename) FROM pg_sequences "
                "WHERE schemaname = 'public' AND sequencename NOT LIKE %s",
                (HISTORY_TABLE + "%",),
            )
            sequences = [row[0] for row in cur.fetchall()]
        # replica role: no foreign-key triggers, so the order of the deletes does not matter.
        self._reset_sql = (
            "SET session_replication_role = replica;"
            + "".join(f"DELETE FROM {t};" for t in tables)
            + "".join(f"ALTER SEQUENCE {s} RESTART;" for s in sequences)
            + "SET session_replication_role = DEFAULT;"
        )
        self._template_ready = True

    def new(self, empty: bool = False) -> str:
        """URL of a fresh database: the schema in place, or `empty` (for code that creates it)."""
        if not empty:
            if not self._template_ready:
                self._build_template()
            if self._free:
                return with_database(self.server_url, self._free.pop())
        name = f"test_{os.getpid()}_{next(self._names)}"
        template = "template0" if empty else self.TEMPLATE
        with admin_connection(self.server_url) as cur:
            cur.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        if not empty:
            self._recyclable.add(name)
        return with_database(self.server_url, name)

    def drop(self, url: str) -> None:
        """Give the database back. Connections left open are ended first, so none leaks into the
        next test (and DROP ... WITH (FORCE) does the same for databases not recycled)."""
        close_pool()
        name = url.rsplit("/", 1)[1]
        if name not in self._recyclable:
            with admin_connection(self.server_url) as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        with admin_connection(url) as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            cur.execute(self._reset_sql)
        # A new name too, as each SQLite test gets a new file: per-worker caches keyed by the
        # database (server.visitors' salt) must not take the next test's for this one's.
        fresh = f"test_{os.getpid()}_{next(self._names)}"
        with admin_connection(self.server_url) as cur:
            cur.execute(f"ALTER DATABASE {name} RENAME TO {fresh}")
        self._recyclable.discard(name)
        self._recyclable.add(fresh)
        self._free.append(fresh)


def close_pool() -> None:
    """Close every pooled connection of the database the app is bound to, not just return them."""
    from server.db import db

    database = db.obj
    if database is None:
        return
    if not database.is_closed():
        database.close()
    close_all = getattr(database, "close_all", None)
    if close_all is not None:
        close_all()
