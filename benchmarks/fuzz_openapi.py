"""Schemathesis over Herald's OpenAPI document, in-process (WSGI), as an admin and as an employee.

Every operation gets EXAMPLES generated cases per role (hypothesis, derandomized: the same cases
each run). Counts the cases, the 5xx answers, and the responses that break their documented
schema, and prints a few of each:

    .venv/bin/python benchmarks/fuzz_openapi.py [--examples 50]

tests/server/test_fuzz_openapi.py runs it with a small count (scripts/test.sh) and expects zeros.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "fuzz-password-1"
ROLES = {"admin": "ada@fuzz.test", "employee": "eve@fuzz.test"}


def make_app(directory: Path):
    from werkzeug.security import generate_password_hash

    from server import create_app
    from server.db import create_tables, db
    from server.models import Membership, Team, User, utcnow
    from server.policy_store import load_starter_policy

    # Not TESTING: the fuzzer, not @returns inside the app, judges the responses.
    app = create_app(
        {
            "SECRET_KEY": "fuzz-secret-key-that-is-long-enough-for-hs256-signatures",
            "DATABASE_URL": f"sqlite:///{directory / 'fuzz.sqlite3'}",
            "PUBLIC_BASE_URL": "http://herald.test",
            # Generated sign-ins all fail: keep the throttle from answering 429 to everything.
            "LOGIN_MAX_FAILURES": 10**6,
            "LOGIN_ACCOUNT_MAX_FAILURES": 10**6,
            "LOGIN_ADDRESS_MAX_FAILURES": 10**6,
        }
    )
    with app.app_context():
        create_tables()
        with db.connection_context():
            load_starter_policy()
            team = Team.create(name="Engineering")
            for role, email in ROLES.items():
                user = User.create(
                    email=email,
                    name=role.title(),
                    role=role,
                    status="active",
                    password_hash=generate_password_hash(PASSWORD),
                    joined_at=utcnow(),
                )
                Membership.create(user=user, team=team)
    return app


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.statuses: Counter = Counter()
        self.server_errors: list[str] = []
        self.violations: list[str] = []


def _fuzz(strategy, headers: dict, label: str, examples: int, tally: Tally) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import response_schema_conformance

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same cases every run: a failure is reproducible
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        tally.cases += 1
        response = case.call(headers=headers)
        tally.statuses[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            tally.server_errors.append(f"{label}: {response.status_code} {case.as_curl_command()}")
            return
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except AssertionError as exc:  # schemathesis' failure group is one
            tally.violations.append(f"{label}: {str(exc)[:300]}")

    try:
        fuzz()
    except Exception as exc:  # noqa: BLE001 (a crash of one operation is a finding, not the end)
        tally.server_errors.append(f"{label}: {type(exc).__name__}: {exc}")


def run(examples: int = 12) -> dict:
    import schemathesis
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    tally = Tally()
    operations = 0
    with tempfile.TemporaryDirectory(prefix="herald-fuzz-") as tmp:
        app = make_app(Path(tmp))
        client = app.test_client()
        tokens = {
            role: client.post(
                "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
            ).get_json()["access_token"]
            for role, email in ROLES.items()
        }
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            # Valid cases, and cases that break the schema on purpose (out-of-range numbers, ...).
            strategy = st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            )
            for role, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                _fuzz(strategy, headers, f"{role} {operation.label}", examples, tally)
    return {
        "operations": operations,
        "cases": tally.cases,
        "statuses": dict(sorted(tally.statuses.items())),
        "server_errors": len(tally.server_errors),
        "schema_violations": len(tally.violations),
        "examples": tally.server_errors[:5] + tally.violations[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50)
    args = parser.parse_args()
    r = run(args.examples)
    print(
        f"{r['operations']} operations, {r['cases']} cases: {r['server_errors']} server errors, "
        f"{r['schema_violations']} schema violations; statuses {r['statuses']}"
    )
    for line in r["examples"]:
        print("  ", line[:400])
    sys.exit(1 if r["server_errors"] or r["schema_violations"] else 0)


if __name__ == "__main__":
    main()
