"""End-to-end: employees suggest links from the panel beside the composer (both fixture sites), from
the options page (with "My proposals") and from the toolbar popup, against the real server.

The draft typed in the composer must not be in any request the extension sends."""

from __future__ import annotations

import json

import pytest
from e2e_support import ADMIN, EMPLOYEE, poll
from test_extension import type_in_composer

pytestmark = pytest.mark.browser


def proposals(live_server) -> list[dict]:
    token = live_server.login(ADMIN)
    return live_server.api("GET", "/proposals?per_page=100", None, token)["items"]


class Requests:
    """Every request of the browser context, the service worker's included (see conftest)."""

    def __init__(self, context):
        self.context = context
        self.seen: list[tuple[str, str, str]] = []

    def __enter__(self):
        self.context.on("request", self._on)
        return self

    def __exit__(self, *exc):
        self.context.remove_listener("request", self._on)

    def _on(self, request):
        try:
            body = request.post_data or ""
        except Exception:  # binary bodies
            body = ""
        self.seen.append((request.method, request.url, body))

    def bodies(self, suffix: str) -> list[dict]:
        return [json.loads(b) for m, u, b in self.seen if m == "POST" and u.endswith(suffix) and b]


@pytest.mark.parametrize("site", ["linkedin", "x"])
def test_suggest_content_from_the_panel_never_sends_the_draft(
    open_composer, signed_in, live_server, site
):
    draft = f"Quokka-{site}-5521 unannounced numbers"
    url = f"https://news.example.org/{site}/great-read"
    with Requests(signed_in.context) as requests:
        composer = open_composer(site)
        type_in_composer(composer, draft)
        panel = composer.panel
        poll(
            lambda: panel.locator("#propose-toggle").count(), timeout=20, message="Suggest content"
        )
        panel.locator("#propose-toggle").click()
        # Nothing pasted: told so, nothing sent.
        panel.locator("#propose-send").click()
        poll(
            lambda: "Paste a link first" in (panel.locator("#propose-error").text_content() or ""),
            message="the missing-link error",
        )
        panel.locator("#propose-url").fill("javascript:alert(1)")
        panel.locator("#propose-send").click()
        poll(
            lambda: "not a web address" in (panel.locator("#propose-error").text_content() or ""),
            message="the not-a-link error",
        )
        assert panel.locator("#propose-url").input_value() == "javascript:alert(1)"  # kept
        panel.locator("#propose-url").fill(url)
        panel.locator("#propose-note").fill("A fair take on our market")
        panel.locator("#propose-send").click()
        poll(
            lambda: "will review" in (panel.locator("#propose-status").text_content() or ""),
            timeout=15,
            message="the thank-you line",
        )
        assert composer.model_text().endswith(draft)  # the draft stays where it was
    stored = [p for p in proposals(live_server) if p["url"] == url]
    assert len(stored) == 1 and stored[0]["note"] == "A fair take on our market"
    assert stored[0]["proposer"]["email"] == EMPLOYEE
    sent = requests.bodies("/api/v1/proposals")
    assert sent == [{"url": url, "note": "A fair take on our market"}]
    leaks = [(m, u) for m, u, body in requests.seen if "Quokka" in u or "Quokka" in body]
    assert leaks == [], f"draft text left the browser: {leaks}"


def test_options_page_suggests_and_lists_my_proposals_with_the_decline_reason(
    signed_in, live_server
):
    token = live_server.login(ADMIN)
    page, frame = signed_in.open_options()
    try:
        poll(lambda: frame.locator("#suggest-url").count(), timeout=15, message="suggest form")
        frame.locator("#suggest-url").fill("blog.example.org/options-post")  # https assumed
        # Once: the sections loading around the form never replace its field or its button.
        frame.locator("#suggest-send").click()
        poll(
            lambda: "will review" in (frame.locator("#suggest-status").text_content() or ""),
            timeout=15,
            message="sent",
        )
        rows = frame.locator("#my-proposals tbody tr")
        poll(
            lambda: "https://blog.example.org/options-post" in (rows.first.text_content() or ""),
            message="the new proposal in My proposals",
        )
        assert "Waiting for review" in rows.first.text_content()
        mine = next(
            p for p in proposals(live_server) if p["url"] == "https://blog.example.org/options-post"
        )
        live_server.api(
            "POST", f"/proposals/{mine['id']}/decline", {"reason": "Not our topic."}, token
        )
        page.reload()
        frame = poll(
            lambda: next((f for f in page.frames if f.url.endswith("options-panel.html")), None)
        )
        row = frame.locator("#my-proposals tbody tr", has_text="options-post")
        poll(lambda: "Declined" in (row.text_content() or ""), timeout=15, message="declined")
        assert "Why: Not our topic." in row.text_content()
    finally:
        page.close()


def test_the_popup_suggests_the_current_page(signed_in, site_pages, live_server):
    page = signed_in.context.new_page()
    popup = signed_in.context.new_page()
    try:
        page.goto(f"{site_pages.x}?autofocus=0")
        title = page.title()
        page.bring_to_front()
        popup.goto(signed_in.extension_url("popup/popup.html"))
        poll(lambda: popup.locator("#suggest-page").count(), message="Suggest this page")
        assert popup.locator("#suggest-page").text_content().startswith("Suggest this page to ")
        assert popup.locator("#suggest-target").text_content() == title
        page.bring_to_front()
        popup.locator("#suggest-page").click()
        poll(
            lambda: (
                "will review this page" in (popup.locator("#popup-message").text_content() or "")
            ),
            timeout=15,
            message="the popup's thank-you",
        )
        stored = [p for p in proposals(live_server) if p["url"] == page.url]
        assert len(stored) == 1 and stored[0]["title"] == title
    finally:
        page.close()
        popup.close()
