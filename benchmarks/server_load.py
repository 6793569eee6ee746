"""Load benchmark for the extension's hot paths, against a bare Flask baseline measured in the same run.

Seeds a temporary database (100k snippets, 10k users, 20 teams, 200k shares) in SQLite, or in a
PostgreSQL server the benchmark starts itself (tests/pg_support.py, Debian's postgresql), serves
Herald and a bare Flask app with gunicorn on 127.0.0.1, and drives both with Debian's `wrk`:

    .venv/bin/python benchmarks/server_load.py [--database sqlite|postgresql|both]
        [--duration 10] [--connections 50] [--warmup 15] [--keep]

Prints req/s and p50/p99 for GET /api/v1/suggestions?network=x and for the bare endpoint, their
ratio, and batched share ingestion in events/s, one column per database. Targets: p99 <= 30 ms on
SQLite and <= 40 ms on PostgreSQL, >= 40 % of the bare req/s, >= 1,500 share events/s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRK = shutil.which("wrk") or "/usr/bin/wrk"
SNIPPETS = 100_000
USERS = 10_000
TEAMS = 20
CAMPAIGNS = 10
SHARES = 200_000
BATCH = 100
SECRET = "benchmark-secret-key-long-enough-for-hs256-signatures"

TARGETS = {"p99_ms": 30.0, "ratio": 0.40, "events_per_s": 1500.0}


def make_bare_app():
    """The baseline: Flask and gunicorn with nothing of Herald's, returning a small JSON."""
    from flask import Flask, jsonify

    bare = Flask("bare")

    @bare.get("/ping")
    def ping():
        return jsonify(ok=True, items=[1, 2, 3])

    return bare


# --- seeding -----------------------------------------------------------------------------------


def seed(db_url: str, rng: random.Random) -> str:
    """Fill the database in a few large transactions; returns employees' access tokens."""
    from peewee import chunked
    from werkzeug.security import generate_password_hash

    from server import create_app
    from server.db import create_tables, db
    from server.models import (
        Campaign,
        Membership,
        Share,
        Snippet,
        SnippetTeam,
        SnippetVariant,
        Team,
        User,
        utcnow,
    )

    app = create_app({"SECRET_KEY": SECRET, "DATABASE_URL": db_url, "ACCESS_TOKEN_MINUTES": 120})
    now = utcnow()
    with app.app_context():
        create_tables()
        with db.connection_context():
            password = generate_password_hash(
                "benchmark-password"
            )  # one hash, reused: seeding speed

            on_postgres = not db_url.startswith("sqlite")

            def bulk(model, rows, size=2000):
                with db.atomic():
                    if on_postgres:  # COPY: a tenth of the time multi-row INSERTs take there
                        copy(model, rows)
                        return
                    for chunk in chunked(rows, size):
                        model.insert_many(chunk).execute()

            def copy(model, rows):
                # Every column but the id, defaults filled in as insert_many would.
                fields = [
                    f for f in model._meta.sorted_fields if f is not model._meta.primary_key
                ] or list(model._meta.sorted_fields)
                defaults = {
                    f.name: (f.default() if callable(f.default) else f.default) for f in fields
                }
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                for row in rows:
                    values = ({**defaults, **row}[f.name] for f in fields)
                    writer.writerow(
                        [
                            r"\N" if v is None else f.db_value(v)
                            for f, v in zip(fields, values, strict=True)
                        ]
                    )
                buffer.seek(0)
                columns = ", ".join(f'"{f.column_name}"' for f in fields)
                db.cursor().copy_expert(
                    f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN '
                    r"WITH (FORMAT csv, NULL '\N')",
                    buffer,
                )

            bulk(Team, [{"name": f"Team {i:02d}"} for i in range(1, TEAMS + 1)])
            bulk(
                Campaign,
                [{"name": f"Campaign {i}", "hashtag": f"Acme{i}"} for i in range(1, CAMPAIGNS + 1)],
            )
            bulk(
                User,
                [
                    {
                        "email": f"user{i}@bench.test",
                        "name": f"User {i}",
                        "password_hash": password,
                        "role": "admin" if i == 1 else "employee",
                        "status": "active",
                        "joined_at": now,
                    }
                    for i in range(1, USERS + 1)
                ],
            )
            memberships = set()
            for user_id in range(1, USERS + 1):
                for _ in range(1 if rng.random() < 0.8 else 2):
                    memberships.add((user_id, rng.randint(1, TEAMS)))
            bulk(Membership, [{"user": u, "team": t} for u, t in sorted(memberships)])

            snippets, variants, targets = [], [], []
            span = timedelta(days=3 * 365)
            for sid in range(1, SNIPPETS + 1):
                created = now - span * (1 - sid / SNIPPETS) - timedelta(days=1)
                roll = rng.random()
                status = "approved" if roll < 0.85 else ("archived" if roll < 0.95 else "draft")
                approved_at = created + timedelta(hours=rng.randint(1, 24))
                starts = approved_at + timedelta(days=rng.choice([0, 0, 0, 0, 2]))
                targeted = rng.random() < 0.3
                link = f"https://acme.example/news/{sid}" if rng.random() < 0.7 else None
                snippets.append(
                    {
                        "title": f"Acme news #{sid}",
                        "link_url": link,
                        "hashtags": ["acme", f"news{sid % 50}"],
                        "campaign": rng.randint(1, CAMPAIGNS) if rng.random() < 0.4 else None,
                        "targeted": targeted,
                        "status": status,
                        "featured": rng.random() < 0.05,
                        "source": "manual",
                        "language": rng.choice(["en", "ru", "el", "it", "th"]),
                        "starts_at": starts,
                        "expires_at": starts + timedelta(days=180),
                        "created_by": 1,
                        "created_at": created,
                        "updated_at": approved_at,
                        "approved_by": 1 if status != "draft" else None,
                        "approved_at": approved_at if status != "draft" else None,
                        "archived_by": 1 if status == "archived" else None,
                        "archived_at": approved_at + timedelta(days=30)
                        if status == "archived"
                        else None,
                    }
                )
                tail = f" {link}" if link else ""
                for position in range(2):
                    variants.append(
                        {
                            "snippet": sid,
                            "network": "linkedin",
                            "position": position,
                            "text": f"We just shipped something new at Acme (#{sid}, take {position})."
                            f" Proud of the team.{tail}",
                        }
                    )
                if rng.random() < 0.9:
                    variants.append(
                        {
                            "snippet": sid,
                            "network": "x",
                            "position": 0,
                            "text": f"New at Acme: release #{sid}.{tail}",
                        }
                    )
                if targeted:
                    for team in rng.sample(range(1, TEAMS + 1), rng.choice([1, 1, 2])):
                        targets.append({"snippet": sid, "team": team})
            bulk(Snippet, snippets, 1000)
            bulk(SnippetVariant, variants)
            bulk(SnippetTeam, targets)
            recent_low = int(SNIPPETS * 0.8)
            bulk(
                Share,
                [
                    {
                        "event_id": f"seed-{i}",
                        "user": rng.randint(1, USERS),
                        "network": rng.choice(["linkedin", "x"]),
                        "snippet": rng.randint(recent_low, SNIPPETS),
                        "variant": 0,
                        "edited": rng.random() < 0.4,
                        "edit_distance": rng.randint(0, 40),
                        "findings": [],
                        "shared_at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 200)),
                        "received_at": now,
                    }
                    for i in range(SHARES)
                ],
            )
            db.execute_sql("ANALYZE")  # what a long-running deployment's planner would know
            if db_url.startswith("sqlite"):
                # Fold the 250 MB just written back into the database file and flush it: otherwise
                # the first measurements read through a huge WAL while the disk is still busy.
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:  # the same for PostgreSQL: visibility map set, dirty pages written out
                db.execute_sql("VACUUM ANALYZE")
                db.execute_sql("CHECKPOINT")
    os.sync()
    return employee_tokens(db_url)


def employee_tokens(db_url: str) -> list[str]:
    """Access tokens for every 20th employee: people in one team and in two, who poll in turn."""
    from server import create_app
    from server.db import db
    from server.models import User
    from server.tokens import issue_access_token

    app = create_app({"SECRET_KEY": SECRET, "DATABASE_URL": db_url, "ACCESS_TOKEN_MINUTES": 120})
    with app.app_context(), db.connection_context():
        people = User.select().where(User.role == "employee").order_by(User.id)
        return [issue_access_token(user)[0] for user in people[::20]]


# --- serving and measuring -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, args, workers: int, env: dict) -> subprocess.Popen:
    cmd = [
        sys.executable,
        *(["-S"] if sys.flags.no_site else []),
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--pythonpath",
        f"{ROOT},{ROOT / 'benchmarks'}",
        app_spec,
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}") from None
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNITS[unit]


def run_wrk(url: str, args, headers: list[str], script: Path | None = None) -> dict:
    cmd = [WRK, f"-c{args.connections}", "-t2", f"-d{args.duration}s", "--latency"]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "seconds": float(re.search(r"requests in ([\d.]+)s", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "bad": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        "errors": re.search(r"Socket errors:.*", out).group(0) if "Socket errors" in out else "",
    }
    return result


THREADS_LUA = """
-- Numbers wrk's threads, so that each seeds its random numbers differently.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local function thread_id()
  return tonumber(wrk.thread:get("tid")) or 0
end
"""


PEOPLE_LUA = (
    THREADS_LUA
    + """
-- Each request comes from one of %(count)d employees, chosen at random (their own bearer token).
local tokens = {%(tokens)s}
local requests = {}
function init(args)
  math.randomseed(os.time() + thread_id() * 7919)
  for i, token in ipairs(tokens) do
    requests[i] = wrk.format(nil, nil, {["Authorization"] = "Bearer " .. token})
  end
end
function request()
  return requests[math.random(#requests)]
end
"""
)


SHARES_LUA = (
    THREADS_LUA
    + """
-- POSTs batches of %(batch)d share events with unique v4 event ids (thread id + counter).
local counter = 0
local tid = 0
function init(args)
  tid = thread_id()
  math.randomseed(os.time() + tid * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"  -- keeps the -H Authorization header too
end
local function uuid()
  counter = counter + 1
  return string.format("%%08x-%%04x-4%%03x-%%04x-%%06x%%06x",
    math.random(0, 0x7fffffff), tid, math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff), math.floor(counter / 0x1000000), counter %% 0x1000000)
end
function request()
  local now = os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ")
  local parts = {}
  for i = 1, %(batch)d do
    parts[i] = string.format(
      '{"event_id":"%%s","network":"x","snippet_id":%%d,"variant":0,"edited":false,' ..
      '"edit_distance":0,"findings":[{"rule":"length","severity":"warning"}],"shared_at":"%%s"}',
      uuid(), math.random(1, %(snippets)d), now)
  end
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
"""
)


ENGINES = ("sqlite", "postgresql")
# On PostgreSQL the same p99 budget plus 10 ms: every query is a round trip to another process.
PG_TARGETS = {**TARGETS, "p99_ms": 40.0}
# The benchmark's PostgreSQL is durable like SQLite in WAL mode with synchronous=normal: fsync on,
# commits acknowledged before they reach the disk (a crash may lose the last moments, never
# corrupts). Not the test suite's fsync=off.
PG_SETTINGS = {
    "fsync": "on",
    "full_page_writes": "on",
    "synchronous_commit": "off",
    "shared_buffers": "256MB",
    "max_connections": "200",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds of load before measuring (steady state)"
    )
    parser.add_argument(
        "--database",
        choices=[*ENGINES, "both"],
        default="sqlite",
        help="where Herald keeps its data; both: the same load on each, figures side by side",
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: what `herald run` uses per engine)"
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (herald run uses sync)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--db", type=Path, help="SQLite: reuse a database seeded by a --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database")
    args = parser.parse_args()
    if not Path(WRK).exists():
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    engines = ENGINES if args.database == "both" else (args.database,)
    tmp = Path(tempfile.mkdtemp(prefix="herald-bench-"))
    runs = {}
    stops = []
    try:
        for engine in engines:
            db_url, stop_db = prepare(engine, args, tmp)
            stops.append(stop_db)
            runs[engine] = measure_herald(engine, db_url, args, tmp)
            stop_db()  # one engine at a time on the two cores
        base = measure_bare(args, tmp, runs[engines[0]]["people"])
    finally:
        for stop_db in stops:
            stop_db()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return report(engines, base, runs)


def prepare(engine: str, args, tmp: Path):
    """(database URL seeded with the standard data, a function that stops its server)."""
    rng = random.Random(20261122)
    if engine == "sqlite":
        if args.db:
            print(f"reusing {args.db.resolve()}")
            return f"sqlite:///{args.db.resolve()}", lambda: None
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        stop_db = lambda: None  # noqa: E731
    else:
        from tests.pg_support import admin_connection, start_postgres, with_database

        server_url, stop_server = start_postgres(tmp, PG_SETTINGS)
        stopped = []

        def stop_db() -> None:
            if not stopped:
                stopped.append(True)
                stop_server()

        with admin_connection(server_url) as cur:
            cur.execute("CREATE DATABASE herald_bench")
        url = with_database(server_url, "herald_bench")
    started = time.perf_counter()
    seed(url, rng)
    print(
        f"{engine}: seeded {SNIPPETS:,} snippets, {USERS:,} users, {TEAMS} teams, "
        f"{SHARES:,} shares in {time.perf_counter() - started:.1f}s"
    )
    return url, stop_db


def measure_bare(args, tmp: Path, people: Path) -> dict:
    from server.wsgi_server import default_workers

    port = free_port()
    workers = args.workers or default_workers("sqlite:///")
    bare = start_gunicorn("server_load:make_bare_app()", port, args, workers, dict(os.environ))
    try:
        # The same client script as for suggestions, so wrk does the same work per request.
        ping = f"http://127.0.0.1:{port}/ping"
        run_wrk(ping, argparse.Namespace(**{**vars(args), "duration": 2}), [], people)
        return run_wrk(ping, args, [], people)
    finally:
        stop(bare)


def measure_herald(engine: str, db_url: str, args, tmp: Path) -> dict:
    from server.wsgi_server import default_workers

    tokens = employee_tokens(db_url)
    workers = args.workers or default_workers(db_url)
    env = dict(
        os.environ,
        HERALD_DATABASE_URL=db_url,
        HERALD_SECRET_KEY=SECRET,
        HERALD_INSTANCE_PATH=str(tmp / "instance"),
        HERALD_PUBLIC_BASE_URL="https://herald.example",
    )
    auth = f"Authorization: Bearer {tokens[0]}"
    people = tmp / f"people-{engine}.lua"
    people.write_text(
        PEOPLE_LUA % {"count": len(tokens), "tokens": ",".join(f'"{t}"' for t in tokens)}
    )
    print(
        f"{engine}: gunicorn {workers} {args.worker_class} workers x {args.threads} threads; "
        f"wrk -c{args.connections} -t2 -d{args.duration}s --latency"
    )
    port = free_port()
    herald = start_gunicorn("server:create_app()", port, args, workers, env)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/suggestions?network=x"
        sample = _sample(url, tokens[0])
        print(
            f"{engine}: {len(tokens)} employees take turns; a response holds {sample['items']} "
            f"suggestions in {sample['bytes']:,} bytes"
        )
        # Warm-up to the steady state panels see: each worker has answered each employee once
        # (their tracked links made on first sight, their answer remembered by
        # server.suggestion_replay); with 5 workers and 500 employees that is 2,500 first answers.
        run_wrk(url, argparse.Namespace(**{**vars(args), "duration": args.warmup}), [], people)
        sugg = run_wrk(url, args, [], people)
        script = tmp / "shares.lua"
        script.write_text(SHARES_LUA % {"batch": BATCH, "snippets": SNIPPETS})
        before = _share_count(db_url)
        shares = run_wrk(f"http://127.0.0.1:{port}/api/v1/shares", args, [auth], script)
        stored = _share_count(db_url) - before
    finally:
        stop(herald)
    return {
        "sugg": sugg,
        "shares": shares,
        "stored": stored,
        "events_per_s": stored / shares["seconds"],
        "people": people,
    }


def report(engines, base: dict, runs: dict) -> int:
    """One column per engine, the bare baseline beside them."""
    width = 26
    print()
    print(f"{'':36}" + "".join(f"{e:>{width}}" for e in engines))
    print(f"{'':36}" + f"{'req/s  p50 ms  p99 ms':>{width}}" * len(engines))

    def cells(result: dict) -> str:
        return f"{result['rps']:8.0f} {result['p50']:7.1f} {result['p99']:7.1f}".rjust(width)

    print(
        f"{'bare Flask GET /ping':36}" + cells(base) + f"{'(same)':>{width}}" * (len(engines) - 1)
    )
    print(
        f"{'GET /api/v1/suggestions?network=x':36}"
        + "".join(cells(runs[e]["sugg"]) for e in engines)
    )
    print(
        f"{'POST /api/v1/shares (x' + str(BATCH) + ')':36}"
        + "".join(cells(runs[e]["shares"]) for e in engines)
    )
    print(
        f"{'suggestions / bare req/s':36}"
        + "".join(f"{runs[e]['sugg']['rps'] / base['rps']:>{width}.0%}" for e in engines)
    )
    print(
        f"{'share events stored per s':36}"
        + "".join(f"{runs[e]['events_per_s']:>{width},.0f}" for e in engines)
    )
    print()
    ok_all = True
    for name, result in [("bare", base)] + [
        (f"{e} {k}", runs[e][k]) for e in engines for k in ("sugg", "shares")
    ]:
        if result["bad"] or result["errors"]:
            print(f"WARNING {name}: {result['bad']} non-2xx/3xx responses {result['errors']}")
    for engine in engines:
        targets = PG_TARGETS if engine == "postgresql" else TARGETS
        run = runs[engine]
        checks = [
            (
                f"suggestions p99 <= {targets['p99_ms']:.0f} ms",
                run["sugg"]["p99"] <= targets["p99_ms"],
            ),
            (
                f"suggestions >= {targets['ratio']:.0%} of bare req/s",
                run["sugg"]["rps"] / base["rps"] >= targets["ratio"],
            ),
            (
                f"share ingestion >= {targets['events_per_s']:,.0f} events/s",
                run["events_per_s"] >= targets["events_per_s"],
            ),
        ]
        for label, ok in checks:
            print(f"{'PASS' if ok else 'MISS'}  {engine}: {label}")
            ok_all = ok_all and ok
    return 0 if ok_all else 1


def _sample(url: str, token: str) -> dict:
    """One real response, so the figures are known to measure full pages, not errors."""
    import json
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as resp:  # builds the first live set
        body = resp.read()
    return {"items": len(json.loads(body)["items"]), "bytes": len(body)}


def _share_count(db_url: str) -> int:
    from server.db import make_database

    database = make_database(db_url)
    try:
        with database.connection_context():
            return database.execute_sql("SELECT COUNT(*) FROM share").fetchone()[0]
    finally:
        database.close_all()


if __name__ == "__main__":
    sys.exit(main())
