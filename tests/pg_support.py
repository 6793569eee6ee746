"""A throwaway PostgreSQL cluster on loopback for tests and the legacy-dump script.

Debian's `postgresql` package (installed by scripts/bootstrap.sh) gives the binaries; `initdb` refuses to run as
root, so as root the cluster belongs to the `postgres` system user. Durability is switched off: the cluster lives
for one test session, and fsync would only make start-up and every commit slower.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path


def postgres_bin_dir() -> Path:
    """The newest installed server version's binaries (Debian keeps them off PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run scripts/bootstrap.sh --with-browser")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres(tmpdir: str | os.PathLike | None = None) -> tuple[str, Callable[[], None]]:
    """Start a cluster holding an empty database `herald`; return its URL and a function that stops it.

    As root the data directory is made under the system temp dir, not `tmpdir`: pytest's temp dirs are private
    to root and the `postgres` user could not enter them.
    """
    bindir = postgres_bin_dir()
    as_root = os.geteuid() == 0
    base = tempfile.mkdtemp(prefix="herald-pg-", dir=None if as_root else tmpdir)
    prefix: list[str] = []
    if as_root:
        os.chmod(base, 0o755)
        shutil.chown(base, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = Path(base) / "data"
    port = _free_port()
    run = lambda *args: subprocess.run(  # noqa: E731
        [*prefix, *map(str, args)], check=True, capture_output=True, text=True
    )
    run(bindir / "initdb", "-D", data, "-U", "herald", "--auth=trust", "-E", "UTF8", "--no-locale")
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {base} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    run(bindir / "pg_ctl", "-D", data, "-l", Path(base) / "log", "-o", options, "-w", "start")
    run(bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "herald", "herald")

    def stop() -> None:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)

    return f"postgresql://herald@127.0.0.1:{port}/herald", stop
