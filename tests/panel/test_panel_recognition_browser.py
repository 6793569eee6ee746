"""Recognition in the real pages (Chromium, sandbox CSP, Brython): the options page's leaderboard
for someone who opted in, nothing but the switch for someone who did not, the panel's weekly line.

The harness plays the options host / bridge (panel_harness.HARNESS_HTML) and answers the calls."""

import pytest
from test_panel_browser import (
    ARTIFACTS,
    SUGGESTIONS,
    base_url,  # noqa: F401 - fixture
    browser,  # noqa: F401 - fixture
    eventually_text,
    open_panel,
    received,
    wait_for,
)
from test_panel_leaderboard import BOARD

pytestmark = pytest.mark.browser

USER = {"name": "Eve Employee", "email": "eve@acme.example", "teams": [], "follower_count": None}


def answer(page, call, response):
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {"type": "options:reply", "request_id": call["request_id"], "response": response},
    )


def calls(page, kind):
    return [
        entry["message"]
        for entry in received(page, "options:call")
        if entry["message"]["message"]["type"] == kind
    ]


def open_options(browser, base_url, opted_in):  # noqa: F811
    page = browser.new_page(viewport={"width": 760, "height": 1000})
    page.goto(base_url + "/harness.html")
    page.evaluate(
        "(m) => { window.bootMessages = m; }", [{"type": "options:init", "locale": "en-US"}]
    )
    page.evaluate("window.openPage('options/options-panel.html')")
    page.evaluate(
        "() => { const f = document.querySelector('iframe'); f.style.width = '720px'; f.style.height = '1400px'; }"
    )
    state = wait_for(page, "options:call")["message"]
    answer(
        page,
        state,
        {
            "signed_in": True,
            "server_url": "https://herald.acme.example",
            "user": dict(USER, leaderboard_opt_in=opted_in, digest_opt_in=True),
            "settings": {"notifications": True},
        },
    )
    frame = next(f for f in page.frames if f.url.endswith("options-panel.html"))
    eventually_text(frame.locator("#recognition"), "Recognition")
    return page, frame


def test_opted_in_employee_sees_the_leaderboard_and_switches_period(browser, base_url):  # noqa: F811
    page, frame = open_options(browser, base_url, opted_in=True)
    try:
        [first] = calls(page, "get-leaderboard")
        assert first["message"] == {"type": "get-leaderboard", "period": "week"}
        answer(page, first, {"ok": True, "data": BOARD})
        table = eventually_text(frame.locator("#leaderboard-table"), "Eve Employee (you)")
        assert "Sal Sales" in table and "1,200" in table
        assert frame.locator("#leaderboard").is_checked()
        assert "You: place 2 · points: 23." in frame.locator("#leaderboard-me").text_content()
        assert "10 per share, 1 per click" in frame.locator("#points-rule").text_content()
        assert frame.locator("#period-week").get_attribute("aria-pressed") == "true"
        frame.locator("#recognition").scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        frame.locator("#recognition").screenshot(
            path=str(ARTIFACTS / "options-leaderboard-opted-in.png")
        )

        frame.locator("#period-month").click()
        month = None
        for _ in range(200):
            found = calls(page, "get-leaderboard")
            if len(found) > 1:
                month = found[-1]
                break
            page.wait_for_timeout(20)
        assert month and month["message"] == {"type": "get-leaderboard", "period": "month"}
        answer(
            page,
            month,
            {
                "ok": True,
                "data": dict(
                    BOARD,
                    period="month",
                    entries=[],
                    me={
                        "rank": None,
                        "points": 0,
                        "shares": 0,
                        "clicks": 0,
                        "accepted_proposals": 0,
                    },
                ),
            },
        )
        eventually_text(frame.locator("#leaderboard-empty"), "No points yet in this period.")
        assert frame.locator("#period-month").get_attribute("aria-pressed") == "true"
        frame.locator("#leaderboard-team").select_option("3")
        for _ in range(200):
            if len(calls(page, "get-leaderboard")) > 2:
                break
            page.wait_for_timeout(20)
        assert calls(page, "get-leaderboard")[-1]["message"] == {
            "type": "get-leaderboard",
            "period": "month",
            "team": 3,
        }
    finally:
        page.close()


def test_employee_who_did_not_opt_in_sees_only_the_switch(browser, base_url):  # noqa: F811
    page, frame = open_options(browser, base_url, opted_in=False)
    try:
        off = eventually_text(frame.locator("#leaderboard-off"), "Turn recognition on")
        assert "leaderboards" in off
        assert not frame.locator("#leaderboard").is_checked()
        explain = frame.locator("#recognition-explain").text_content()
        assert "Off by default" in explain and "not even anonymously" in explain
        assert frame.locator("#leaderboard-table").count() == 0
        assert calls(page, "get-leaderboard") == []
        frame.locator("#recognition").screenshot(
            path=str(ARTIFACTS / "options-leaderboard-not-opted-in.png")
        )
    finally:
        page.close()


def test_panel_shows_this_weeks_place_for_people_who_opted_in(browser, base_url):  # noqa: F811
    standing = {"opted_in": True, "periods": {"week": {"rank": 3, "points": 42}}}
    data = {
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": SUGGESTIONS,
        "policy": None,
        "offline": False,
        "standing": standing,
    }
    page, frame, errors = open_panel(browser, base_url, "x", data)
    try:
        eventually_text(frame.locator("#standing"), "This week: place 3 · points: 42")
        assert frame.locator("#standing").is_visible()
        page.set_viewport_size({"width": 420, "height": 700})
        page.screenshot(
            path=str(ARTIFACTS / "panel-standing.png"),
            clip={"x": 0, "y": 0, "width": 400, "height": 420},
        )
        assert not errors
    finally:
        page.close()
    page, frame, _ = open_panel(
        browser, base_url, "x", dict(data, standing={"opted_in": False, "periods": None})
    )
    try:
        eventually_text(frame.locator("#program-name"), "Acme Voices")
        eventually_text(frame.locator(".card").first, "Launch day")
        assert not frame.locator("#standing").is_visible()
    finally:
        page.close()
