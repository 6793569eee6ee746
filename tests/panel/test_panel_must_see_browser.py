"""Must-see cards and the employee's languages in the real panel and options pages (Chromium,
sandboxed, Brython): must-see first with its label, other languages folded until asked for, in
English and Thai; the options page's "Languages you read" saves each tick on the server."""

import pytest
import test_panel_browser
from test_panel_browser import ARTIFACTS, eventually_text, received, wait_for

# The panel page and Chromium, shared with the other panel browser tests' module fixtures.
base_url = test_panel_browser.base_url
browser = test_panel_browser.browser

pytestmark = pytest.mark.browser


def item(sid, title, language, mine, featured=False, approved="2026-11-20T00:00:00Z"):
    return {
        "id": sid,
        "title": title,
        "network": "x",
        "campaign": None,
        "hashtags": [],
        "link": None,
        "featured": featured,
        "colleagues_shared": 0,
        "in_my_languages": mine,
        "language": language,
        "starts_at": None,
        "expires_at": None,
        "approved_at": approved,
        "variants": [{"index": 0, "text": f"{title}: read more soon"}],
    }


SUGGESTIONS = {
    "items": [
        item(1, "Hiring engineers", "en", True, approved="2026-11-22T00:00:00Z"),
        item(2, "Quarterly results", "en", True, featured=True),
        item(3, "เปิดตัวผลิตภัณฑ์ใหม่", "th", False, approved="2026-11-23T00:00:00Z"),
        item(4, "Lancio a Milano", "it", False, featured=True),
    ],
    "page": 1,
    "per_page": 50,
    "total": 4,
    "latest_approved_at": "2026-11-23T00:00:00Z",
}


def open_panel(browser, base_url, strings_locale):
    page = browser.new_page(viewport={"width": 380, "height": 720})
    page.goto(base_url + "/harness.html")
    data = {
        "type": "data",
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": SUGGESTIONS,
        "policy": None,
        "offline": False,
        "languages": ["en"],
    }
    init = {"type": "init", "network": "x", "locale": "en-US", "strings_locale": strings_locale}
    page.evaluate("(m) => { window.bootMessages = m; }", [init, data])
    page.evaluate("window.openPage('panel/panel.html')")
    wait_for(page, "status")
    frame = next(frame for frame in page.frames if frame.url.endswith("panel/panel.html"))
    return page, frame


@pytest.mark.parametrize(
    "locale, label, fold",
    [("en", "Must-see", "Other languages (2)"), ("th", "ห้ามพลาด", "ภาษาอื่น (2)")],
)
def test_must_see_leads_with_its_label_and_other_languages_fold(
    browser, base_url, locale, label, fold
):
    page, frame = open_panel(browser, base_url, locale)
    cards = frame.locator("#cards > .card")
    eventually_text(cards.first, "Quarterly results")
    assert label in cards.first.locator(".badge").text_content()
    assert [cards.nth(i).get_attribute("data-snippet-id") for i in range(cards.count())] == [
        "2",
        "1",
    ]
    assert cards.nth(1).locator(".badge").count() == 0  # optional: no label
    toggle = frame.locator(".fold > .fold-toggle")
    assert toggle.text_content().strip() == fold
    assert frame.locator(".fold .card").count() == 0  # folded until the employee asks
    page.screenshot(path=str(ARTIFACTS / f"panel-must-see-{locale}.png"))
    toggle.click()
    others = frame.locator(".fold .card")
    eventually_text(others.first, "Lancio a Milano")
    assert label in others.first.locator(".badge").text_content()
    assert others.nth(1).get_attribute("data-snippet-id") == "3"
    page.screenshot(path=str(ARTIFACTS / f"panel-must-see-{locale}-unfolded.png"), full_page=True)
    page.close()


def test_options_languages_you_read_saves_each_tick(browser, base_url):
    page = browser.new_page(viewport={"width": 760, "height": 900})
    page.goto(base_url + "/harness.html")
    page.evaluate(
        "(m) => { window.bootMessages = m; }", [{"type": "options:init", "locale": "en-US"}]
    )
    page.evaluate("window.openPage('options/options-panel.html')")
    call = wait_for(page, "options:call")["message"]
    user = {
        "id": 1,
        "name": "Ana",
        "email": "ana@acme.example",
        "language": "en",
        "languages": ["en"],
        "leaderboard_opt_in": False,
        "digest_opt_in": True,
        "follower_count": None,
    }
    state = {
        "signed_in": True,
        "server_url": "http://127.0.0.1:5000",
        "user": user,
        "settings": {"notifications": True},
    }
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {"type": "options:reply", "request_id": call["request_id"], "response": state},
    )
    frame = next(frame for frame in page.frames if frame.url.endswith("options-panel.html"))
    eventually_text(frame.locator("#reads"), "Languages you read")
    assert frame.locator("#reads-en").is_checked() and frame.locator("#reads-en").is_disabled()
    frame.locator("#reads-th").check()
    calls = [e["message"] for e in received(page, "options:call")]
    deadline_call = wait_for(page, "options:call", count=len(calls))["message"]
    assert deadline_call["message"] == {"type": "update-profile", "languages": ["en", "th"]}
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {
            "type": "options:reply",
            "request_id": deadline_call["request_id"],
            "response": {"ok": True, "user": dict(user, languages=["en", "th"])},
        },
    )
    eventually_text(frame.locator("#participation-status"), "Saved")
    assert frame.locator("#reads-th").is_checked() and not frame.locator("#reads-en").is_disabled()
    frame.locator("#reads").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "options-languages.png"), full_page=True)
    page.close()
