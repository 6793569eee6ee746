"""End-to-end: the employee's own participation choices on the options page (leaderboard opt-in,
weekly digest, follower count) go to the server through the worker (`update-profile` ->
PATCH /api/v1/me) and come back from it when the page is opened again."""

from __future__ import annotations

import pytest
from e2e_support import EMPLOYEE, poll

pytestmark = pytest.mark.browser

LEADERBOARD = "Count my points and show my name on the leaderboards"
DIGEST = "Weekly digest email"
FOLLOWERS = "Followers on LinkedIn/X (optional, used only for the reach estimate)"


def server_me(live_server) -> dict:
    return live_server.api("GET", "/me", token=live_server.login(EMPLOYEE))


def participation(frame):
    poll(lambda: frame.locator("#participation").count(), timeout=15, message="participation")
    return frame


def status_text(frame, section: str = "participation") -> str:
    return (frame.locator(f"#{section}-status").text_content() or "").strip()


def reload_options(page):
    page.reload()
    frame = poll(
        lambda: next((f for f in page.frames if f.url.endswith("options-panel.html")), None),
        message="options iframe after reload",
    )
    return participation(frame)


def test_participation_choices_are_saved_on_the_server_and_shown_again(signed_in, live_server):
    before = server_me(live_server)
    assert before["leaderboard_opt_in"] is False and before["digest_opt_in"] is True
    page, frame = signed_in.open_options()
    try:
        participation(frame)
        # Defaults as the server has them: off the leaderboard, digest on, no follower count.
        assert not frame.get_by_label(LEADERBOARD).is_checked()
        assert frame.get_by_label(DIGEST).is_checked()
        assert frame.get_by_label(FOLLOWERS).input_value() == ""

        frame.get_by_label(LEADERBOARD).click()
        poll(
            lambda: server_me(live_server)["leaderboard_opt_in"] is True,
            message="leaderboard_opt_in saved on the server",
        )
        # Said beside the switch (it sits in the Recognition section).
        poll(
            lambda: status_text(frame, "recognition") == "Saved",
            message="'Saved' after the checkbox",
        )

        # Typed once, while the sections after the save above come back: they never replace it.
        frame.get_by_label(FOLLOWERS).fill("1234")
        frame.get_by_label(FOLLOWERS).press("Enter")
        poll(
            lambda: server_me(live_server)["follower_count"] == 1234,
            message="follower_count saved on the server",
        )
        poll(lambda: status_text(frame) == "Saved", message="'Saved' after the follower count")
        me = server_me(live_server)
        assert me["leaderboard_opt_in"] is True and me["follower_count"] == 1234
        assert me["digest_opt_in"] is True  # untouched

        # The worker keeps the stored user in step with the server.
        stored = signed_in.worker().evaluate(
            "async () => (await chrome.storage.local.get('auth')).auth.user"
        )
        assert stored["leaderboard_opt_in"] is True and stored["follower_count"] == 1234

        frame = reload_options(page)
        assert frame.get_by_label(LEADERBOARD).is_checked()
        assert frame.get_by_label(DIGEST).is_checked()
        assert frame.get_by_label(FOLLOWERS).input_value() == "1234"
        assert status_text(frame) == ""

        # An unparseable count is refused on the page, not sent.
        frame.get_by_label(FOLLOWERS).fill("-5")
        frame.get_by_label(FOLLOWERS).press("Enter")
        poll(lambda: "whole number" in status_text(frame), message="follower count refused")
        assert server_me(live_server)["follower_count"] == 1234
    finally:
        page.close()
        # Leave the shared server's employee as the other test modules expect.
        live_server.api(
            "PATCH",
            "/me",
            {"leaderboard_opt_in": False, "digest_opt_in": True, "follower_count": None},
            token=live_server.login(EMPLOYEE),
        )
