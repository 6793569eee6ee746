"""End-to-end recognition: opting in on the options page shows the server's leaderboard (through the
worker's get-leaderboard), the panel beside the composer shows this week's place (the worker's
/recognition/me), and opting out takes both away."""

from __future__ import annotations

import pytest
from e2e_support import EMPLOYEE, poll, run_sync_alarm

pytestmark = pytest.mark.browser

SWITCH = "Count my points and show my name on the leaderboards"


def text(frame, selector: str) -> str:
    loc = frame.locator(selector)
    return (loc.first.text_content() or "").strip() if loc.count() else ""


def test_opt_in_shows_the_leaderboard_and_the_panel_line_opt_out_removes_them(
    signed_in, live_server, open_composer
):
    token = live_server.login(EMPLOYEE)
    assert live_server.api("GET", "/me", token=token)["leaderboard_opt_in"] is False
    page, frame = signed_in.open_options()
    try:
        poll(lambda: frame.locator("#recognition").count(), timeout=15, message="recognition")
        poll(lambda: "Turn recognition on" in text(frame, "#leaderboard-off"), message="off")
        assert frame.locator("#leaderboard-table").count() == 0

        frame.get_by_label(SWITCH).click()
        poll(lambda: "Points:" in text(frame, "#points-rule"), timeout=15, message="leaderboard")
        server = live_server.api("GET", "/recognition/leaderboard?period=week", token=token)
        assert server["opted_in"] is True
        shown = text(frame, "#leaderboard-view")
        for entry in server["entries"]:
            assert entry["name"] in shown
        if not server["entries"]:
            assert "No points yet in this period." in shown
        assert text(frame, "#leaderboard-me").startswith("You")

        frame.locator("#period-all").click()
        every = live_server.api("GET", "/recognition/leaderboard?period=all", token=token)
        poll(
            lambda: frame.locator("#period-all").get_attribute("aria-pressed") == "true",
            message="all time chosen",
        )
        if every["entries"]:
            top = every["entries"][0]["name"]
            poll(lambda: top in text(frame, "#leaderboard-view"), message="all-time leader")

        composer = open_composer("linkedin")
        poll(lambda: composer.panel.locator("#standing").is_visible(), timeout=15, message="line")
        assert composer.panel_text("#standing").startswith("This week:")

        # Opted out elsewhere: the next sync takes the panel's line away.
        live_server.api("PATCH", "/me", {"leaderboard_opt_in": False}, token=token)
        run_sync_alarm(signed_in.worker())
        poll(
            lambda: not composer.panel.locator("#standing").is_visible(), timeout=15, message="gone"
        )
    finally:
        page.close()
        live_server.api(
            "PATCH", "/me", {"leaderboard_opt_in": False}, token=live_server.login(EMPLOYEE)
        )
