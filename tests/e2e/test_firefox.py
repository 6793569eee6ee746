"""End-to-end in Debian's firefox-esr: the Firefox build (`herald build-extension --browser firefox`)
installed as a temporary add-on through Marionette, signed in through its options page, then on the
LinkedIn-like (Quill 2 in a shadow root) and X-like (Draft.js) fixture pages: insert a suggestion,
see the guideline highlight, post, and exactly one share on the real server. The same on the generic
fallback's composer variants (compat-*.html: renamed Quill and Draft.js, a closed shadow root, a
same-origin iframe, a plain contenteditable), which only compatibility mode can find.

All tests of this file share one Firefox (module scope) and run in one xdist worker (--dist loadfile).
Screenshots of the options page and of the panel on each fixture and variant go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from e2e_support import (
    ADMIN,
    EMPLOYEE,
    PASSWORD,
    ROOT,
    SUGGESTION_LINKEDIN,
    SUGGESTION_X,
    next_version,
    poll,
    renamed_adapter,
)
from firefox_support import Firefox, wait_text
from test_fallback import READ_HIGHLIGHTS
from test_fallback import VARIANTS as FALLBACK_VARIANTS
from test_health import delta, server_counts

from tests.oidc_support import FIREFOX_REDIRECT

pytestmark = [pytest.mark.browser, pytest.mark.firefox]

SHOTS = Path(os.environ.get("HERALD_SHOTS_DIR") or ROOT / "test-artifacts")
ADDON_ID = "{646dd3d3-187e-4ead-bfe3-e98a7f495205}"  # manifest.firefox.json
SUGGESTION = {"linkedin": SUGGESTION_LINKEDIN, "x": SUGGESTION_X}
TYPED = " Confidential numbers next week."
SECRET = "Okapi-5521 numbers, this is confidential"  # a draft no request may carry
# Posts this module made in Firefox, per site: what the health counts on the server must show.
POSTED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def server_heard(live_server):
    """What the Herald server receives while this module's Firefox runs (every request, bodies
    included: Marionette cannot watch the add-on's requests as Playwright does), and its health
    counts from before, so that test_firefox_health_counts_... sees Firefox's own."""
    before = {site: server_counts(live_server, site) for site in ("linkedin", "x")}
    with live_server.capture() as received:
        yield before, received


@pytest.fixture(scope="module")
def firefox(tmp_path_factory, site_pages):
    from extension_build.build import build_extension

    out = tmp_path_factory.mktemp("ff-build") / "herald-firefox"
    xpi = build_extension(
        out,
        {"linkedin": [site_pages.linkedin_origin], "x": [site_pages.x_origin]},
        browser="firefox",
    )
    profile = tmp_path_factory.mktemp("firefox-profile")
    ff = Firefox(profile, profile.parent / "firefox.log")
    try:
        ff.install(xpi, ADDON_ID)
        yield ff
    finally:
        ff.quit()


def options_frame_text(ff: Firefox) -> str:
    from marionette_driver.by import By

    ff.client.switch_to_frame()
    ff.client.switch_to_frame(ff.client.find_element(By.ID, "options-frame"))
    return ff.js("return document.body.innerText")


def fill(ff: Firefox, element_id: str, value: str) -> None:
    """Type into a field of the options UI; the page redraws as its sections load, so a field
    found a moment ago may be gone: find it again until the value sticks."""
    from marionette_driver.by import By

    def attempt():
        field = ff.client.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)
        return ff.client.find_element(By.ID, element_id).get_property("value") == value

    poll(attempt, timeout=15, message=f"#{element_id} filled")


@pytest.fixture(scope="module")
def signed_in(firefox, live_server):
    """Through the options page's form, as an employee would."""
    from marionette_driver.by import By

    ff = firefox
    ff.open_tab(ff.extension_url("options/options.html"))
    # Single sign-on comes back to Firefox's own redirect address: the one the server accepts and
    # the console lists (tests/server/test_sso.py signs in through it at the real provider).
    ff.client.switch_to_frame()
    redirect = ff.js("return window.wrappedJSObject.browser.identity.getRedirectURL()")
    assert redirect == FIREFOX_REDIRECT
    wait_text(lambda: options_frame_text(ff), "Server URL", message="the options form (Brython)")
    fill(ff, "server-url", live_server.url)
    fill(ff, "email", EMPLOYEE)
    fill(ff, "password", PASSWORD)
    poll(lambda: ff.client.find_element(By.CSS_SELECTOR, "#sign-in-form > button").click() or 1)
    text = wait_text(lambda: options_frame_text(ff), "Signed in as", message="'Signed in as'")
    ff.screenshot(SHOTS / "firefox-options-signed-in.png")
    ff.close_tab()
    return text


def test_firefox_signs_in_through_the_options_page(signed_in):
    assert EMPLOYEE in signed_in


def open_composer(ff: Firefox, site_pages, site: str) -> None:
    from marionette_driver.by import By

    ff.open_tab(site_pages.linkedin if site == "linkedin" else site_pages.x)
    c = ff.client
    poll(lambda: ff.js("return !!window.wrappedJSObject.__fixture"), message="fixture page")
    if site == "linkedin":
        c.find_element(By.ID, "start-post").click()
    else:
        c.find_element(By.CSS_SELECTOR, "[data-testid=tweetTextarea_0]").click()
    poll(lambda: ff.js("return !!window.wrappedJSObject.__fixture.editor()"), message="composer")


def model_text(ff: Firefox) -> str:
    ff.client.switch_to_frame()
    return ff.js("return window.wrappedJSObject.__fixture.modelText()")


def panel(ff: Firefox):
    """Switch into the Herald panel frame once the bridge shows it."""
    from marionette_driver.by import By

    ff.client.switch_to_frame()
    frame = poll(
        lambda: ff.js(
            "const f = document.querySelector('iframe.herald-panel-frame');"
            "return f && f.dataset.heraldVisible === 'true' ? f : null;"
        ),
        timeout=20,
        message="the visible Herald panel frame",
    )
    ff.client.switch_to_frame(frame)
    return By


def error_highlights(ff: Firefox) -> list[str]:
    """Texts of the ranges in the page's `herald-error` highlight (CSS Custom Highlight API)."""
    ff.client.switch_to_frame()
    # Read in the page's own world (wrappedJSObject): Xrays cannot iterate a Highlight.
    return ff.js(
        "const W = window.wrappedJSObject; const h = W.CSS.highlights.get('herald-error');"
        "return h ? W.Array.from(h).map((r) => r.toString()) : [];"
    )


@pytest.mark.parametrize("site", ["linkedin", "x"])
def test_firefox_insert_highlight_post_records_one_share(
    firefox, signed_in, site_pages, live_server, site
):
    insert_highlight_post(firefox, site_pages, live_server, site)


def insert_highlight_post(ff: Firefox, site_pages, live_server, site: str) -> None:
    before = len(live_server.shares())
    open_composer(ff, site_pages, site)
    text = SUGGESTION[site]

    by = panel(ff)
    card = poll(
        lambda: next(
            (li for li in ff.client.find_elements(by.CSS_SELECTOR, "li.card") if text in li.text),
            None,
        ),
        timeout=20,
        message="the approved suggestion in the panel",
    )
    card.find_element(by.CSS_SELECTOR, "button.insert").click()
    poll(lambda: model_text(ff) == text, message=f"editor model == {text!r}")

    # Typing after it: the guideline engine (Brython in the panel) flags "Confidential" and the
    # bridge underlines exactly that word in the page, without touching the editor's DOM.
    # Real key presses (WebDriver actions) at the caret the insertion left at the end.
    ff.client.actions.sequence("key", "keyboard").send_keys(TYPED).perform()
    poll(lambda: model_text(ff) == text + TYPED, message="typed text in the model")
    assert ff.js("return typeof Highlight === 'function' && !!CSS.highlights")
    poll(
        lambda: error_highlights(ff) == ["Confidential"],
        timeout=15,
        message="an error highlight on 'Confidential'",
    )
    assert (
        ff.js("return window.wrappedJSObject.__fixture.editor().querySelectorAll('mark').length")
        == 0
    )
    panel(ff)
    wait_text(lambda: ff.js("return document.body.innerText"), "confidential", message="finding")
    ff.screenshot(SHOTS / f"firefox-panel-{site}.png")

    ff.client.switch_to_frame()
    post = (
        "#interop-outlet .share-actions__primary-action"
        if site == "linkedin"
        else "[data-testid=tweetButton]"
    )
    button = ff.js(
        "return document.querySelector(arguments[0]) ||"
        " document.querySelector('#interop-outlet').shadowRoot.querySelector(arguments[0]"
        ".replace('#interop-outlet ', ''))",
        post,
    )
    button.click()
    assert ff.js("return window.wrappedJSObject.__fixture.published") == [text + TYPED]
    poll(
        lambda: len(live_server.shares()) == before + 1,
        timeout=60,
        message="one share on the server",
    )
    time.sleep(1.5)
    shares = live_server.shares()
    assert len(shares) == before + 1, "the share was recorded more than once"
    share = shares[-1]
    assert share["network"] == site
    assert share["snippet_id"] == live_server.snippets["launch"]
    assert share["edited"]  # the typed sentence after the suggestion
    POSTED[site] += 1
    ff.close_tab()


# ------------------------------------------------------------------------------------------------
# The generic fallback ("compatibility mode") in Firefox: the same composer variants as
# tests/e2e/test_fallback.py in Chromium (renamed Quill 2 and Draft.js, Quill in a closed shadow
# root, Draft.js in a same-origin iframe, a plain French contenteditable), in the same Firefox.


def click_at(ff: Firefox, what: str) -> None:
    """A real mouse click at the centre of the fixture's editor or Post button (in page
    coordinates, so it reaches into closed shadow roots and iframes as a person's click does)."""
    ff.client.switch_to_frame()
    point = ff.js(f"return window.wrappedJSObject.__fixture.{what}Point()")
    mouse = ff.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
    mouse.pointer_move(round(point["x"]), round(point["y"])).pointer_down().pointer_up().perform()


def page_eval(ff: Firefox, function_source: str):
    """Run `function_source` in the page's own world (not through Xrays), as Playwright's
    evaluate does in test_fallback.py, and return its JSON result."""
    import json

    ff.client.switch_to_frame()
    out = ff.js(
        "return window.wrappedJSObject.eval('JSON.stringify((' + arguments[0] + ')())')",
        function_source,
    )
    return json.loads(out)


HINT_CARD = """const host = document.querySelector('.herald-hint-host');
const card = host && host.shadowRoot.querySelector('.card');
return card && !card.hidden ? card.dataset.rule : null;"""


def hint_card_by_caret_and_hover(ff: Firefox) -> None:
    """The card at the underline: by the caret in the word, then (the caret out of the editor)
    by pointing at it. Caret first: typing left the caret at the word's end, which is inside
    its underline, so a card may already show by the caret; a click beside the composer takes
    the caret away before the pointer is tried."""
    # The pointer off the text (the click into the editor left it there), then End and three
    # ArrowLefts: the caret inside "Confidential".
    pointer = ff.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
    pointer.pointer_move(5, 400).perform()
    ff.client.actions.sequence("key", "keyboard").send_keys("\ue010\ue012\ue012\ue012").perform()
    assert poll(lambda: ff.js(HINT_CARD), message="the hint card at the caret") == "no-confidential"
    pointer = ff.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
    pointer.pointer_move(5, 400).pointer_down().pointer_up().perform()
    poll(lambda: ff.js(HINT_CARD) is None, message="the card hides when the caret leaves")
    point = page_eval(
        ff,
        "() => { const w = window.__fixture.highlightWindow();"
        " const r = [...w.CSS.highlights.get('herald-error')][0].getClientRects()[0];"
        " let x = (r.left + r.right) / 2, y = r.top + 4;"
        " if (w !== window) { const f = w.frameElement, b = f.getBoundingClientRect();"
        "   x += b.left + f.clientLeft; y += b.top + f.clientTop; }"
        " return {x, y}; }",
    )
    pointer = ff.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
    pointer.pointer_move(round(point["x"]), round(point["y"])).perform()
    assert poll(lambda: ff.js(HINT_CARD), message="the hint card on hover") == "no-confidential"
    pointer = ff.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
    pointer.pointer_move(5, 400).perform()
    poll(lambda: ff.js(HINT_CARD) is None, message="the card hides when the pointer leaves")


@pytest.fixture
def tab(firefox):
    """Opens the test's tab and closes it even when the test fails (the next variant must not
    find a composer of this one under its own page)."""
    opened = []
    yield lambda url: opened.append(firefox.open_tab(url))
    for handle in opened:
        if handle in firefox.client.window_handles:
            firefox.client.switch_to_window(handle)
            firefox.close_tab()


@pytest.mark.parametrize("name", list(FALLBACK_VARIANTS))
def test_firefox_fallback_composer_suggests_highlights_and_posts_once(
    firefox, signed_in, site_pages, live_server, tab, name
):
    from marionette_driver.by import By

    ff = firefox
    page_name, query, site = FALLBACK_VARIANTS[name]
    origin = site_pages.linkedin_origin if site == "linkedin" else site_pages.x_origin
    before = len(live_server.shares())
    tab(f"{origin}/{page_name}?{query}")
    poll(lambda: ff.js("return !!window.wrappedJSObject.__fixture"), message="fixture composer")
    click_at(ff, "editor")

    panel(ff)
    compat = poll(
        lambda: (el := ff.client.find_element(By.ID, "compat")).is_displayed() and el,
        timeout=20,
        message="the compatibility-mode note in the panel",
    )
    assert "Compatibility mode" in compat.text

    text = SUGGESTION[site]
    card = poll(
        lambda: next(
            (li for li in ff.client.find_elements(By.CSS_SELECTOR, "li.card") if text in li.text),
            None,
        ),
        timeout=20,
        message="the approved suggestion in the panel",
    )
    card.find_element(By.CSS_SELECTOR, "button.insert").click()
    poll(lambda: model_text(ff) == text, message=f"editor model == {text!r}")
    assert ff.js("return window.wrappedJSObject.__fixture.postEnabled()"), "Post enabled"

    # A flagged word typed after it: underlined in the composer's own window, DOM untouched.
    click_at(ff, "editor")
    ff.client.actions.sequence("key", "keyboard").send_keys("\ue010 Confidential").perform()
    text += " Confidential"
    poll(lambda: model_text(ff) == text, message="typed text in the model")
    errors = poll(
        lambda: page_eval(ff, READ_HIGHLIGHTS).get("herald-error"),
        timeout=15,
        message="an error highlight",
    )
    start = len(text) - len("Confidential")
    assert errors == [{"text": "Confidential", "start": start, "end": len(text)}]
    assert (
        ff.js("return window.wrappedJSObject.__fixture.editor().querySelectorAll('mark').length")
        == 0
    )
    ff.screenshot(SHOTS / f"firefox-compat-{name}.png")
    hint_card_by_caret_and_hover(ff)

    # The site's own Post: exactly one share, attributed to the suggestion.
    click_at(ff, "post")
    poll(
        lambda: ff.js("return window.wrappedJSObject.__fixture.published") == [text],
        message="the site published the post",
    )
    poll(
        lambda: len(live_server.shares()) == before + 1,
        timeout=60,
        message="one share on the server",
    )
    time.sleep(1.0)
    shares = live_server.shares()
    assert len(shares) == before + 1, "the share was recorded more than once"
    assert shares[-1]["network"] == site
    assert shares[-1]["snippet_id"] == live_server.snippets["launch"]
    assert shares[-1]["edited"], "the typed word counts as an edit of the suggestion"
    POSTED[site] += 1


# ------------------------------------------------------------------------------------------------
# Served site adapters (issue 13 §1) in Firefox: the same live update as
# test_served_adapters.py in Chromium. X renames its composer; the admin uploads a fixed adapter;
# the running Firefox extension (no rebuild, no reinstall) finds the renamed composer with it.


def extension_eval(ff: Firefox, function_source: str):
    """Run an async function in an extension page of the add-on (its own `browser.*`: storage,
    alarms), as Chromium's tests evaluate in the service worker; returns its JSON result."""
    ff.open_tab(ff.extension_url("popup/popup.html"))
    try:
        poll(lambda: ff.js("return !!window.wrappedJSObject.browser"), message="extension page")
        out = ff.client.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.wrappedJSObject.eval('(' + arguments[0] + ')()').then("
            " (r) => done(JSON.stringify(r === undefined ? null : r)), (e) => done('!' + e));",
            script_args=[function_source],
        )
    finally:
        ff.close_tab()
    assert not out.startswith("!"), out
    return json.loads(out)


SERVED_X = """async () => { const {sites} = await browser.storage.local.get('sites');
  return (sites && sites.served && sites.served.x && sites.served.x.version) || null; }"""


def firefox_sync(ff: Firefox) -> None:
    """The background page's regular sync, through its real alarm listener (fired now)."""
    extension_eval(
        ff,
        "async () => { await browser.alarms.create('herald-sync',"
        " {when: Date.now(), periodInMinutes: 5}); }",
    )


def herald_at_composer(ff: Firefox) -> bool:
    ff.client.switch_to_frame()
    return ff.js(
        "return document.querySelectorAll('.herald-button:not([hidden]),"
        " iframe.herald-panel-frame[data-herald-visible=true]').length > 0"
    )


SERVED: dict[
    str, int
] = {}  # the version test_firefox_served_adapter... uploaded, for the health test


def test_firefox_picks_up_an_uploaded_adapter_without_a_rebuild(
    firefox, signed_in, site_pages, live_server, tab
):
    from marionette_driver.by import By

    ff = firefox
    token = live_server.login(ADMIN)
    tab(f"{site_pages.x}?composer=renamed")
    page = ff.client.current_window_handle
    poll(lambda: ff.js("return !!window.wrappedJSObject.__fixture.editor()"), message="composer")
    assert not ff.js("return document.querySelector('[data-testid^=tweetTextarea_]')")
    ff.client.find_element(By.CSS_SELECTOR, "[data-testid=composeBox_0]").click()
    # The bridge reacts within a frame of focus: half a second without Herald means none comes.
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        assert not herald_at_composer(ff), "the built-in adapter must not know the renamed composer"

    version = next_version()
    try:
        live_server.api("POST", "/sites", renamed_adapter(version), token)
        firefox_sync(ff)
        poll(lambda: extension_eval(ff, SERVED_X) == version, message="the served adapter stored")
        SERVED["x"] = version
        # The open page switched to the served adapter: the composer is found where it is.
        ff.client.switch_to_window(page)
        ff.client.find_element(By.CSS_SELECTOR, "[data-testid=composeBox_0]").click()
        poll(lambda: herald_at_composer(ff), message="Herald at the renamed composer")
        panel(ff)
        card = poll(
            lambda: next(
                (
                    li
                    for li in ff.client.find_elements(By.CSS_SELECTOR, "li.card")
                    if SUGGESTION_X in li.text
                ),
                None,
            ),
            timeout=20,
            message="the suggestion in the renamed composer's panel",
        )
        # Matched by the adapter, not by the generic fallback: no compatibility-mode note.
        assert not ff.client.find_element(By.ID, "compat").is_displayed()
        card.find_element(By.CSS_SELECTOR, "button.insert").click()
        poll(lambda: model_text(ff) == SUGGESTION_X, message="the suggestion in the editor")
        ff.client.actions.sequence("key", "keyboard").send_keys(f" {SECRET}").perform()
        poll(lambda: model_text(ff).endswith(SECRET), message="the typed text in the editor")
        poll(
            lambda: error_highlights(ff) == ["confidential"],
            timeout=15,
            message="a highlight in the renamed composer",
        )
        # The server hears which version this installation runs (the console's installations).
        installation = extension_eval(
            ff, "async () => (await browser.storage.local.get('installation')).installation"
        )
        poll(
            lambda: reported_x_version(live_server, installation) == version,
            timeout=20,
            message="the installation's report of the new version",
        )
    finally:
        # Later tests in this Firefox get the built-in adapter back.
        live_server.api("POST", "/sites/x/activate", {"version": None}, token)
        firefox_sync(ff)
        poll(lambda: extension_eval(ff, SERVED_X) is None, message="back to the built-in adapter")


def reported_x_version(live_server, installation: str):
    import sqlite3

    con = sqlite3.connect(live_server.db_path)
    try:
        row = con.execute(
            "SELECT adapters FROM adapter_report WHERE installation = ?", (installation,)
        ).fetchone()
    finally:
        con.close()
    return row and json.loads(row[0]).get("x")


# ------------------------------------------------------------------------------------------------
# Health reports (issue 13 §3) from Firefox: what this module's Firefox did in the composers
# arrives on the server as counts and shows on the console's health page; and nothing it sent to
# the server during the whole module carries a draft or a page's address.

WAITING = """async () => { const {health} = await browser.storage.local.get('health');
  return health ? health.batches.length + Object.keys(health.pending).length : 0; }"""


def console_rows(ff: Firefox, live_server, site: str) -> dict[str, dict[str, str]]:
    """The health page's last-24-hours rows for `site` ({"extension|adapter": {counter: cell}}),
    read in Firefox as an admin would."""
    from marionette_driver.by import By

    # The console's root (open_tab waits for its address: a sign-in redirect stays under it).
    ff.open_tab(live_server.url + "/admin/")
    try:
        if "/admin/sign-in" in ff.client.get_url():
            # the address changes when the redirect commits, before the form is parsed (CI run 12)
            poll(
                lambda: ff.js("return !!document.querySelector('main button[type=submit]')"),
                message="the sign-in form",
            )
            ff.client.find_element(By.NAME, "email").send_keys(ADMIN)
            ff.client.find_element(By.NAME, "password").send_keys(PASSWORD)
            ff.client.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            poll(lambda: "/admin/sign-in" not in ff.client.get_url(), message="signed in")
        ff.client.navigate(live_server.url + "/admin/health")
        poll(lambda: ff.js("return !!document.querySelector('#health-24h')"), message="page")
        ff.screenshot(SHOTS / "firefox-console-health.png")
        return ff.js(
            "const out = {};"
            "for (const tr of document.querySelectorAll("
            "  `#health-24h article[data-site=${arguments[0]}] tbody tr`)) {"
            "  const cells = {};"
            "  for (const td of tr.querySelectorAll('td[data-counter]'))"
            "    cells[td.dataset.counter] = td.textContent.trim();"
            "  out[tr.dataset.extension + '|' + tr.dataset.adapter] = cells; }"
            "return out;",
            site,
        )
    finally:
        ff.close_tab()


def server_rows(live_server, site: str) -> dict[str, dict[str, int]]:
    """The server's stored counts for `site` by extension and adapter version (the console's rows)."""
    import sqlite3

    con = sqlite3.connect(live_server.db_path)
    try:
        rows = con.execute(
            "SELECT extension_version, adapter_version, counter, SUM(count) FROM health_count"
            " WHERE site = ? GROUP BY extension_version, adapter_version, counter",
            (site,),
        ).fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, int]] = {}
    for extension, adapter, counter, n in rows:
        out.setdefault(f"{extension}|{adapter}", {})[counter] = int(n)
    return out


def test_firefox_health_counts_reach_the_console_and_no_request_carries_a_draft(
    firefox, signed_in, site_pages, live_server, server_heard
):
    ff = firefox
    if not POSTED:  # run on its own: post once, as the tests above do
        insert_highlight_post(ff, site_pages, live_server, "linkedin")
    # Send what waits now (as if the backoff had run out, through the real alarm listener).
    extension_eval(
        ff,
        "async () => { const {health} = await browser.storage.local.get('health');"
        " if (health) await browser.storage.local.set({health: {...health, next_at: 0}});"
        " await browser.alarms.create('herald-health', {when: Date.now()}); }",
    )
    poll(lambda: extension_eval(ff, WAITING) == 0, timeout=30, message="the counts sent")

    before, received = server_heard
    # Every request the server received while this Firefox ran: no draft, no page address.
    seen = received()
    extension = [r for r in seen if r["headers"].get("origin", "").startswith("moz-extension://")]
    posted = {r["path"] for r in extension if r["method"] == "POST"}
    assert {"/api/v1/shares", "/api/v1/health-reports"} <= posted, posted
    forbidden = [
        SECRET,
        "Okapi-5521",
        TYPED.strip(),
        site_pages.linkedin_origin + "/",
        site_pages.x_origin + "/",
        "linkedin.html",
        "x.html",
        "compat-",
    ]
    for r in seen:
        text = " ".join([r["path"], r["query"], r["body"], json.dumps(r["headers"])])
        leaks = [f for f in forbidden if f in text]
        assert not leaks, f"{r['method']} {r['path']} carries {leaks}"
    reports = [json.loads(r["body"]) for r in extension if r["path"].endswith("/health-reports")]
    assert all(
        set(c) == {"hour", "site", "adapter_version", "counter", "count"}
        for report in reports
        for c in report["counts"]
    )
    sent = extension_eval(ff, "async () => (await browser.storage.local.get('health')).health")
    assert sent["sent"] >= 1 and sent["dropped"] == 0, "the server took every batch"
    for site in ("linkedin", "x"):
        got = delta(server_counts(live_server, site), before[site])
        assert got.get("post_detected", 0) == POSTED[site], (site, got)
        assert got.get("composer_opened", 0) >= POSTED[site], (site, got)
        assert got.get("matched_adapter", 0) + got.get("matched_fallback", 0) == got.get(
            "composer_opened", 0
        ), (site, got)
        assert "insert_failed" not in got and "composer_not_found" not in got, (site, got)
    # The console: each row as the server stored it; the served adapter's row is Firefox's alone.
    for site in ("linkedin", "x"):
        rows = console_rows(ff, live_server, site)
        stored = server_rows(live_server, site)
        assert set(rows) == set(stored), site
        for version, counts in stored.items():
            for counter, n in counts.items():
                assert rows[version][counter].split(" ")[0] == str(n), (site, version, counter)
    if "x" in SERVED:
        version = extension_eval(ff, "async () => browser.runtime.getManifest().version")
        served = rows.get(f"{version}|{SERVED['x']}")
        assert served, f"no console row for Firefox's served adapter v{SERVED['x']}: {rows}"
        assert served["composer_opened"] == served["matched_adapter"] != "0", served
