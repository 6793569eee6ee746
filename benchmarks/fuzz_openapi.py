"""Schemathesis over Herald's OpenAPI document, in-process (WSGI), as an admin and as an employee.

Every operation gets up to COVERAGE boundary cases (schemathesis' coverage phase: maximum + 1,
wrong types, ...) and EXAMPLES generated cases per role (hypothesis, derandomized: the same
cases each run). Counts the cases, the 5xx answers, and the responses that break their documented
schema, and prints a few of each:

    .venv/bin/python benchmarks/fuzz_openapi.py [--examples 50] [--coverage 200]

tests/server/test_fuzz_openapi.py runs it with a small count (scripts/test.sh) and expects zeros.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "fuzz-password-1"
FUZZ_HASH_METHOD = "pbkdf2:sha256:1000"
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
            # Every generated sign-in checks a password: production's scrypt (~0.5 s a check)
            # would spend the fuzzing budget hashing, not exploring.
            "PASSWORD_HASH_METHOD": FUZZ_HASH_METHOD,
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
                    password_hash=generate_password_hash(PASSWORD, method=FUZZ_HASH_METHOD),
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
        _call(case, headers, label, tally)

    try:
        fuzz()
    except Exception as exc:  # noqa: BLE001 (a crash of one operation is a finding, not the end)
        tally.server_errors.append(f"{label}: {type(exc).__name__}: {exc}")


def _call(case, headers: dict, label: str, tally: Tally) -> None:
    from schemathesis.checks import response_schema_conformance

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


def _coverage(schema, operation, headers: dict, label: str, limit: int, tally: Tally) -> None:
    """Schemathesis' coverage phase: boundary values from the schema (maximum + 1, 0, "AAA", ...)."""
    from schemathesis import GenerationMode

    cases = schema.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation,
    )
    try:
        for case in itertools.islice(cases, limit):
            _call(case, headers, label, tally)
    except Exception as exc:  # noqa: BLE001 (as in _fuzz)
        tally.server_errors.append(f"{label} (coverage): {type(exc).__name__}: {exc}")


def fresh_tokens(app) -> dict[str, str]:
    """Both accounts active with their roles again, and new access tokens: a fuzzed logout
    revokes the tokens handed out so far, and a fuzzed PATCH /users may disable or demote."""
    from server.db import db
    from server.models import LoginFailure, User

    with app.app_context(), db.connection_context():
        for role, email in ROLES.items():
            User.update(status="active", role=role, tokens_valid_after=None).where(
                User.email == email
            ).execute()
        LoginFailure.delete().execute()
    client = app.test_client()
    tokens = {}
    for role, email in ROLES.items():
        resp = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert resp.status_code == 200, resp.get_json()
        tokens[role] = resp.get_json()["access_token"]
    return tokens


def run(examples: int = 12, coverage: int = 60) -> dict:
    import schemathesis
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    tally = Tally()
    operations = 0
    with tempfile.TemporaryDirectory(prefix="herald-fuzz-") as tmp:
        app = make_app(Path(tmp))
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            # Valid cases, and cases that break the schema on purpose (out-of-range numbers, ...).
            strategy = st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            )
            for role, token in fresh_tokens(app).items():
                headers = {"Authorization": f"Bearer {token}"}
                label = f"{role} {operation.label}"
                _coverage(schema, operation, headers, label, coverage, tally)
                _fuzz(strategy, headers, label, examples, tally)
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
    parser.add_argument("--examples", type=int, default=50, help="generated cases per operation")
    parser.add_argument("--coverage", type=int, default=200, help="boundary cases per operation")
    args = parser.parse_args()
    r = run(args.examples, args.coverage)
    print(
        f"{r['operations']} operations, {r['cases']} cases: {r['server_errors']} server errors, "
        f"{r['schema_violations']} schema violations; statuses {r['statuses']}"
    )
    for line in r["examples"]:
        print("  ", line[:400])
    sys.exit(1 if r["server_errors"] or r["schema_violations"] else 0)


if __name__ == "__main__":
    main()
