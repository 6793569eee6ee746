"""End-to-end, site health (issue 13 §3): the extension's counts of what happened in the fixture composers reach
the console's health page, and no request the extension makes while an employee types and posts carries the
draft or the page's address (the service worker's own fetches included: PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS
in conftest.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid

import pytest
from e2e_support import ADMIN, EMPLOYEE, PASSWORD, SUGGESTION_LINKEDIN, SUGGESTION_X, poll
from test_extension import insert_suggestion, type_in_composer

pytestmark = pytest.mark.browser


def server_counts(live_server, site: str) -> dict[str, int]:
    """What the server stored for `site`, by counter (straight from its database)."""
    con = sqlite3.connect(live_server.db_path)
    try:
        rows = con.execute(
            "SELECT counter, SUM(count) FROM health_count WHERE site = ? GROUP BY counter", (site,)
        ).fetchall()
    finally:
        con.close()
    return {counter: int(n) for counter, n in rows}


def delta(after: dict, before: dict) -> dict:
    return {
        k: after.get(k, 0) - before.get(k, 0)
        for k in set(after) | set(before)
        if after.get(k, 0) != before.get(k, 0)
    }


def ask_for_herald(browser, page_marker: str) -> None:
    """What the keyboard shortcut does (worker.js commands listener): toggle-panel to the tab."""
    browser.worker().evaluate(
        """async (marker) => {
          const tabs = await chrome.tabs.query({});
          const tab = tabs.find((t) => t.url && t.url.includes(marker));
          await chrome.tabs.sendMessage(tab.id, { type: "toggle-panel" });
        }""",
        page_marker,
    )


def waiting_in_browser(browser) -> int:
    """Health counts (sealed or not) the worker has not had accepted yet."""
    return browser.worker().evaluate(
        "async () => { const {health} = await chrome.storage.local.get('health');"
        " return health ? health.batches.length + Object.keys(health.pending).length : 0; }"
    )


def console_cells(browser, live_server, site: str, shot: str | None = None) -> dict[str, str]:
    """The health page's last-24-hours row for `site`, as an admin reads it."""
    page = browser.context.new_page()
    try:
        page.goto(live_server.url + "/admin/health")
        if "/admin/sign-in" in page.url:
            page.fill("input[name=email]", ADMIN)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#health-24h")
        out = os.environ.get("HERALD_SCREENSHOTS")  # a folder: keep the page as png
        if out and shot:
            page.screenshot(path=f"{out}/{shot}.png", full_page=True)
        article = page.locator(f"#health-24h article[data-site={site}]")
        cells = article.locator("tbody tr").first.locator("td[data-counter]")
        return {
            cells.nth(i).get_attribute("data-counter"): (cells.nth(i).text_content() or "").strip()
            for i in range(cells.count())
        }
    finally:
        page.close()


def test_health_counts_reach_the_console(signed_in, live_server, site_pages, open_composer):
    before = server_counts(live_server, "linkedin")
    # The employee asks for Herald on a page whose composer is not open: "not found".
    idle = signed_in.context.new_page()
    idle.goto(site_pages.linkedin + "?health-idle")
    poll(lambda: idle.evaluate("() => !!document.querySelector('#start-post')"), message="page")
    idle.wait_for_timeout(300)  # the bridge is set up at document_idle
    ask_for_herald(signed_in, "health-idle")
    idle.close()
    # A composer opens (matched by the adapter), a suggestion goes in, the employee posts.
    composer = open_composer("linkedin")
    insert_suggestion(composer, SUGGESTION_LINKEDIN)
    composer.press_post()
    poll(lambda: composer.model_text() == "", message="the site cleared the composer")
    expected = {"composer_not_found": 1, "post_detected": 1}
    got = poll(
        lambda: (
            (d := delta(server_counts(live_server, "linkedin"), before))
            and all(d.get(k) == v for k, v in expected.items())
            and d.get("composer_opened", 0) >= 1
            and d
        ),
        timeout=30,
        message=f"the counts on the server (before: {before})",
    )
    assert got.get("matched_adapter") == got.get("composer_opened")
    assert "insert_failed" not in got and "post_not_detected" not in got
    after = server_counts(live_server, "linkedin")
    cells = console_cells(signed_in, live_server, "linkedin", shot="console-health-green")
    assert cells["post_detected"] == str(after["post_detected"])
    assert cells["composer_opened"] == str(after["composer_opened"])
    assert cells["composer_not_found"].startswith(str(after["composer_not_found"]) + " (")
    if os.environ.get(
        "HERALD_SCREENSHOTS"
    ):  # the red state too, from reports sent as the extension does
        token = live_server.login(EMPLOYEE)
        counts = [
            ("composer_opened", 40),
            ("composer_not_found", 7),
            ("insert_failed", 2),
            ("post_detected", 30),
        ]
        live_server.api(
            "POST",
            "/health-reports",
            {
                "batch_id": str(uuid.uuid4()),
                "extension_version": "0.1.1",
                "counts": [
                    {
                        "hour": _hour(),
                        "site": "linkedin",
                        "adapter_version": 2,
                        "counter": c,
                        "count": n,
                    }
                    for c, n in counts
                ],
            },
            token,
        )
        console_cells(signed_in, live_server, "linkedin", shot="console-health-red")
    # Nothing left waiting in the extension once the server has it.
    poll(lambda: waiting_in_browser(signed_in) == 0, message="nothing left waiting")


def test_no_request_carries_the_draft_or_the_page_address(
    signed_in, live_server, site_pages, open_composer
):
    seen: list[dict] = []

    def on_request(request):
        try:
            body = request.post_data or ""
        except Exception:  # binary bodies
            body = ""
        seen.append(
            {"method": request.method, "url": request.url, "body": body, "headers": request.headers}
        )

    context = signed_in.context
    context.on("request", on_request)
    secrets = {"linkedin": "Okapi-5521 quarterly numbers draft", "x": "Okapi-5521 layoffs rumour"}
    try:
        for site in ("linkedin", "x"):
            composer = open_composer(site)
            type_in_composer(composer, secrets[site])
            composer.page.wait_for_timeout(
                800
            )  # checks, highlights, status: all that typing triggers
            composer.press_post()
            poll(lambda c=composer: c.model_text() == "", message=f"{site} cleared the composer")
        poll(
            lambda: (
                composer.page.wait_for_timeout(20)
                or {"/api/v1/shares", "/api/v1/health-reports"}
                <= {r["url"].removeprefix(live_server.url) for r in seen if r["method"] == "POST"}
            ),
            timeout=30,
            message=f"the share and health requests (seen: {[r['url'] for r in seen][-10:]})",
        )
    finally:
        context.remove_listener("request", on_request)
    fixture_origins = (site_pages.linkedin_origin, site_pages.x_origin)
    # The pages' own loads are the site's requests; everything else is Herald's (worker, panel, options).
    herald = [r for r in seen if not r["url"].startswith(fixture_origins)]
    to_server = [r for r in herald if r["url"].startswith(live_server.url)]
    assert to_server, "the extension's requests to the Herald server were captured"
    forbidden = ["Okapi-5521", site_pages.linkedin, site_pages.x, "linkedin.html", "x.html"]
    for r in herald:
        # Extension pages load their own files with the page as referrer inside the browser; nothing
        # of it leaves the machine. Every request that leaves the browser is checked whole.
        headers = {} if r["url"].startswith("chrome-extension://") else r["headers"]
        text = " ".join([r["url"], r["body"], json.dumps(headers)])
        leaks = [f for f in forbidden if f in text]
        assert not leaks, f"{r['method']} {r['url']} carries {leaks}"
    reports = [json.loads(r["body"]) for r in to_server if r["url"].endswith("/health-reports")]
    assert reports and all(
        set(c) == {"hour", "site", "adapter_version", "counter", "count"}
        for report in reports
        for c in report["counts"]
    )


def options_health(browser, shot: str | None = None) -> str:
    """The options page's "Site health counts" part, as the employee reads it."""
    page, frame = browser.open_options()
    try:
        section = frame.locator("#health-counts")
        poll(lambda: section.count(), timeout=15, message="the health counts on the options page")
        # The page redraws as its sections load: scroll with whatever element is there now.
        poll(
            lambda: frame.evaluate(
                "() => { const el = document.querySelector('#health-counts');"
                " if (el) el.scrollIntoView(); return !!el; }"
            ),
            message="the health counts in view",
        )
        out = os.environ.get("HERALD_SCREENSHOTS")
        if out and shot:
            page.screenshot(path=f"{out}/{shot}.png")
        return poll(lambda: section.text_content(), message="the health counts' text")
    finally:
        page.close()


def test_counts_wait_in_the_browser_while_the_server_is_away_and_arrive_once(
    signed_in, live_server, open_composer
):
    # Counts of earlier tests still on their way would land in this test's figures: let them arrive.
    poll(lambda: waiting_in_browser(signed_in) == 0, timeout=20, message="earlier counts sent")
    before = server_counts(live_server, "x")
    live_server.stop()
    try:
        composer = open_composer("x")
        insert_suggestion(composer, SUGGESTION_X)
        composer.press_post()
        poll(lambda: composer.model_text() == "", message="the site cleared the composer")
        # Durable: the counts sit in chrome.storage, and the options page lists them as they will go.
        text = poll(
            lambda: (
                (t := options_health(signed_in)) and "Nothing waiting to be sent." not in t and t
            ),
            timeout=20,
            message="the waiting counts on the options page",
        )
        waiting = text.split("Waiting to be sent")[1].split("Last report sent")[0]
        assert "Composer opened" in waiting and "Post seen" in waiting
        options_health(signed_in, shot="options-health-waiting")
    finally:
        live_server.start()
    # Retried once the server is back: as if the backoff had run out, the worker's alarm fires.
    signed_in.worker().evaluate(
        """async () => {
          const {health} = await chrome.storage.local.get('health');
          if (!health.batches.length && !Object.keys(health.pending).length) throw new Error('nothing waited');
          await chrome.storage.local.set({health: {...health, next_at: 0}});
          await chrome.alarms.create('herald-health', {when: Date.now()});
        }"""
    )
    seen: list[dict] = [{}]

    def arrived():
        seen[0] = delta(server_counts(live_server, "x"), before)
        return seen[0].get("post_detected") == 1 and seen[0]

    try:
        got = poll(arrived, timeout=60, message="the counts on the server after it came back")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; counted since: {seen[0]}") from None
    assert "insert_failed" not in got
    assert got["composer_opened"] == got["matched_adapter"] >= 1
    text = poll(
        lambda: (t := options_health(signed_in)) and "Last report sent" in t and t,
        timeout=15,
        message="the last report on the options page",
    )
    assert "Nothing waiting to be sent." in text
    options_health(signed_in, shot="options-health-sent")
    # Exactly once: the same batch sent again (its answer lost) counts nothing more.
    token = live_server.login(EMPLOYEE)
    batch = {
        "batch_id": str(uuid.uuid4()),
        "extension_version": "0.1.0",
        "counts": [
            {
                "hour": _hour(),
                "site": "x",
                "adapter_version": 1,
                "counter": "post_detected",
                "count": 1,
            }
        ],
    }
    assert live_server.api("POST", "/health-reports", batch, token)["outcome"] == "created"
    assert live_server.api("POST", "/health-reports", batch, token)["outcome"] == "duplicate"
    assert delta(server_counts(live_server, "x"), before)["post_detected"] == 2


def _hour() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:00:00Z")


def test_an_insert_that_does_not_land_and_a_draft_closed_unposted_are_counted(
    signed_in, live_server, open_composer
):
    poll(lambda: waiting_in_browser(signed_in) == 0, timeout=20, message="earlier counts sent")
    before = server_counts(live_server, "linkedin")
    composer = open_composer("linkedin")
    page = composer.page
    # The site's editor stops taking pastes (as after a markup change): the suggestion does not land.
    page.evaluate(
        "() => window.addEventListener('paste', (e) => { e.stopImmediatePropagation(); e.preventDefault(); }, true)"
    )
    card = composer.panel.locator("li.card", has_text=SUGGESTION_LINKEDIN)
    poll(lambda: card.count(), timeout=20, message="the approved suggestion in the panel")
    type_in_composer(composer, "Draft I")
    composer.panel.locator("#suggestions-toggle").click()  # with a draft, suggestions fold
    card.locator("button.insert").click()
    seen: list[dict] = [{}]

    def counted(**expected):
        seen[0] = delta(server_counts(live_server, "linkedin"), before)
        return all(seen[0].get(name) == n for name, n in expected.items())

    try:
        poll(lambda: counted(insert_failed=1), timeout=30, message="insert_failed on the server")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; counted since: {seen[0]}") from None
    # The employee's words are kept (not left selected, to go with the next key), and they write
    # the post by hand, then close the dialog without posting.
    type_in_composer(composer, " decided not to post")
    assert composer.model_text() == "Draft I decided not to post"
    page.locator("#interop-outlet .share-box__close").click()
    poll(
        lambda: not page.evaluate("() => !!window.__fixture.editor()"), message="the dialog closed"
    )
    try:
        poll(
            lambda: counted(insert_failed=1, post_not_detected=1),
            timeout=30,
            message="insert_failed and post_not_detected on the server",
        )
    except AssertionError as exc:
        raise AssertionError(f"{exc}; counted since: {seen[0]}") from None
    assert "post_detected" not in seen[0] and "composer_not_found" not in seen[0]
