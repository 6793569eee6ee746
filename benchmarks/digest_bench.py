"""Weekly digest throughput and memory: N employees rendered and delivered to a local SMTP sink by one worker.

    .venv/bin/python benchmarks/digest_bench.py [--sizes 2000,5000,10000] [--repeat 1]

The sink (aiosmtpd, counting) runs in its own process, so it does not share the worker's interpreter. Each size
runs in a fresh process on a fresh SQLite database: seed (not timed), then the timed part is what `herald worker`
does for a week (`run_week` writes the outbox rows, `deliver_due` renders and sends them over one SMTP session).
Baseline, same run, same sink: raw smtplib sending one prebuilt message of the same size over one connection
(the transport's ceiling). Memory: peak RSS of the worker process after seeding versus at the end, for each size; streamed (chunked) work
keeps the growth flat in the number of employees. Beside it, what SQLite's own allocator holds at its high-water
mark (its page cache is most of it: bounded by the connection's cache_size, it fills as a run touches more pages)
and the growth of Python's allocated blocks, so a growth can be put down to one or the other.
Target: >= 200 messages/s with one worker.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The sink process ---------------------------------------------------------------------------------------


def sink_main(port: int, count_file: str) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.count += 1
            if Counting.count % 100 == 0:
                Path(count_file).write_text(str(Counting.count))
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(0.5)
            Path(count_file).write_text(str(Counting.count))
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


# --- One measured run (its own process) -----------------------------------------------------------------------


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _sqlite_memory() -> tuple[int, int]:
    """(bytes in use, high-water mark) of the SQLite library the sqlite3 module uses (the same shared object)."""
    import ctypes
    import ctypes.util
    import sqlite3  # noqa: F401 - loads the library first

    lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    return lib.sqlite3_memory_used(), lib.sqlite3_memory_highwater(0)


def run_main(employees: int, port: int) -> None:
    from server import create_app
    from server.db import db, make_database, migrate_database
    from server.models import Snippet, SnippetVariant, Team, User, utcnow

    tmp = Path(tempfile.mkdtemp(prefix="herald-digest-bench-"))
    try:
        path = tmp / "bench.sqlite3"
        database = make_database(f"sqlite:///{path}")
        migrate_database(database)
        database.close_all()
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-secret-key-long-enough-for-hs256",
                "DATABASE_URL": f"sqlite:///{path}",
                "PUBLIC_BASE_URL": "https://herald.example",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": port,
                "SMTP_SECURITY": "none",
                "MAIL_FROM": "Herald <herald@example.com>",
            }
        )
        now = utcnow()
        with app.app_context(), db.connection_context(), db.atomic():
            team = Team.create(name="Everyone")
            del team
            rows = [
                {"email": f"e{i:06d}@example.com", "name": f"Employee {i}", "status": "active"}
                for i in range(employees)
            ]
            for start in range(0, employees, 400):
                User.insert_many(rows[start : start + 400]).execute()
            del rows
            for i in range(6):
                s = Snippet.create(
                    title=f"Post number {i}: what we shipped",
                    link_url=f"https://example.com/news/{i}",
                    status="approved",
                    featured=i == 0,
                    starts_at=now - timedelta(days=1),
                    expires_at=now + timedelta(days=30),
                    approved_at=now - timedelta(hours=i + 1),
                )
                SnippetVariant.create(
                    snippet=s, network="linkedin", text=f"Proud of the team for release {i}. " * 4
                )
        from server.delivery import deliver_due
        from server.digest import run_week

        rss_before, blocks_before = _rss_kb(), sys.getallocatedblocks()
        sqlite_before = _sqlite_memory()[0]
        with app.app_context(), db.connection_context():
            started, cpu = time.perf_counter(), time.process_time()
            run_week("2026-W49")
            enqueued = time.perf_counter()
            outcome = deliver_due(batch=100)
            finished = time.perf_counter()
        blocks_after = sys.getallocatedblocks()
        print(
            json.dumps(
                {
                    "employees": employees,
                    "sent": outcome["sent"],
                    "enqueue_s": enqueued - started,
                    "deliver_s": finished - enqueued,
                    "rate": outcome["sent"] / (finished - started),
                    # the worker's own CPU: on a shared machine wall-clock follows the load
                    "cpu_rate": outcome["sent"] / (time.process_time() - cpu),
                    "rss_before_kb": rss_before,
                    "rss_peak_kb": _rss_kb(),
                    "sqlite_before": sqlite_before,
                    "sqlite_high": _sqlite_memory()[1],
                    "blocks_growth": blocks_after - blocks_before,
                }
            ),
            flush=True,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- Baseline: the transport alone ----------------------------------------------------------------------------


def baseline(port: int, count: int = 2000) -> float:
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("alternative")
    msg["From"], msg["To"], msg["Subject"] = "a@example.com", "b@example.com", "Baseline"
    line = "Proud of the team for this release, have a look at what we shipped.\n"
    msg.attach(MIMEText(line * 35, "plain"))  # about a digest's size: 2.5 kB text, 9 kB HTML
    msg.attach(MIMEText(("<p>" + line + "</p>") * 120, "html"))
    data = msg.as_string()  # str: smtplib turns its line ends into CRLF
    smtp = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for _ in range(count):
        smtp.sendmail("a@example.com", ["b@example.com"], data)
    elapsed = time.perf_counter() - started
    smtp.quit()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="2000,5000,10000", help="employee counts, the largest is judged"
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count-file", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return sink_main(args.sink, args.count_file)
    if args.run:
        return run_main(args.run, args.port)

    port = _free_port()
    count_file = tempfile.mktemp(prefix="herald-sink-count-")
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port), "--count-file", count_file],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout.readline().strip() == "ready"
        base = statistics.median(baseline(port) for _ in range(args.repeat))
        results: dict[int, list[dict]] = {}
        sizes = [int(n) for n in args.sizes.split(",")]
        for size in sizes:
            for _ in range(args.repeat):
                out = subprocess.run(
                    [sys.executable, __file__, "--run", str(size), "--port", str(port)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env={**os.environ, "PYTHONPATH": str(REPO)},
                )
                results.setdefault(size, []).append(json.loads(out.stdout.strip().splitlines()[-1]))
        time.sleep(1.0)
        delivered = int(Path(count_file).read_text() or 0)
    finally:
        sink.terminate()
        sink.wait()
        Path(count_file).unlink(missing_ok=True)

    print(f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    print(f"Baseline (raw smtplib, same sink, one connection): {base:,.0f} messages/s")
    for size, runs in results.items():
        rate = statistics.median(r["rate"] for r in runs)
        cpu_rate = statistics.median(r["cpu_rate"] for r in runs)
        growth = statistics.median((r["rss_peak_kb"] - r["rss_before_kb"]) / 1024 for r in runs)
        peak = statistics.median(r["rss_peak_kb"] / 1024 for r in runs)
        r0 = runs[0]
        print(
            f"Digest, {size:>6,} employees: {rate:,.0f} messages/s "
            f"(outbox rows {r0['enqueue_s']:.1f} s, delivery {r0['deliver_s']:.1f} s; "
            f"{100 * rate / base:.0f}% of baseline; {cpu_rate:,.0f} per worker CPU-second); peak RSS {peak:,.0f} MiB, "
            f"growth while running {growth:,.1f} MiB (SQLite {r0['sqlite_before'] / 2**20:.1f} -> "
            f"high-water {r0['sqlite_high'] / 2**20:.1f} MiB; Python blocks {r0['blocks_growth']:+,})"
        )
    expected = sum(r["sent"] for runs in results.values() for r in runs)
    print(f"Messages counted by the sink: {delivered:,} (sent: {expected:,})")
    large = statistics.median(r["rate"] for r in results[max(sizes)])
    print(f"Target >= 200 messages/s with one worker: {'met' if large >= 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
