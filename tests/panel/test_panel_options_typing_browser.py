"""The options page never takes a field or a button away from the person using it (real page:
Chromium, sandbox CSP, Brython). Its sections' data comes back one by one after it opens (my
proposals, my records, the leaderboard, a save): each section redraws only itself, and a section
redrawn while its own field is being typed into keeps that field, its text, focus and caret.

The harness plays the options host (panel_harness.HARNESS_HTML), so each answer arrives exactly
while the person is typing or pressing a button."""

import time

import pytest
from test_panel_browser import (
    base_url,  # noqa: F401 - fixture
    browser,  # noqa: F401 - fixture
    eventually_text,
)
from test_panel_leaderboard import BOARD
from test_panel_my_data import DATA
from test_panel_recognition_browser import USER, answer, calls, open_options

pytestmark = pytest.mark.browser

PROPOSAL = {
    "id": 4,
    "url": "https://acme.example/older",
    "title": "An older proposal",
    "status": "pending",
    "created_at": "2026-12-01T10:00:00Z",
}


def calls_of(page, kind, count):
    """The first `count` calls of `kind` the page made, waiting a little for them."""
    deadline = time.monotonic() + 5
    while len(calls(page, kind)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return calls(page, kind)


def focused_id(frame):
    return frame.evaluate("() => document.activeElement && document.activeElement.id")


def test_typing_and_send_survive_other_sections_arriving(browser, base_url):  # noqa: F811
    page, frame = open_options(browser, base_url, opted_in=True)
    try:
        url = frame.locator("#suggest-url")
        url.click()
        page.keyboard.type("blog.example.org/a")
        # My proposals come back while the link is being typed.
        [proposals] = calls(page, "get-my-proposals")
        answer(page, proposals, {"ok": True, "data": {"items": [PROPOSAL]}})
        eventually_text(frame.locator("#my-proposals"), "An older proposal")
        assert focused_id(frame) == "suggest-url"
        page.keyboard.type("/post")  # the caret is still at the end of what was typed
        assert url.input_value() == "blog.example.org/a/post"

        # The button is pressed; my records and the leaderboard arrive before it is released.
        box = frame.locator("#suggest-send").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        [my_data] = calls(page, "get-my-data")
        answer(page, my_data, {"ok": True, "data": DATA})
        [board] = calls(page, "get-leaderboard")
        answer(page, board, {"ok": True, "data": BOARD})
        eventually_text(frame.locator("#my-data"), "shares.csv")
        eventually_text(frame.locator("#leaderboard-table"), "Eve Employee (you)")
        page.mouse.up()
        eventually_text(frame.locator("#suggest-send"), "Sending")
        [sent] = calls_of(page, "propose", 1)
        assert sent["message"]["url"] == "https://blog.example.org/a/post"
    finally:
        page.close()


def test_a_section_redrawn_for_its_own_data_keeps_the_number_being_typed(browser, base_url):  # noqa: F811
    page, frame = open_options(browser, base_url, opted_in=False)
    try:
        frame.locator("#reads-th").check()
        [save] = calls(page, "update-profile")
        assert save["message"] == {"type": "update-profile", "languages": ["en", "th"]}
        followers = frame.locator("#followers")
        followers.click()
        page.keyboard.type("12")
        # The language save comes back to this very section while the count is being typed.
        user = dict(USER, leaderboard_opt_in=False, digest_opt_in=True, languages=["en", "th"])
        answer(page, save, {"ok": True, "user": user})
        eventually_text(frame.locator("#participation-status"), "Saved")
        assert frame.locator("#reads-th").is_checked()
        assert focused_id(frame) == "followers"
        page.keyboard.type("34")  # lands after "12": the caret did not jump to the start
        assert followers.input_value() == "1234"
        page.keyboard.press("Enter")
        saves = calls_of(page, "update-profile", 2)
        assert [s["message"] for s in saves[1:]] == [
            {"type": "update-profile", "follower_count": 1234}
        ]
    finally:
        page.close()
