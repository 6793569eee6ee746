"""Site adapters from the company server, live (issue 13 §1): X renames its composer overnight; the
admin uploads a fixed adapter in the console and the running extension (the same build, no reload
of the extension) finds the renamed composer: suggestions and highlights work there. A broken
adapter the server hands out is refused, reported, and the built-in adapter keeps working."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import Composer
from e2e_support import (
    ADMIN,
    PASSWORD,
    SUGGESTION_X,
    next_version,
    poll,
    renamed_adapter,
    run_sync_alarm,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def built_in_x_afterwards(live_server):
    """Other modules share the server: they get the built-in X adapter back."""
    yield
    token = live_server.login(ADMIN)
    live_server.api("POST", "/sites/x/activate", {"version": None}, token)


def console(browser, live_server, path: str):
    page = browser.context.new_page()
    page.goto(live_server.url + path)
    if "/admin/sign-in" in page.url:
        page.fill("input[name=email]", ADMIN)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector("#installations")
    return page


def served_version(worker):
    return worker.evaluate(
        "async () => { const {sites} = await chrome.storage.local.get('sites');"
        " return (sites && sites.served && sites.served.x && sites.served.x.version) || null; }"
    )


def sync(worker) -> None:
    """The worker's regular sync, through its alarm, until its /sites step has run."""
    before = worker.evaluate(
        "async () => ((await chrome.storage.local.get('cache')).cache || {}).updated_at || 0"
    )
    run_sync_alarm(worker)
    poll(
        lambda: (
            worker.evaluate(
                "async () => ((await chrome.storage.local.get('cache')).cache || {}).updated_at || 0"
            )
            > before
        ),
        timeout=20,
        message="a finished sync",
    )


def open_renamed(browser, site_pages):
    page = browser.context.new_page()
    page.goto(f"{site_pages.x}?composer=renamed")
    poll(lambda: page.evaluate("() => !!window.__fixture.editor()"), message="renamed composer")
    assert page.locator("[data-testid^='tweetTextarea_']").count() == 0
    page.click("[data-testid=composeBox_0]")
    return page


def herald_at_composer(page) -> bool:
    """Herald's button beside a composer, or its panel shown (the panel frame itself is preloaded
    hidden on every page of the site, composer or not)."""
    return (
        page.locator(
            ".herald-button:not([hidden]), iframe.herald-panel-frame[aria-hidden=false]"
        ).count()
        > 0
    )


def no_panel_for_a_while(page) -> bool:
    """The bridge reacts within a frame of focus: half a second without Herald means none comes."""
    for _ in range(10):
        if herald_at_composer(page):
            return False
        page.wait_for_timeout(50)
    return True


def test_an_uploaded_adapter_reaches_the_running_extension_without_a_rebuild(
    signed_in, live_server, site_pages
):
    worker = signed_in.worker()
    page = open_renamed(signed_in, site_pages)
    assert no_panel_for_a_while(page), "the built-in adapter must not know the renamed composer"

    version = next_version()
    admin = console(signed_in, live_server, "/admin/sites")
    admin.fill("textarea[name=adapter]", json.dumps(renamed_adapter(version), indent=2))
    admin.click("#upload button[type=submit]")
    admin.wait_for_selector(f"text=Version {version} of the X adapter is live")

    sync(worker)
    assert served_version(worker) == version
    # The open page switched to the served adapter: the composer is found where it is.
    page.click("[data-testid=composeBox_0]")
    poll(lambda: herald_at_composer(page), message="Herald at the renamed composer")
    composer = Composer(page, "x")
    card = composer.panel.locator("li.card", has_text=SUGGESTION_X)
    poll(
        lambda: card.is_visible(),
        timeout=20,
        message="the suggestion in the renamed composer's panel",
    )
    typed = "Launch day 🚀 this is confidential"
    page.click("[data-testid=composeBox_0]")
    page.keyboard.type(typed, delay=5)
    poll(lambda: composer.model_text().endswith(typed), message="the typed text in the editor")
    hl = poll(
        lambda: composer.highlights().get("herald-error"),
        message="a highlight in the renamed composer",
    )
    assert [h["text"] for h in hl] == ["confidential"]

    # The console shows which version this installation runs.
    admin.goto(live_server.url + "/admin/sites")
    # Other files' browsers in this worker reported as Erin too: find this browser's own row.
    installation = worker.evaluate(
        "async () => (await chrome.storage.local.get('installation')).installation"
    )
    row = admin.locator("#installations tbody tr", has_text=installation[:8])
    poll(lambda: row.count(), message="the installation's report")
    assert f"v{version}" in row.text_content()
    admin.close()
    page.close()


def test_an_invalid_served_adapter_is_refused_and_the_built_in_one_keeps_working(
    signed_in, live_server, site_pages
):
    worker = signed_in.worker()
    token = live_server.login(ADMIN)
    live_server.api("POST", "/sites/x/activate", {"version": None}, token)
    sync(worker)
    assert served_version(worker) is None

    # A server whose stored adapter is broken (the upload check cannot be the only guard): written
    # straight into its database, as a bad restore or another tool would.
    version = next_version()
    broken = renamed_adapter(version, limit="twenty-five thousand")
    con = sqlite3.connect(live_server.db_path)
    try:
        with con:
            con.execute("UPDATE site_adapter SET active = 0 WHERE network = 'x'")
            con.execute(
                "INSERT INTO site_adapter (network, version, body, active, uploaded_at)"
                " VALUES ('x', ?, ?, 1, '2026-01-01 00:00:00')",
                (version, json.dumps(broken)),
            )
    finally:
        con.close()
    sync(worker)
    assert served_version(worker) is None

    refused = poll(lambda: refusal(live_server, version), timeout=20, message="the refusal report")
    assert any("limit" in e for e in refused["errors"])

    page = open_renamed(signed_in, site_pages)
    assert no_panel_for_a_while(page), "the refused adapter must not be used"
    page.close()
    # The built-in adapter keeps working on the composer it knows.
    normal = signed_in.context.new_page()
    normal.goto(site_pages.x)
    composer = Composer(normal, "x").open()
    card = composer.panel.locator("li.card", has_text=SUGGESTION_X)
    poll(lambda: card.count(), timeout=20, message="the suggestion with the built-in adapter")
    normal.close()


def refusal(live_server, version: int):
    con = sqlite3.connect(live_server.db_path)
    try:
        rows = con.execute(
            "SELECT refused FROM adapter_report WHERE refused IS NOT NULL"
        ).fetchall()
    finally:
        con.close()
    for (raw,) in rows:
        found = json.loads(raw)
        if found.get("version") == version:
            return found
    return None


def test_the_x_limit_follows_the_page_and_the_employees_own_setting(signed_in, site_pages):
    """A subscriber's X shows 25,000: the counter and the length hint follow the page, and the
    limit the employee sets in the options wins over it."""
    page = signed_in.context.new_page()
    page.goto(f"{site_pages.x}?limit=25000")
    composer = Composer(page, "x").open()
    typed = "word " * 62  # 310 characters: over X's usual 280
    page.click("[data-testid=tweetTextarea_0]")
    page.keyboard.type(typed, delay=0)
    poll(lambda: composer.model_text() == typed, message="the typed text in the editor")
    counter = composer.panel.locator("#counter")
    poll(lambda: counter.text_content() == "310 / 25,000", message="the subscriber's counter")
    assert "over the limit" not in composer.panel_text("#findings")

    options, frame = signed_in.open_options()
    field = frame.locator("#x-limit")
    poll(lambda: field.count(), message="the X limit field")
    field.fill("300")
    field.press("Tab")
    poll(lambda: "Saved" in (frame.locator("body").text_content() or ""), message="saved")
    poll(
        lambda: counter.text_content() == "310 / 300 · 10 over the limit",
        message="the counter with the employee's own limit",
    )
    poll(
        lambda: "Shorten by 10 characters" in composer.panel_text(),
        message="the length hint counted from the employee's limit",
    )

    field.fill("")
    field.press("Tab")
    poll(lambda: counter.text_content() == "310 / 25,000", message="back to what the page shows")
    options.close()
    page.close()
