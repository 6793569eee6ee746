"""Every route is in tests/server/route_table.py, and the guards enforce what the table says.

Anonymous callers of employee/admin routes are told to sign in (401; console pages may redirect to
the console's sign-in), employees calling admin routes get 403, and admins get past the guard.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from server import console_sessions, create_app
from server.db import db, migrate_database
from server.models import User
from server.tokens import issue_access_token
from tests.conftest import make_user
from tests.server.route_table import ROUTES

# Console and invite pages use a session cookie and CSRF tokens instead of bearer tokens.
SESSION_PREFIXES = ("/admin", "/invite/")
SIGN_IN_PATH = "/admin/sign-in"
CSRF = "route-table-csrf-token"
_ARG = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


def app_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def sample_path(rule: str) -> str:
    """A concrete URL for `rule`; ids that match nothing, so admin calls change nothing."""

    def value(match: re.Match) -> str:
        if match["converter"] == "int":
            return "999999"
        if match["converter"] == "any":
            return match["args"].split(",")[0].strip().strip("'\"")
        return "no-such-thing"

    return _ARG.sub(value, rule)


@pytest.fixture(scope="module")
def walk_app(databases):
    """One app for the whole walk: ~90 routes x 3 callers on a fresh app each would be slow."""
    database_url = databases.new()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "http://herald.test",
        }
    )
    with app.app_context():
        migrate_database()  # the app must work on the schema the migrations build
    make_user("ada@acme.test", role="admin")
    make_user("eve@acme.test", teams=("Engineering",))
    yield app
    databases.drop(database_url)


def call(app: Flask, email: str | None, method: str, path: str) -> TestResponse:
    """One request as nobody, or as `email`, signed in the way this kind of route expects."""
    client = app.test_client()
    headers: dict[str, str] = {}
    with app.app_context(), db.connection_context():
        user = User.get(User.email == email) if email else None
        if not path.startswith(SESSION_PREFIXES) and user is not None:
            # A fresh token per call: a sign-out route earlier in the walk must not leak into this one.
            headers["Authorization"] = f"Bearer {issue_access_token(user)[0]}"
    if path.startswith(SESSION_PREFIXES):
        sid = None
        if user is not None:
            with app.app_context(), db.connection_context():
                sid = console_sessions.start(user)  # a server-side session, as sign-in makes
        with client.session_transaction() as session:
            # The console's session keys (server/admin/core.py): session id and CSRF token.
            session["csrf"] = CSRF
            if sid is not None:
                session["sid"] = sid
        if method != "GET":
            headers["X-CSRF-Token"] = CSRF
    return client.open(path, method=method, headers=headers)


def redirects_to_sign_in(resp: TestResponse) -> bool:
    return resp.status_code in (302, 303) and urlparse(resp.location).path == SIGN_IN_PATH


def error_code(resp: TestResponse) -> str | None:
    body = resp.get_json(silent=True)
    return body.get("error", {}).get("code") if isinstance(body, dict) else None


def describe(who: str, method: str, path: str, resp: TestResponse) -> str:
    return f"{who} {method} {path} -> {resp.status_code} {resp.get_data(as_text=True)[:200]!r}"


def test_every_route_is_in_the_table(walk_app):
    missing = sorted(app_routes(walk_app) - ROUTES.keys())
    assert not missing, (
        "Routes missing from tests/server/route_table.py; add each with its access level:\n"
        + "\n".join(f'    ("{rule}", "{method}"): "...",' for rule, method in missing)
    )


def test_the_table_lists_no_routes_that_are_gone(walk_app):
    stale = sorted(ROUTES.keys() - app_routes(walk_app))
    assert not stale, f"Rows for routes that no longer exist: {stale}"


def test_declared_levels_match_the_table(walk_app):
    declared = {}
    for rule in walk_app.url_map.iter_rules():
        view = walk_app.view_functions[rule.endpoint]
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            declared[(rule.rule, method)] = getattr(view, "access_level", None)
    wrong = {
        key: (declared[key], level)
        for key, level in ROUTES.items()
        if key in declared and declared[key] != level
    }
    assert not wrong, f"(rule, method): (declared, table) disagree: {wrong}"


@pytest.mark.parametrize(
    "rule, method", sorted(ROUTES), ids=[f"{m} {r}" for r, m in sorted(ROUTES)]
)
def test_guards_enforce_the_table(walk_app, rule, method):
    if (rule, method) not in app_routes(walk_app):
        pytest.skip("not a route of this app (see the stale-rows test)")
    level = ROUTES[(rule, method)]
    path = sample_path(rule)
    session = path.startswith(SESSION_PREFIXES)
    anonymous = call(walk_app, None, method, path)
    employee = call(walk_app, "eve@acme.test", method, path)
    admin = call(walk_app, "ada@acme.test", method, path)

    if level == "public":
        for who, resp in (("anonymous", anonymous), ("employee", employee), ("admin", admin)):
            assert resp.status_code != 403, describe(who, method, path, resp)
            if method == "GET":  # sign-out (POST) rightly lands on the sign-in page
                assert not redirects_to_sign_in(resp), describe(who, method, path, resp)
            assert error_code(resp) not in ("unauthorized", "forbidden"), describe(
                who, method, path, resp
            )
        return

    if session:
        refused = anonymous.status_code in (401, 403) or (
            method == "GET" and redirects_to_sign_in(anonymous)
        )
        assert refused, describe("anonymous", method, path, anonymous)
    else:
        assert anonymous.status_code == 401, describe("anonymous", method, path, anonymous)
        assert error_code(anonymous) == "unauthorized"

    if level == "admin":
        assert employee.status_code == 403, describe("employee", method, path, employee)
    else:
        assert employee.status_code not in (401, 403), describe("employee", method, path, employee)
        assert not redirects_to_sign_in(employee), describe("employee", method, path, employee)

    assert admin.status_code not in (401, 403), describe("admin", method, path, admin)
    if (rule, method) != ("/admin/sign-out-everywhere", "POST"):  # that one rightly lands there
        assert not redirects_to_sign_in(admin), describe("admin", method, path, admin)
    assert admin.status_code < 500, describe("admin", method, path, admin)
