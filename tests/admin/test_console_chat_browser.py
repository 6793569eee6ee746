"""The team chat page in Debian's chromium: empty, a refused URL, saved and masked, a test message delivered.

Screenshots of each state go to test-artifacts/ (team-chat-*.png) for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.db import db
from server.delivery import deliver_due
from server.models import Team
from tests.admin.conftest import ADMIN_EMAIL, PASSWORD
from tests.chat_support import Receiver
from tests.conftest import issued_secrets

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SECRET = "T0001/B0002/browsersecretK3y9"


def test_admin_connects_slack_sees_it_masked_and_sends_a_test(live_server, browser):
    app, base = live_server
    app.config["FEED_ALLOW_PRIVATE"] = "1"  # the receiver is on loopback
    issued_secrets.append(SECRET)
    slack = Receiver("slack-message").start()
    with app.app_context(), db.connection_context():
        team = Team.create(name="Chat Sales")
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    try:
        page.goto("/admin/sign-in")
        page.fill("input[name=email]", ADMIN_EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("h1:text('Dashboard')")
        ARTIFACTS.mkdir(exist_ok=True)

        page.goto("/admin/people#teams")
        page.locator(f"a[href='/admin/teams/{team.id}/chat']").click()
        page.wait_for_selector("h1:text('Chat for Chat Sales')")
        assert page.locator(".chat-saved:text('Not connected.')").count() == 2
        assert page.get_by_role("button", name="Send test message").count() == 0
        page.screenshot(path=str(ARTIFACTS / "team-chat-empty.png"), full_page=True)

        slack_form = page.locator("#chat-slack form")
        slack_form.locator("input[name=url]").fill("http://hooks.slack.com/services/T/B/x")
        slack_form.get_by_role("button", name="Save").click()
        error = page.locator("#error-slack")
        assert "must start with https://" in error.text_content()
        page.screenshot(path=str(ARTIFACTS / "team-chat-error.png"), full_page=True)

        slack_form = page.locator("#chat-slack form")
        slack_form.locator("input[name=url]").fill(slack.url(SECRET))
        slack_form.get_by_role("button", name="Save").click()
        page.wait_for_selector("text=Slack webhook saved")
        masked = page.locator("#chat-slack code.masked").text_content()
        assert masked.endswith("/…K3y9") and "browsersecret" not in page.content()
        assert page.locator("#chat-slack input[name=url]").input_value() == ""

        page.locator("#chat-slack").get_by_role("button", name="Send test message").click()
        page.wait_for_selector("text=Test message queued for Slack")
        with app.app_context(), db.connection_context():
            deliver_due()
        [hit] = slack.delivered()
        assert hit.problems == []
        page.reload()
        assert page.locator("#chat-recent .status-sent").count() == 1
        page.screenshot(path=str(ARTIFACTS / "team-chat-saved.png"), full_page=True)

        page.locator("#chat-slack").get_by_role("button", name="Remove").click()
        assert page.dialogs == ["Stop posting to this Slack channel?"]  # dismissed: still connected
        assert page.locator("#chat-slack code.masked").count() == 1
    finally:
        context.close()
        slack.stop()
