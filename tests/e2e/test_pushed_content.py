"""End-to-end: content the server pushes to the employee between posts. The worker polls on its
`herald-sync` alarm (fired here through the real alarm listener), shows unseen approved snippets on
the toolbar badge, and raises a notification for featured ones unless the employee turned that off
on the options page."""

from __future__ import annotations

import pytest
from e2e_support import EMPLOYEE, badge_text, poll, run_sync_alarm

pytestmark = pytest.mark.browser

FEATURED_TITLE = "New featured post"  # the notification's title; its message is the snippet's


def updated_at(worker) -> int | None:
    return worker.evaluate(
        "async () => ((await chrome.storage.local.get('cache')).cache || {}).updated_at || null"
    )


def sync(worker) -> None:
    """One poll through the alarm listener, waiting until it has stored what it fetched."""
    before = updated_at(worker)
    run_sync_alarm(worker)
    poll(lambda: (updated_at(worker) or 0) > (before or 0), timeout=20, message="a finished poll")


def visible_suggestion_ids(live_server) -> set[int]:
    """What the employee can pick from on both networks, asked of the server directly."""
    token = live_server.login(EMPLOYEE)
    ids = set()
    for network in ("linkedin", "x"):
        body = live_server.api("GET", f"/suggestions?network={network}&per_page=50", token=token)
        ids |= {item["id"] for item in body["items"]}
    return ids


def open_panel(browser, site_pages) -> None:
    """The employee opens a composer; the Herald panel with its suggestions shows beside it."""
    page = browser.context.new_page()
    try:
        page.goto(site_pages.x)
        page.click("[data-testid=tweetTextarea_0]")
        poll(
            lambda: (
                page.evaluate(
                    "() => document.querySelector('iframe.herald-panel-frame')?.dataset.heraldVisible"
                )
                == "true"
            ),
            message="the Herald panel shown",
        )
        poll(lambda: badge_text(browser.worker()) == "", message="the badge cleared")
    finally:
        page.close()


def test_badge_counts_new_snippets_until_the_panel_opens(signed_in, live_server, site_pages):
    worker = signed_in.worker()
    # Sign-in fetched the suggestions: none seen yet, so the badge counts all of them.
    expected = str(min(len(visible_suggestion_ids(live_server)), 99))
    poll(lambda: badge_text(worker) == expected, message=f"badge {expected!r} after sign-in")

    open_panel(signed_in, site_pages)

    live_server.approve_snippet(
        "Badge check: new office",
        {"linkedin": ["Our new office opens today 🏢"], "x": ["New office, open today 🏢"]},
    )
    sync(worker)
    poll(lambda: badge_text(worker) == "1", message="badge '1' for the one new snippet")

    # Nothing changed since: the next poll revalidates with the stored ETags and gets 304s.
    requests = []

    def on_request(request):
        requests.append(request)

    signed_in.context.on("request", on_request)
    try:
        etags = worker.evaluate(
            "async () => { const {cache} = await chrome.storage.local.get('cache');"
            " return {linkedin: cache.suggestions.linkedin.etag, x: cache.suggestions.x.etag}; }"
        )
        sync(worker)

        def suggestion_requests():
            return {
                r.url.split("network=")[1].split("&")[0]: r
                for r in requests
                if "/api/v1/suggestions?" in r.url and r.response() is not None
            }

        got = poll(
            lambda: len(s := suggestion_requests()) == 2 and s,
            message="both suggestion requests of the poll",
        )
    finally:
        signed_in.context.remove_listener("request", on_request)
    for network, request in got.items():
        assert request.all_headers().get("if-none-match") == etags[network], network
        assert request.response().status == 304, network
    assert badge_text(worker) == "1", "an unchanged poll must keep the count"

    open_panel(signed_in, site_pages)
    assert badge_text(worker) == ""


def notifications(worker) -> dict:
    """The notifications Herald shows now (chrome.notifications.getAll: id -> true)."""
    return worker.evaluate("() => chrome.notifications.getAll()")


def set_notifications_in_options(browser, enabled: bool) -> None:
    """One click on the options page's notifications toggle, as the employee would."""
    page, frame = browser.open_options()
    try:
        poll(
            lambda: "Signed in as" in (frame.locator("#account-status").text_content() or ""),
            message="the options page with the account loaded",
        )
        toggle = frame.get_by_label("Notify me about featured snippets")
        assert toggle.is_checked() is not enabled
        toggle.click()
        poll(
            lambda: frame.get_by_role("status").filter(has_text="Saved").count(),
            message="'Saved' after the toggle",
        )
        assert frame.get_by_label("Notify me about featured snippets").is_checked() is enabled
    finally:
        page.close()


def featured_texts(title: str) -> dict:
    return {"linkedin": [f"{title}: read all about it 📣"], "x": [f"{title} 📣"]}


def test_featured_snippet_notifies_unless_turned_off(signed_in, live_server):
    worker = signed_in.worker()
    # Record what each notification says (getAll only lists ids); the real API still shows them.
    worker.evaluate(
        """() => {
          if (self.__heraldNotices) return;
          self.__heraldNotices = [];
          const create = chrome.notifications.create.bind(chrome.notifications);
          chrome.notifications.create = (id, options, ...rest) => {
            self.__heraldNotices.push({ id, title: options.title, message: options.message });
            return create(id, options, ...rest);
          };
        }"""
    )

    def notices() -> list[dict]:
        return worker.evaluate("() => self.__heraldNotices")

    # Signing in is not news: snippets that were featured before (the demo has some) stay quiet.
    already = worker.evaluate(
        "async () => (await chrome.storage.local.get('notified')).notified || []"
    )
    assert already, "the first sync records the demo's featured snippets as handled"
    assert not any(key.startswith("herald-featured-") for key in notifications(worker))

    first = live_server.approve_snippet(
        "Featured: Acme wins award", featured_texts("Acme wins award"), featured=True
    )
    sync(worker)
    poll(
        lambda: f"herald-featured-{first}" in notifications(worker),
        message="a notification for the featured snippet",
    )
    assert [n for n in notices() if n["id"] == f"herald-featured-{first}"] == [
        {
            "id": f"herald-featured-{first}",
            "title": FEATURED_TITLE,
            "message": "Featured: Acme wins award",
        }
    ]

    set_notifications_in_options(signed_in, enabled=False)
    muted = live_server.approve_snippet(
        "Featured: quiet launch", featured_texts("Quiet launch"), featured=True
    )
    sync(worker)
    # The poll has handled the featured snippet once it is in the worker's notified list.
    poll(
        lambda: (
            muted
            in worker.evaluate(
                "async () => (await chrome.storage.local.get('notified')).notified || []"
            )
        ),
        message="the muted featured snippet handled",
    )
    assert f"herald-featured-{muted}" not in notifications(worker)
    assert not [n for n in notices() if n["id"] == f"herald-featured-{muted}"]

    # Turned back on: new featured snippets notify again, the muted one is not replayed.
    set_notifications_in_options(signed_in, enabled=True)
    again = live_server.approve_snippet(
        "Featured: back on", featured_texts("Back on"), featured=True
    )
    sync(worker)
    poll(
        lambda: f"herald-featured-{again}" in notifications(worker),
        message="a notification once notifications are back on",
    )
    assert f"herald-featured-{muted}" not in notifications(worker)
    assert [n["message"] for n in notices() if n["id"] == f"herald-featured-{again}"] == [
        "Featured: back on"
    ]
    assert not [n for n in notices() if n["id"] == f"herald-featured-{muted}"]
