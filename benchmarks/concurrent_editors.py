"""Several admins editing at once on one SQLite file: every write waits its turn, none fails.

Starts `herald run` (gunicorn, 3 workers) on a fresh SQLite instance and lets EDITORS threads,
each signed in as its own admin, do ROUNDS rounds of: create a snippet, PATCH it, PATCH one
snippet every editor shares, approve and archive their own, create and delete a draft, and save
(PUT) a guideline rule. Prints how many requests were sent and how many failed (5xx, or any other
status than the one the step expects):

    .venv/bin/python benchmarks/concurrent_editors.py [--editors 8] [--rounds 6]

tests/server/test_live_scenarios.py runs it and expects 0 failures.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.live_server import Client, live_server  # noqa: E402

SNIPPETS = "/api/v1/snippets"


def _snippet(title: str) -> dict:
    return {"title": title, "variants": {"linkedin": [f"{title}: read all about it."]}}


def _editor(port: int, email: str, shared_id: int, rule: dict, rounds: int, out: dict) -> None:
    client = Client(port)
    statuses: Counter = Counter()
    failures: list[str] = []
    try:
        auth = client.bearer(email)

        def step(name: str, expected: int, method: str, path: str, body=None) -> object:
            status, payload, _ = client.request(method, path, body, auth)
            statuses[status] += 1
            if status != expected:
                failures.append(f"{name} {method} {path} -> {status} {payload}")
            return payload

        for n in range(rounds):
            mine = step("create", 201, "POST", SNIPPETS, _snippet(f"{email} round {n}"))
            sid = mine["id"] if isinstance(mine, dict) else 0
            step("patch own", 200, "PATCH", f"{SNIPPETS}/{sid}", {"title": f"{email} r{n} edit"})
            step(
                "patch shared",
                200,
                "PATCH",
                f"{SNIPPETS}/{shared_id}",
                {"title": f"Shared, last edited by {email} in round {n}"},
            )
            step("approve", 200, "POST", f"{SNIPPETS}/{sid}/approve")
            step("archive", 200, "POST", f"{SNIPPETS}/{sid}/archive")
            draft = step("create draft", 201, "POST", SNIPPETS, _snippet(f"{email} scrap {n}"))
            did = draft["id"] if isinstance(draft, dict) else 0
            step("delete", 204, "DELETE", f"{SNIPPETS}/{did}")
            doc = dict(rule, message=f"{rule['message']} ({email}, round {n})")
            step("guideline save", 200, "PUT", f"/api/v1/guidelines/{rule['id']}", doc)
    except Exception as exc:  # a dropped connection counts as a failure, not a crash of the run
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        client.close()
    out[email] = (statuses, failures)


def run(editors: int = 8, rounds: int = 6, workers: int = 3) -> dict:
    """Returns {"requests", "errors_5xx", "failures", "seconds", "examples"}."""
    admins = [f"editor{i}@scenario.test" for i in range(1, editors + 1)]
    with live_server([(email, "admin") for email in admins], workers=workers) as live:
        port = live.port
        setup = Client(port)
        auth = setup.bearer(admins[0])
        _, shared, _ = setup.request("POST", SNIPPETS, _snippet("Shared by every editor"), auth)
        _, rules, _ = setup.request("GET", "/api/v1/guidelines", None, auth)
        setup.close()
        rule = rules["items"][0]
        out: dict = {}
        threads = [
            threading.Thread(
                target=_editor, args=(port, email, shared["id"], rule, rounds, out), daemon=True
            )
            for email in admins
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        seconds = time.perf_counter() - started
    statuses: Counter = Counter()
    failures: list[str] = []
    for email in admins:
        got, failed = out.get(email, (Counter(), [f"{email}: no result"]))
        statuses.update(got)
        failures.extend(failed)
    return {
        "editors": editors,
        "requests": sum(statuses.values()),
        "errors_5xx": sum(count for status, count in statuses.items() if status >= 500),
        "failures": len(failures),
        "statuses": dict(sorted(statuses.items())),
        "seconds": round(seconds, 1),
        "examples": failures[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    result = run(args.editors, args.rounds, args.workers)
    print(
        f"{result['editors']} concurrent editors: {result['requests']} requests in "
        f"{result['seconds']} s, {result['errors_5xx']} server errors (5xx), "
        f"{result['failures']} failed steps; statuses {result['statuses']}"
    )
    for example in result["examples"]:
        print("  ", example[:300])
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
