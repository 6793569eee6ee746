"""Share events survive `kill -9`: none lost, none stored twice.

Starts `herald run` (gunicorn, several workers) on a fresh SQLite instance. CLIENTS employees send
their share events in batches of BATCH at the same time, each as the extension's queue does: a batch
leaves the client only when the server answered it, and anything else (a refused connection, a
reset, a 5xx) sends the same batch again after a pause. Mid-burst the whole server (master and
workers) is killed with SIGKILL, ROUNDS times, and started again on the same database. At the end
every event id sent is looked up in the database:

    lost    = events whose batch the server answered, or that were sent, but that are not stored
    doubled = stored rows beyond one per (employee, event id)

    .venv/bin/python benchmarks/share_kill_rounds.py [--events 36000] [--rounds 3] [--clients 8]

Exits non-zero when anything was lost or doubled. tests/server/test_live_scenarios.py runs a
smaller round of it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.live_server import HERALD, Client, _env, create_user, free_port  # noqa: E402

BATCH = 50


class Server:
    """`herald run` in its own process group, so SIGKILL takes the master and every worker."""

    def __init__(self, instance: Path, port: int, workers: int):
        self.instance, self.port, self.workers = instance, port, workers
        self.proc: subprocess.Popen | None = None
        self.log = open(instance.parent / "server.log", "ab")  # noqa: SIM115 (closed in stop)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [HERALD, "run", "--host", "127.0.0.1", "--port", str(self.port)]
            + ["--workers", str(self.workers)],
            env=_env(self.instance, {}),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = Client(self.port, timeout=2).request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("herald run did not start (see server.log)")
            time.sleep(0.1)

    def kill9(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.log.close()


def _event() -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "snippet_id": None,
        "variant": None,
        "edited": True,
        "edit_distance": 0,
        "findings": [],
        "shared_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }


class Sender(threading.Thread):
    """One employee's queue: each batch is sent until the server answers it."""

    def __init__(self, port: int, email: str, events: int, progress: list[int], lock):
        super().__init__(daemon=True)
        self.port, self.email = port, email
        self.events = [_event() for _ in range(events)]
        self.progress, self.lock = progress, lock
        self.answered: set[str] = set()
        self.retries = 0
        self.errors_5xx = 0

    def run(self) -> None:
        client = Client(self.port, timeout=10)
        headers = None
        for start in range(0, len(self.events), BATCH):
            batch = self.events[start : start + BATCH]
            while True:
                try:
                    if headers is None:
                        headers = client.bearer(self.email)
                    status, body, _ = client.request(
                        "POST", "/api/v1/shares", {"events": batch}, headers
                    )
                except (OSError, AssertionError):
                    status, body = 0, None
                if status == 200:
                    outcomes = {r["outcome"] for r in body["results"]}
                    assert outcomes <= {"created", "duplicate"}, body
                    self.answered.update(e["event_id"] for e in batch)
                    with self.lock:
                        self.progress[0] += len(batch)
                    break
                if status >= 500:
                    self.errors_5xx += 1
                self.retries += 1
                client.close()
                client = Client(self.port, timeout=10)
                time.sleep(0.2)
        client.close()


def run(events: int = 36000, rounds: int = 3, clients: int = 8, workers: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="herald-kill-") as tmp:
        instance = Path(tmp) / "instance"
        subprocess.run([HERALD, "init-db"], check=True, capture_output=True, env=_env(instance, {}))
        emails = [f"sharer{n}@kill.test" for n in range(clients)]
        for email in emails:
            create_user(instance, email)
        server = Server(instance, free_port(), workers)
        server.start()
        progress, lock = [0], threading.Lock()
        senders = [Sender(server.port, e, events // clients, progress, lock) for e in emails]
        total = sum(len(s.events) for s in senders)
        started = time.monotonic()
        kills = []
        try:
            for sender in senders:
                sender.start()
            for n in range(1, rounds + 1):
                # Kill while the burst is under way: at n/(rounds+1) of the events answered.
                target = total * n // (rounds + 1)
                while progress[0] < target:
                    time.sleep(0.005)
                kills.append(progress[0])
                server.kill9()
                time.sleep(0.5)
                server.start()
            for sender in senders:
                sender.join(timeout=600)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
        con = sqlite3.connect(instance / "herald.sqlite3")
        try:
            rows = con.execute(
                'SELECT u.email, s.event_id FROM share s JOIN "user" u ON u.id = s.user_id'
            ).fetchall()
        finally:
            con.close()
    stored = {}
    for email, event_id in rows:
        stored[(email, event_id)] = stored.get((email, event_id), 0) + 1
    sent = {(s.email, e["event_id"]) for s in senders for e in s.events}
    return {
        "events": total,
        "rounds": rounds,
        "killed_after": kills,
        "answered": sum(len(s.answered) for s in senders),
        "stored_rows": len(rows),
        "lost": len(sent - set(stored)),
        "doubled": sum(n - 1 for n in stored.values()),
        "unknown_rows": len(set(stored) - sent),
        "retried_batches": sum(s.retries for s in senders),
        "errors_5xx": sum(s.errors_5xx for s in senders),
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=36000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    result = run(args.events, args.rounds, args.clients, args.workers)
    for key, value in result.items():
        print(f"{key:>16}: {value}")
    sys.exit(1 if result["lost"] or result["doubled"] or result["unknown_rows"] else 0)


if __name__ == "__main__":
    main()
