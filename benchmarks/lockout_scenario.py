"""Sign-in throttling under a real attack from behind a shared address (a NAT or a TLS proxy).

Starts `herald run` (gunicorn, 3 workers) on a fresh SQLite instance. Everyone connects from
127.0.0.1, as a whole company does behind its NAT. Then:

1. GUESSES concurrent wrong passwords for one account (the victim);
2. a colleague signs in from the same address with the right password;
3. the victim tries the right password (locked: the guesser may be them, or someone at their desk);
4. a password spray: one wrong password for SPRAY other accounts from the same address;
5. the colleague signs in again.

Prints every figure and exits non-zero when the throttle misbehaves:

    .venv/bin/python benchmarks/lockout_scenario.py [--guesses 40] [--spray 20]

tests/server/test_live_scenarios.py runs it.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.live_server import PASSWORD, Client, live_server  # noqa: E402

VICTIM = "victim@scenario.test"
COLLEAGUE = "colleague@scenario.test"


def _concurrent_wrong_logins(port: int, email: str, count: int) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(count)

    def guess(n: int) -> None:
        client = Client(port)
        try:
            start.wait(timeout=30)
            status, _, _ = client.login(email, f"wrong-guess-{n}")
        except Exception:  # noqa: BLE001 (a dropped connection is a figure too)
            status = 0
        finally:
            client.close()
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _failures_recorded(database: Path, email: str) -> int:
    """Failed sign-ins stored against the victim's account, read from the database itself."""
    conn = sqlite3.connect(database)
    try:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM loginfailure WHERE key = ?", (f"account:{email}",)
        ).fetchone()
    finally:
        conn.close()
    return count


def run(guesses: int = 40, spray: int = 20, workers: int = 3) -> dict:
    with live_server([(VICTIM, "employee"), (COLLEAGUE, "employee")], workers=workers) as live:
        statuses = _concurrent_wrong_logins(live.port, VICTIM, guesses)
        recorded = _failures_recorded(live.database, VICTIM)
        client = Client(live.port)
        colleague_status = client.login(COLLEAGUE)[0]
        victim_status, victim_body, victim_headers = client.login(VICTIM, PASSWORD)
        spray_statuses: Counter = Counter(
            client.login(f"person{n}@scenario.test", "Spring2026!")[0] for n in range(spray)
        )
        colleague_after_spray = client.login(COLLEAGUE)[0]
        client.close()
    return {
        "guesses": guesses,
        "statuses": dict(sorted(statuses.items())),
        "errors_5xx": sum(c for s, c in statuses.items() if s >= 500 or s == 0),
        "passwords_checked": statuses.get(401, 0),
        "refused_by_throttle": statuses.get(429, 0),
        "failures_recorded": recorded,
        "colleague_same_address": colleague_status,
        "victim_right_password": victim_status,
        "victim_retry_after": victim_headers.get("Retry-After"),
        "spray": spray,
        "spray_statuses": dict(sorted(spray_statuses.items())),
        "colleague_after_spray": colleague_after_spray,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guesses", type=int, default=40)
    parser.add_argument("--spray", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    r = run(args.guesses, args.spray, args.workers)
    print(
        f"{r['guesses']} concurrent wrong passwords for one account from one address: "
        f"statuses {r['statuses']}, {r['passwords_checked']} passwords checked, "
        f"{r['refused_by_throttle']} refused by the throttle, {r['failures_recorded']} failures "
        f"recorded, {r['errors_5xx']} server errors"
    )
    print(f"colleague from the same address, right password: {r['colleague_same_address']}")
    print(
        f"victim, right password: {r['victim_right_password']} "
        f"(Retry-After {r['victim_retry_after']})"
    )
    print(
        f"spray of {r['spray']} accounts from that address: {r['spray_statuses']}; "
        f"colleague afterwards: {r['colleague_after_spray']}"
    )
    ok = (
        r["errors_5xx"] == 0
        and r["passwords_checked"] + r["refused_by_throttle"] == r["guesses"]
        and r["colleague_same_address"] == 200
        and r["victim_right_password"] == 429
        and r["colleague_after_spray"] == 200
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
