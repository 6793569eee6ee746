"""Load benchmark for the extension's hot paths, against a bare Flask baseline measured in the same run.

Seeds a temporary SQLite database (100k snippets, 10k users, 20 teams), serves Herald and a bare
Flask app with gunicorn on 127.0.0.1, and drives both with Debian's `wrk`:

    .venv/bin/python benchmarks/server_load.py [--duration 10] [--connections 50] [--keep]

Prints req/s and p50/p99 for GET /api/v1/suggestions?network=x and for the bare endpoint, their
ratio, and batched share ingestion in events/s. Targets: p99 <= 30 ms, >= 40 % of the bare req/s,
>= 1,500 share events/s.
"""

from __future__ import annotations

import argparse
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

            def bulk(model, rows, size=2000):
                with db.atomic():
                    for chunk in chunked(rows, size):
                        model.insert_many(chunk).execute()

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
            # Fold the 250 MB just written back into the database file and flush it: otherwise
            # the first measurements read through a huge WAL while the disk is still busy.
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
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


def start_gunicorn(app_spec: str, port: int, args, env: dict) -> subprocess.Popen:
    cmd = [
        sys.executable,
        *(["-S"] if sys.flags.no_site else []),
        "-m",
        "gunicorn",
        "--workers",
        str(args.workers),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: what `herald run` uses on SQLite)"
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (herald run uses sync)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--db", type=Path, help="reuse a database seeded by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    if not Path(WRK).exists():
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    if args.workers is None:
        from server.wsgi_server import default_workers

        args.workers = default_workers("sqlite:///")
    tmp = Path(tempfile.mkdtemp(prefix="herald-bench-"))
    if args.db:
        db_path = args.db.resolve()
        tokens = employee_tokens(f"sqlite:///{db_path}")
        print(f"reusing {db_path}")
    else:
        db_path = tmp / "bench.sqlite3"
        started = time.perf_counter()
        tokens = seed(f"sqlite:///{db_path}", random.Random(20261122))
        print(
            f"seeded {SNIPPETS:,} snippets, {USERS:,} users, {TEAMS} teams, {SHARES:,} shares "
            f"in {time.perf_counter() - started:.1f}s ({db_path})"
        )
    db_url = f"sqlite:///{db_path}"
    env = dict(
        os.environ,
        HERALD_DATABASE_URL=db_url,
        HERALD_SECRET_KEY=SECRET,
        HERALD_INSTANCE_PATH=str(tmp / "instance"),
        HERALD_PUBLIC_BASE_URL="https://herald.example",
    )
    auth = f"Authorization: Bearer {tokens[0]}"
    people = tmp / "people.lua"
    people.write_text(
        PEOPLE_LUA % {"count": len(tokens), "tokens": ",".join(f'"{t}"' for t in tokens)}
    )
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads; "
        f"wrk -c{args.connections} -t2 -d{args.duration}s --latency"
    )

    port = free_port()
    bare = start_gunicorn("server_load:make_bare_app()", port, args, env)
    try:
        # The same client script as for suggestions, so wrk does the same work per request.
        ping = f"http://127.0.0.1:{port}/ping"
        run_wrk(ping, argparse.Namespace(**{**vars(args), "duration": 2}), [], people)
        base = run_wrk(ping, args, [], people)
    finally:
        stop(bare)

    port = free_port()
    herald = start_gunicorn("server:create_app()", port, args, env)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/suggestions?network=x"
        sample = _sample(url, tokens[0])
        print(
            f"{len(tokens)} employees take turns; a response holds {sample['items']} suggestions "
            f"in {sample['bytes']:,} bytes"
        )
        # Warm-up: each worker's caches, and everyone's tracked links made on first sight.
        run_wrk(url, argparse.Namespace(**{**vars(args), "duration": 3}), [], people)
        sugg = run_wrk(url, args, [], people)
        script = tmp / "shares.lua"
        script.write_text(SHARES_LUA % {"batch": BATCH, "snippets": SNIPPETS})
        before = _share_count(db_path)
        shares = run_wrk(f"http://127.0.0.1:{port}/api/v1/shares", args, [auth], script)
        stored = _share_count(db_path) - before
    finally:
        stop(herald)

    events_per_s = stored / shares["seconds"]
    ratio = sugg["rps"] / base["rps"]
    print()
    print(f"{'endpoint':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'bare Flask GET /ping':34} {base['rps']:9.0f} {base['p50']:8.2f} {base['p99']:8.2f}")
    print(
        f"{'GET /api/v1/suggestions?network=x':34} {sugg['rps']:9.0f} {sugg['p50']:8.2f} "
        f"{sugg['p99']:8.2f}"
    )
    print(
        f"{'POST /api/v1/shares (x' + str(BATCH) + ')':34} {shares['rps']:9.0f} "
        f"{shares['p50']:8.2f} {shares['p99']:8.2f}"
    )
    print()
    print(f"suggestions / bare req/s: {ratio:.0%}")
    print(
        f"share events stored: {stored:,} in {shares['seconds']:.1f}s = {events_per_s:,.0f} events/s"
    )
    for name, result in (("bare", base), ("suggestions", sugg), ("shares", shares)):
        if result["bad"] or result["errors"]:
            print(f"WARNING {name}: {result['bad']} non-2xx/3xx responses {result['errors']}")
    checks = [
        ("suggestions p99 <= 30 ms", sugg["p99"] <= TARGETS["p99_ms"]),
        ("suggestions >= 40% of bare req/s", ratio >= TARGETS["ratio"]),
        ("share ingestion >= 1,500 events/s", events_per_s >= TARGETS["events_per_s"]),
    ]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(ok for _, ok in checks) else 1


def _sample(url: str, token: str) -> dict:
    """One real response, so the figures are known to measure full pages, not errors."""
    import json
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        body = resp.read()
    return {"items": len(json.loads(body)["items"]), "bytes": len(body)}


def _share_count(db_path: Path) -> int:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM share").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
