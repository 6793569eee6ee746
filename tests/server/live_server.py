"""A real `herald run` (gunicorn) in a subprocess on loopback, for tests that need the served process:
its stderr (request logs), concurrent writers during a backup, start-up refusals."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import TEST_HASH_METHOD

ROOT = Path(__file__).resolve().parents[2]
HERALD = str(ROOT / ".venv" / "bin" / "herald")
LIVE_SECRET = "live-server-secret-key-0123456789-abcdefghij"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def herald_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no HERALD_* from the caller, an instance folder and SQLite file in tmp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HERALD_")}
    env.update(
        HERALD_INSTANCE_PATH=str(tmp_path / "instance"),
        HERALD_DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        HERALD_SECRET_KEY=LIVE_SECRET,
        HERALD_PASSWORD_HASH_METHOD=TEST_HASH_METHOD,  # production's scrypt costs ~0.5 s a user
    )
    env.update(extra)
    return env


def herald_cli(env: dict[str, str], *args: str, input: str | None = None, timeout: float = 60):
    return subprocess.run(
        [HERALD, *args], env=env, input=input, capture_output=True, text=True, timeout=timeout
    )


class LiveServer:
    def __init__(self, base: str, proc: subprocess.Popen, stderr_path: Path):
        self.base = base
        self.proc = proc
        self.stderr_path = stderr_path

    def request(
        self, method: str, path: str, body=None, headers: dict | None = None
    ) -> tuple[int, dict, dict]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        req.add_header("Accept", "application/json")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                status, got = resp.status, dict(resp.headers)
        except urllib.error.HTTPError as err:
            raw, status, got = err.read(), err.code, dict(err.headers)
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"_text": raw.decode("utf-8", "replace")}
        return status, parsed, got

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


@contextmanager
def live_herald(tmp_path: Path, env: dict[str, str], workers: int = 2) -> Iterator[LiveServer]:
    port = free_port()
    stderr_path = tmp_path / f"herald-run-{port}.stderr"
    with stderr_path.open("w") as err:
        proc = subprocess.Popen(
            [HERALD, "run", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=err,
            stderr=err,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", proc, stderr_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"herald run exited early:\n{server.stderr()}")
            try:
                if server.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"herald run did not come up:\n{server.stderr()}")
            time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
