"""The console's 'Sign in with <provider>' in Debian's chromium, against a real provider.

A real browser enforces what the test client cannot: the sign-in page's Content-Security-Policy
(form-action also governs where the form's redirect may lead) and the session cookie surviving the
round trip through the provider.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import make_user
from tests.oidc_support import free_port, start_provider

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def sso_console(tmp_path_factory):
    """The app on a real port, configured for a provider that knows its callback."""
    from werkzeug.serving import make_server

    from server import create_app
    from server.db import create_tables

    workdir = tmp_path_factory.mktemp("console-sso")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = start_provider(workdir / "oidc", [f"{base}/admin/sign-in/sso/callback"])
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live-test-secret-key-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{workdir / 'live.sqlite3'}",
            "PUBLIC_BASE_URL": base,
            **provider.herald_config(OIDC_ALLOWED_DOMAINS=["acme.test"]),
        }
    )
    with app.app_context():
        create_tables()
        make_user("ada@acme.test", role="admin", name="Ada Admin")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=5)
    provider.stop()


def open_sign_in(browser, base: str):
    """A fresh browser (no provider session) sent to the sign-in page on its way to People."""
    context = browser.new_context(base_url=base, viewport={"width": 1100, "height": 700})
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/admin/people")
    assert "/admin/sign-in" in page.url
    return context, page


def test_admin_signs_in_with_the_provider_and_lands_where_they_were_going(browser, sso_console):
    context, page = open_sign_in(browser, sso_console)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-sign-in-sso.png"))
    page.click("text=Sign in with Acme SSO")
    page.wait_for_url("**/interaction/**")
    page.fill("input[name=login]", "ada@acme.test")
    page.fill("input[name=password]", "whatever the provider checks")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:text('People')")
    assert page.url == f"{sso_console}/admin/people"
    assert page.csp_errors == []
    context.close()


def test_a_refusal_is_a_clear_page(browser, sso_console):
    context, page = open_sign_in(browser, sso_console)
    page.click("text=Sign in with Acme SSO")
    page.wait_for_url("**/interaction/**")
    page.fill("input[name=login]", "olga@other.test")
    page.fill("input[name=password]", "whatever")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Accounts from other.test may not sign in here")
    assert "Traceback" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "console-sso-refused.png"))
    context.close()
