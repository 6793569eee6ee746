"""A real Herald server for scenario scripts: `herald run` (gunicorn, several workers) on one SQLite file.

Used by benchmarks/lockout_scenario.py and benchmarks/concurrent_editors.py and by the tests that
run them (tests/server/test_live_scenarios.py): what they measure is what production workers do,
not what Flask's test client does in one thread.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERALD = str(Path(sys.executable).parent / "herald")
SECRET = "live-scenario-secret-key-long-enough-for-hs256-signatures"
PASSWORD = "scenario-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive connection per thread; JSON in, (status, JSON or None, headers) out."""

    def __init__(self, port: int, timeout: float = 30.0):
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(
        self, method: str, path: str, body=None, headers: dict | None = None
    ) -> tuple[int, object, dict]:
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/json"} if data is not None else {}
        hdrs.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                # gunicorn closed an idle keep-alive connection: one fresh connection, then fail.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt:
                    raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return resp.status, parsed, dict(resp.getheaders())

    def login(self, email: str, password: str = PASSWORD, headers: dict | None = None):
        return self.request(
            "POST", "/api/v1/auth/login", {"email": email, "password": password}, headers
        )

    def bearer(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        status, body, _ = self.login(email, password)
        assert status == 200, (status, body)
        return {"Authorization": f"Bearer {body['access_token']}"}

    def close(self) -> None:
        self.conn.close()


# Kept from the caller's environment: the test suite lowers the hashing cost (tests/conftest.py).
_PASSED_THROUGH = {"HERALD_PASSWORD_HASH_METHOD"}


def _env(instance: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("HERALD_") or k in _PASSED_THROUGH
    }
    env.update(HERALD_INSTANCE_PATH=str(instance), HERALD_SECRET_KEY=SECRET, **extra)
    return env


def create_user(instance: Path, email: str, role: str = "employee", env: dict | None = None):
    subprocess.run(
        [HERALD, "create-user", "--email", email, "--name", email.split("@")[0], "--role", role],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        env=_env(instance, env or {}),
    )


@dataclass(frozen=True)
class Live:
    port: int
    database: Path  # the SQLite file, for scripts that check what was stored


@contextmanager
def live_server(
    users: list[tuple[str, str]], workers: int = 3, env: dict[str, str] | None = None
) -> Iterator[Live]:
    """Start `herald run` on a fresh SQLite instance with `users` [(email, role)]."""
    extra = dict(env or {})
    with tempfile.TemporaryDirectory(prefix="herald-live-") as tmp:
        instance = Path(tmp) / "instance"
        subprocess.run(
            [HERALD, "init-db"],
            check=True,
            capture_output=True,
            env=_env(instance, extra),
        )
        for email, role in users:
            create_user(instance, email, role, extra)
        port = free_port()
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(
            [HERALD, "run", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=_env(instance, extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        raise RuntimeError(
                            "herald run did not start:\n"
                            + (Path(tmp) / "server.log").read_text(errors="replace")[-3000:]
                        ) from None
                    time.sleep(0.1)
            yield Live(port, instance / "herald.sqlite3")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
