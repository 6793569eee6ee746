"""A real SMTP server (aiosmtpd) in the test process, a throwaway redis-server, and a `herald worker` runner.

The SMTP sink records what actually arrives (parsed with `email`), can refuse addresses with 550 (a bounce),
and can run a hook when a message's data arrives (the fault test kills the worker there).
"""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """aiosmtpd handler: keeps every accepted message; `refuse` addresses get 550 at RCPT."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.on_data: Callable[[int], str | None] | None = None
        self.lock = threading.Lock()
        self.data_count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_count += 1
            n = self.data_count
        if self.on_data is not None:
            answer = self.on_data(n)
            if answer:
                return answer
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(msg)
        return "250 2.0.0 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(str(m["To"]) for m in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


class SmtpServer:
    """Start and stop the sink on a fixed port (stopping it simulates the mail server being down)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.sink = Sink()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def config(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_SECURITY": "none"}


def parts(msg: EmailMessage) -> tuple[str, str]:
    """(text, html) bodies of a multipart/alternative message."""
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return text, html


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


def start_redis() -> tuple[str, Callable[[], None]]:
    """Debian's redis-server (scripts/bootstrap.sh installs it) on a free port, nothing persisted."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run scripts/bootstrap.sh --with-browser")
    base = tempfile.mkdtemp(prefix="herald-redis-")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", base],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(base, ignore_errors=True)

    return f"redis://127.0.0.1:{port}/0", stop


def worker_env(instance: Path, database_url: str, queue_url: str, smtp_port: int) -> dict:
    """Environment for a `herald worker` subprocess: short leases and retries so faults resolve in seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HERALD_")}
    env.update(
        {
            "HERALD_INSTANCE_PATH": str(instance),
            "HERALD_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "HERALD_DATABASE_URL": database_url,
            "HERALD_QUEUE_URL": queue_url,
            "HERALD_PUBLIC_BASE_URL": "http://herald.test",
            "HERALD_SMTP_HOST": "127.0.0.1",
            "HERALD_SMTP_PORT": str(smtp_port),
            "HERALD_SMTP_SECURITY": "none",
            "HERALD_MAIL_FROM": "Herald <herald@acme.test>",
            "HERALD_OUTBOX_LEASE_SECONDS": "2",
            "HERALD_OUTBOX_RETRY_BASE_SECONDS": "1",
            "HERALD_OUTBOX_RETRY_MAX_SECONDS": "4",
            "HERALD_OUTBOX_MAX_ATTEMPTS": "100",
            "HERALD_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # tests.conftest.TEST_HASH_METHOD
        }
    )
    return env


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    herald = Path(sys.executable).parent / "herald"
    return subprocess.Popen(
        [str(herald), "worker", "--workers", "2"],
        env=env,
        cwd=REPO,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
