"""Console sign-in, access, CSRF, session cookie and CSP."""

from __future__ import annotations

import re

import pytest

from server import create_app
from tests.admin.conftest import add_snippet
from tests.conftest import make_user

# Every GET page of the console; each must refuse employees and redirect anonymous visitors.
PAGES = [
    "/admin/",
    "/admin/snippets",
    "/admin/snippets/new",
    "/admin/guidelines",
    "/admin/guidelines/new",
    "/admin/playground",
    "/admin/people",
    "/admin/campaigns",
    "/admin/settings",
    "/admin/settings/recognition",
    "/admin/audit",
    "/admin/exports",
    "/admin/exports/shares.csv",
    "/admin/exports/clicks.csv",
    "/admin/exports/campaigns.csv",
    "/admin/assets/brython.js",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/admin/sign-in?next=")


def test_every_console_route_is_admin_only_except_sign_in_and_out(app):
    levels = {
        rule.endpoint: getattr(app.view_functions[rule.endpoint], "access_level", None)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin") and not rule.endpoint.endswith(".static")
    }
    assert levels.pop("admin.sign_in") == "public"
    assert levels.pop("admin.sign_out") == "public"
    assert levels.pop("admin.sso_start") == "public"  # single sign-on: start and callback
    assert levels.pop("admin.sso_callback") == "public"
    assert levels.pop("admin.set_language") == "public"  # the switcher on the sign-in page too
    assert levels and set(levels.values()) == {"admin"}


def test_admin_signs_in_and_lands_on_the_dashboard(console, admin):
    resp = console.sign_in(admin.email, follow_redirects=True)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in page
    assert "Ada Admin" in page


def test_wrong_password_shows_the_error_on_the_form(console, admin):
    resp = console.sign_in(admin.email, "wrong password")
    assert resp.status_code == 401
    assert "Email or password is wrong." in resp.get_data(as_text=True)
    assert console.client.get("/admin/").status_code == 302


def test_sign_in_is_throttled_like_the_api(console, admin):
    for _ in range(5):
        console.sign_in(admin.email, "nope nope")
    resp = console.sign_in(admin.email)  # even the right password waits now
    assert resp.status_code == 429
    assert "Too many failed sign-ins" in resp.get_data(as_text=True)


def test_next_only_leads_inside_the_console(console, admin):
    resp = console.client.post(
        "/admin/sign-in",
        data={
            "email": admin.email,
            "password": "correct horse battery",
            "csrf_token": console.csrf(),
            "next": "https://evil.test/x",
        },
    )
    assert resp.headers["Location"] == "/admin/"
    console.client.post("/admin/sign-out", data={"csrf_token": console.token()})
    resp = console.client.post(
        "/admin/sign-in",
        data={
            "email": admin.email,
            "password": "correct horse battery",
            "csrf_token": console.csrf(),
            "next": "/admin/people",
        },
    )
    assert resp.headers["Location"] == "/admin/people"


@pytest.mark.parametrize("url", PAGES)
def test_employees_get_403_on_every_console_page(console, employee, url):
    assert console.sign_in(employee.email).status_code == 302
    resp = console.client.get(url)
    assert resp.status_code == 403
    assert "The console is for admins" in resp.get_data(as_text=True)


def test_employees_cannot_post_either(console, employee):
    console.sign_in(employee.email)
    resp = console.post("/admin/snippets/new", {"title": "x", "variant_x": "hello"})
    assert resp.status_code == 403


def test_disabled_admin_loses_the_session(admin_console, admin):
    from server.db import db
    from server.models import User

    with db.connection_context():
        User.update(status="disabled").where(User.id == admin.id).execute()
    assert admin_console.client.get("/admin/").status_code == 302


def test_sign_out_ends_the_session(admin_console):
    resp = admin_console.post("/admin/sign-out")
    assert resp.status_code == 302
    assert admin_console.client.get("/admin/").status_code == 302


def test_post_without_csrf_token_is_refused(admin_console):
    resp = admin_console.client.post("/admin/campaigns", data={"name": "Spring"})
    assert resp.status_code == 400
    assert "missing its security token" in resp.get_data(as_text=True)
    assert "Spring" not in admin_console.page("/admin/campaigns")


def test_post_with_a_wrong_csrf_token_is_refused(admin_console):
    resp = admin_console.client.post(
        "/admin/campaigns", data={"name": "Spring", "csrf_token": "forged"}
    )
    assert resp.status_code == 403
    assert "not valid" in resp.get_data(as_text=True)


def test_sign_in_form_needs_its_token_too(client, admin):
    resp = client.post(
        "/admin/sign-in", data={"email": admin.email, "password": "correct horse battery"}
    )
    assert resp.status_code == 400


def test_fetch_calls_send_the_token_in_a_header(admin_console):
    rows = {"rows": [{"email": "new@acme.test", "name": "New"}], "first_line": 2}
    refused = admin_console.client.post(
        "/admin/people/import", json=rows, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"].startswith("This form is missing")
    ok = admin_console.client.post(
        "/admin/people/import",
        json=rows,
        headers={"X-CSRF-Token": admin_console.token(), "Accept": "application/json"},
    )
    assert ok.status_code == 200
    assert ok.get_json()["results"][0]["outcome"] == "created"


def test_session_cookie_is_httponly_lax_and_secure_outside_debug(console, admin, tmp_path):
    resp = console.sign_in(admin.email)
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    prod = create_app(
        {"SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    )
    assert prod.config["SESSION_COOKIE_SECURE"] is True


def test_console_pages_carry_a_strict_csp(admin_console):
    resp = admin_console.client.get("/admin/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-eval" not in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    body = resp.get_data(as_text=True)
    # No inline script anywhere (pygal's own <script> is stripped from the SVGs).
    assert not re.search(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"(text/python|application/json)\")", body
    )
    assert resp.headers["Cache-Control"] == "no-store"


def test_only_brython_pages_allow_eval(admin_console):
    add_snippet("Checked")
    for url in ("/admin/playground", "/admin/snippets/new", "/admin/snippets/1"):
        assert (
            "'unsafe-eval'" in admin_console.client.get(url).headers["Content-Security-Policy"]
        ), url
    for url in ("/admin/snippets", "/admin/people", "/admin/settings"):
        assert (
            "unsafe-eval" not in admin_console.client.get(url).headers["Content-Security-Policy"]
        ), url


def test_brython_is_served_from_the_pip_package(admin_console):
    resp = admin_console.client.get("/admin/assets/brython.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert b"__BRYTHON__" in resp.get_data()


def test_unknown_console_page_is_a_page_not_json(admin_console):
    resp = admin_console.client.get("/admin/nope", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"


def test_second_admin_can_also_sign_in(console, app):
    make_user("bo@acme.test", role="admin", name="Bo Boss")
    assert console.sign_in("bo@acme.test").status_code == 302
