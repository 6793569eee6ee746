"""Single sign-on from the extension's options page, in Debian's chromium with the built extension.

"Sign in with Acme SSO" -> the worker's chrome.identity.launchWebAuthFlow opens the real provider
(npm oidc-provider on loopback) -> the employee fills its login form -> the worker trades the code
for Herald's tokens -> the options page shows the employee. launchWebAuthFlow's window is an
ordinary popup page for Playwright in new-headless Chromium, so the real API is exercised.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from e2e_support import ROOT, free_port, poll

from tests.oidc_support import start_provider

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def sso_provider(browser, tmp_path_factory):
    """Started once the extension's id, hence its chromiumapp.org redirect URI, is known."""
    provider = start_provider(
        tmp_path_factory.mktemp("sso-provider"),
        [f"https://{browser.extension_id}.chromiumapp.org/"],
    )
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def sso_server(sso_provider, tmp_path_factory):
    """A Herald server of its own, configured for the provider through HERALD_OIDC_* variables."""
    from conftest import LiveServer

    instance: Path = tmp_path_factory.mktemp("sso-instance")
    env = {
        **os.environ,
        "HERALD_INSTANCE_PATH": str(instance),
        "HERALD_DATABASE_URL": f"sqlite:///{instance / 'herald.sqlite3'}",
        "HERALD_SECRET_KEY": "test-secret-key-for-sso-e2e-that-is-long-enough-for-hs256",
        "HERALD_CORS_ORIGINS": "*",
        "HERALD_OIDC_ISSUER": sso_provider.issuer,
        "HERALD_OIDC_CLIENT_ID": sso_provider.client_id,
        "HERALD_OIDC_CLIENT_SECRET": sso_provider.client_secret,
        "HERALD_OIDC_PROVIDER_NAME": "Acme SSO",
        "HERALD_OIDC_ALLOWED_DOMAINS": "acme.test",
        "PYTHONPATH": str(ROOT),
    }
    server = LiveServer(instance=instance, port=free_port(), env=env)
    server.cli("init-db")
    server.cli(
        "create-user",
        "--email",
        "eve@acme.test",
        "--name",
        "Eve Employee",
        "--role",
        "employee",
        stdin="a long enough password\na long enough password\n",
    )
    server.start()
    yield server
    server.stop()


def account_status(frame) -> str:
    return frame.locator("#account-status").text_content() or ""


def test_options_page_signs_in_with_the_identity_provider(browser, sso_server, sso_provider):
    ARTIFACTS.mkdir(exist_ok=True)
    page, frame = browser.open_options()
    page.set_viewport_size({"width": 900, "height": 900})
    server_field = frame.get_by_label("Server URL")
    server_field.fill(sso_server.url)
    server_field.press("Tab")  # leaving the field asks the server whether it offers SSO
    button = frame.locator("#sso-sign-in")
    poll(lambda: button.count(), timeout=15, message="the 'Sign in with Acme SSO' button")
    assert button.text_content() == "Sign in with Acme SSO"
    assert "[object Object]" not in (frame.locator("body").text_content() or "")
    page.screenshot(path=str(ARTIFACTS / "options-sso-signed-out.png"))

    # Closing the provider's window is a cancelled sign-in, said so in words.
    with browser.context.expect_page(timeout=15000) as opened:
        button.click()
    opened.value.close()
    poll(
        lambda: "Single sign-on was cancelled" in (frame.locator("body").text_content() or ""),
        timeout=15,
        message="the cancelled message",
    )

    with browser.context.expect_page(timeout=15000) as opened:
        button.click()
    provider_page = opened.value
    provider_page.wait_for_load_state()
    assert provider_page.url.startswith(f"{sso_provider.issuer}/interaction/")
    provider_page.fill("input[name=login]", "eve@acme.test")
    provider_page.fill("input[name=password]", "whatever the provider checks")
    provider_page.click("button[type=submit]")

    poll(
        lambda: "Signed in as Eve Employee (eve@acme.test)" in account_status(frame),
        timeout=20,
        message="'Signed in as Eve Employee' on the options page",
    )
    assert browser.state()["signed_in"]
    page.screenshot(path=str(ARTIFACTS / "options-sso-signed-in.png"))
    page.close()
