"""The real panel page in Chromium: sandboxed iframe, MV3 sandbox CSP, Brython, bundle.

A harness page plays the bridge (see panel_harness.HARNESS_HTML): it answers `ready` with
`init` + `data` and records what the panel posts back.
"""

import json
import shutil
import time

import jsonschema
import panel_harness
import pytest
from panel_support import REPO

pytestmark = pytest.mark.browser

SHARE_EVENT_SCHEMA = json.loads(
    (REPO / "shared_schemas" / "share-event.schema.json").read_text("utf-8")
)
ARTIFACTS = REPO / "test-artifacts"

SUGGESTIONS = {
    "items": [
        {
            "id": 7,
            "title": "Launch day",
            "network": "x",
            "campaign": {"id": 2, "name": "Launch", "hashtag": "#HeraldGo"},
            "hashtags": ["#HeraldGo"],
            "link": "https://acme.example/l/abc",
            "featured": True,
            "colleagues_shared": 4,
            "starts_at": None,
            "expires_at": None,
            "approved_at": "2026-11-20T00:00:00Z",
            "variants": [
                {"index": 0, "text": "We launched today 🚀 #HeraldGo"},
                {"index": 1, "text": "Launch day is here 🚀 #HeraldGo"},
            ],
        },
        {
            "id": 8,
            "title": "Hiring",
            "network": "x",
            "campaign": None,
            "hashtags": [],
            "link": None,
            "featured": False,
            "colleagues_shared": 1,
            "starts_at": None,
            "expires_at": None,
            "approved_at": "2026-11-21T00:00:00Z",
            "variants": [{"index": 0, "text": "We are hiring!"}],
        },
    ],
    "page": 1,
    "per_page": 20,
    "total": 2,
    "latest_approved_at": "2026-11-21T00:00:00Z",
}

POLICY_DOC = {
    "version": 1,
    "name": "Panel test policy",
    "rules": [
        {
            "id": "no-guarantees",
            "kind": "terms",
            "severity": "error",
            "message": "Don't promise results",
            "explain": "Regulators treat promises as advertising claims.",
            "terms": ["guaranteed"],
            "replacements": {"guaranteed": ["expected"]},
        }
    ],
}


def compiled_policy():
    try:
        from guidelines import compile_policy
    except ImportError:
        return None
    return compile_policy(POLICY_DOC)


def signed_in_data():
    """The bridge's `data` for a signed-in employee with SUGGESTIONS and the test policy."""
    return {
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": SUGGESTIONS,
        "policy": compiled_policy(),
        "offline": False,
    }


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    panel_harness.build_dist(dist)
    url, server = panel_harness.serve(dist)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


def open_panel(browser, base_url, network, data):
    page = browser.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(base_url + "/harness.html")
    page.evaluate(
        "(messages) => { window.bootMessages = messages; }",
        [
            {"type": "init", "network": network, "locale": "en-US", "strings_locale": "en"},
            dict({"type": "data"}, **data),
        ],
    )
    page.evaluate("window.openPage('panel/panel.html')")
    wait_for(page, "status")
    frame = next(frame for frame in page.frames if frame.url.endswith("panel/panel.html"))
    return page, frame, errors


def received(page, message_type):
    return [
        entry
        for entry in page.evaluate("window.received")
        if entry["message"].get("type") == message_type
    ]


def wait_for(page, message_type, count=1, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = received(page, message_type)
        if len(found) >= count:
            return found[count - 1]
        time.sleep(0.02)
    raise AssertionError(
        f"panel never sent {message_type!r}; got {page.evaluate('window.received')}"
    )


def eventually_text(locator, expected, timeout=10.0):
    """Poll text_content() until it contains `expected` (what a user would eventually read)."""
    deadline = time.monotonic() + timeout
    text = None
    while time.monotonic() < deadline:
        if locator.count():
            text = locator.first.text_content()
            if expected in (text or ""):
                return text
        time.sleep(0.02)
    raise AssertionError(f"expected {expected!r} in {text!r}")


def test_suggestions_insert_counter_and_share_event(browser, base_url):
    data = signed_in_data()
    page, frame, errors = open_panel(browser, base_url, "x", data)
    boot_ms = wait_for(page, "status")["at"]

    eventually_text(frame.locator("#program-name"), "Acme Voices")
    first = frame.locator(".card").first
    eventually_text(first, "4 colleagues shared this")
    assert "Must-see" in first.text_content() and "#HeraldGo" in first.text_content()
    eventually_text(frame.locator(".card").nth(1), "1 colleague shared this")

    first.locator("button.variant").nth(1).click()
    eventually_text(frame.locator(".card").first.locator(".card-text"), "Launch day is here")
    frame.locator(".card").first.locator("button.insert").click()
    inserted = wait_for(page, "insert")["message"]
    assert inserted == {
        "type": "insert",
        "text": "Launch day is here 🚀 #HeraldGo",
        "snippet_id": 7,
        "variant": 1,
    }
    eventually_text(frame.locator("#nudge"), "own words")

    posted = "Launch day is here 🚀 #HeraldGo, proud of the team"
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": posted, "origin": None})
    expected_length = x_weighted(posted)
    eventually_text(frame.locator("#counter"), f"{expected_length} / 280")

    page.evaluate(
        "(m) => window.sendToPage(m)",
        {"type": "compose-share", "request_id": "req-1", "text": posted},
    )
    reply = wait_for(page, "share-event")["message"]
    assert reply["request_id"] == "req-1"
    event = reply["event"]
    jsonschema.validate(event, SHARE_EVENT_SCHEMA)
    assert (event["snippet_id"], event["variant"], event["edited"]) == (7, 1, True)
    assert event["edit_distance"] == len(", proud of the team")
    assert event["network"] == "x" and event["findings"] == []
    assert not [error for error in errors if "[herald]" in error and "guidelines" not in error]
    # How fast is benchmarks/panel_bench.py's to say (a timed assertion here failed with machine load).
    print(f"cold boot (iframe created -> suggestions rendered): {boot_ms:.0f} ms")


PANEL_FILES = (
    "harness.html",
    "herald_assets.js",
    "herald_panel_modules.js",
    "panel/panel.html",
    "panel/sandbox_port.js",
    "panel/panel.css",
    "panel/hints.css",
)


def copy_dist(base_url, into, names):
    """The harness's built files, copied to `into`, for a variant of one of them."""
    import urllib.request

    for name in names:
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(f"{base_url}/{name}") as response:
            (into / name).write_bytes(response.read())
    return into


def test_the_panel_says_ready_before_python_runs(browser, base_url, tmp_path):
    """The bridge's answer to `ready` (the port, the cards' data, init) crosses the frames while
    Brython boots, so the cards are drawn without a round trip after Python starts: the page
    says `ready` from sandbox_port.js, once. Here Brython never comes (an empty brython.js),
    and `ready` must still arrive, and only once."""
    stub = copy_dist(base_url, tmp_path / "dist", PANEL_FILES)
    (stub / "brython.js").write_text("/* no Brython: only the pipe runs */\n", "utf-8")
    url, server = panel_harness.serve(stub)
    try:
        page = browser.new_page()
        page.goto(url + "/harness.html")
        page.evaluate("window.openPage('panel/panel.html')")
        wait_for(page, "ready")
        time.sleep(0.5)
        assert [entry["message"] for entry in page.evaluate("window.received")] == [
            {"type": "ready"}
        ]
        page.close()
    finally:
        server.shutdown()


# Appended to brython.js: records every call of Brython's compiler in the frame.
COMPILER_SPY = """
;(function ($B) {
  var compile = $B.py2js;
  window.heraldCompiled = [];
  $B.py2js = function (src) {
    window.heraldCompiled.push((src && src.filename) || String(src).slice(0, 60));
    return compile.apply(this, arguments);
  };
})(__BRYTHON__);
"""


def test_the_pages_compile_no_python_in_the_browser(browser, base_url, tmp_path):
    """All the pages' Python, their inline entry scripts included, is compiled when the
    extension is built (extension_build: precompile, page_script). Brython's compiler then never
    runs in the frame: its first run costs a panel's cold boot ~25 ms of warm-up. A spy on the
    compiler sees no call while the panel boots, draws its cards and loads its guidelines, nor
    while the options page starts."""
    dist = copy_dist(
        base_url,
        tmp_path / "dist",
        PANEL_FILES + ("herald_modules.js", "options/options-panel.html", "options/options.css"),
    )
    brython_js = panel_harness.BRYTHON_JS.read_text("utf-8")
    (dist / "brython.js").write_text(brython_js + COMPILER_SPY, "utf-8")
    url, server = panel_harness.serve(dist)
    try:
        page, frame, _ = open_panel(browser, url, "x", signed_in_data())
        eventually_text(frame.locator(".card").first, "4 colleagues shared this")
        deadline = time.monotonic() + 10
        while not frame.evaluate("'guidelines.check' in __BRYTHON__.imported"):
            assert time.monotonic() < deadline, "the panel never loaded its guidelines"
            time.sleep(0.05)
        assert frame.evaluate("window.heraldCompiled") == []
        page.close()

        page = browser.new_page()
        page.goto(url + "/harness.html")
        page.evaluate(
            "(m) => { window.bootMessages = m; }", [{"type": "options:init", "locale": "en-US"}]
        )
        page.evaluate("window.openPage('options/options-panel.html')")
        wait_for(page, "options:call")
        frame = next(f for f in page.frames if f.url.endswith("options-panel.html"))
        assert frame.evaluate("window.heraldCompiled") == []
        page.close()
    finally:
        server.shutdown()


def test_a_booted_panel_said_ready_once(browser, base_url):
    """Python does not say `ready` again when it starts: a second one would make the bridge send
    its state and init again, and the panel draw everything twice."""
    data = signed_in_data()
    page, frame, _ = open_panel(browser, base_url, "x", data)
    eventually_text(frame.locator(".card").first, "4 colleagues shared this")
    assert len(received(page, "ready")) == 1
    page.close()


def test_cards_stay_put_when_nothing_they_show_changed(browser, base_url):
    """Guidelines finishing loading after the first cards, and the worker's sync bringing the
    same suggestions with a new standing, must not draw the cards anew: a redraw replaces the
    Insert button, and a click under way (mousedown on the old button, mouseup on the new) is
    lost. The button a person is about to click stays the same element."""
    data = signed_in_data()
    page, frame, _ = open_panel(browser, base_url, "x", data)
    eventually_text(frame.locator(".card").first, "4 colleagues shared this")
    frame.evaluate("() => { document.querySelector('button.insert').dataset.same = 'yes'; }")
    # guidelines are loaded once a finding shows (the panel loads them after the first cards)
    page.evaluate(
        "(m) => window.sendToPage(m)", {"type": "text", "text": "It is guaranteed", "origin": None}
    )
    eventually_text(frame.locator("#findings"), "guaranteed")
    standing = {"opted_in": False, "periods": []}
    page.evaluate("(m) => window.sendToPage(m)", dict({"type": "data"}, **data, standing=standing))
    time.sleep(0.3)
    assert frame.evaluate("() => document.querySelector('button.insert').dataset.same") == "yes"
    page.close()


def test_a_click_under_way_survives_a_list_that_changed(browser, base_url):
    """The worker's sync brings a new suggestion and a new count of colleagues on the very card
    the employee is clicking Insert on: the cards the new list still shows keep their elements,
    updated in place (render_keeping), so the press and the release land on the same button and
    the insert happens. Drawing the list anew replaced every button, and the click was lost
    (CI runs 15 and 16 lost inserts so)."""
    data = signed_in_data()
    page, frame, _ = open_panel(browser, base_url, "x", data)
    button = frame.locator('li.card[data-snippet-id="8"] button.insert')
    eventually_text(frame.locator('li.card[data-snippet-id="8"]'), "We are hiring!")
    box = button.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    older = dict(
        SUGGESTIONS["items"][1],
        id=9,
        title="Older news",
        approved_at="2026-11-01T00:00:00Z",
        variants=[{"index": 0, "text": "Older news, still true"}],
    )
    hiring = dict(SUGGESTIONS["items"][1], colleagues_shared=2)
    suggestions = dict(SUGGESTIONS, items=[SUGGESTIONS["items"][0], hiring, older], total=3)
    page.evaluate(
        "(m) => window.sendToPage(m)", dict({"type": "data"}, **dict(data, suggestions=suggestions))
    )
    eventually_text(frame.locator("#cards"), "Older news")
    eventually_text(frame.locator('li.card[data-snippet-id="8"]'), "2 colleagues shared this")
    page.mouse.up()
    insert = wait_for(page, "insert")["message"]
    assert insert["snippet_id"] == 8 and insert["text"] == "We are hiring!"
    page.close()


def x_weighted(text):
    try:
        from guidelines import x_weighted_length
    except ImportError:
        return len(text)
    return x_weighted_length(text)


def test_signed_out_and_offline_states(browser, base_url):
    page, frame, _ = open_panel(
        browser,
        base_url,
        "linkedin",
        {
            "signed_in": False,
            "program": None,
            "suggestions": None,
            "policy": None,
            "offline": False,
        },
    )
    eventually_text(frame.locator("#notice"), "Sign in from Herald's options")
    assert frame.locator(".card").count() == 0
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {
            "type": "data",
            "signed_in": True,
            "program": None,
            "offline": True,
            "policy": None,
            "suggestions": dict(
                SUGGESTIONS, items=[dict(item, network="linkedin") for item in SUGGESTIONS["items"]]
            ),
        },
    )
    eventually_text(frame.locator("#notice"), "Offline: showing saved suggestions")
    eventually_text(frame.locator(".card").first, "Launch day")
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": "Hello", "origin": None})
    eventually_text(frame.locator("#counter"), "5 / 3,000")


def test_findings_highlights_after_an_emoji_and_quick_fix(browser, base_url):
    policy = compiled_policy()
    if policy is None:
        pytest.skip("guidelines.compile_policy is not available yet")
    data = {
        "signed_in": True,
        "program": {"name": "Acme", "logo_url": None},
        "suggestions": SUGGESTIONS,
        "policy": policy,
        "offline": False,
    }
    page, frame, _ = open_panel(browser, base_url, "linkedin", data)
    text = "Launch 🚀 is guaranteed"
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": text, "origin": None})
    eventually_text(frame.locator(".finding"), "Don't promise results")
    assert "Regulators" in frame.locator(".finding").first.text_content()
    highlights = [
        entry["message"] for entry in received(page, "highlights") if entry["message"]["ranges"]
    ][-1]
    assert highlights["ranges"] == [
        {"start": 12, "end": 22, "severity": "error", "rule": "no-guarantees"}
    ]
    assert list(text)[12:22] == list("guaranteed")
    eventually_text(frame.locator("#counter"), f"{len(text)} / 3,000")
    frame.locator(".finding button.fix").first.click()
    fix = wait_for(page, "apply-fix")["message"]
    assert fix == {"type": "apply-fix", "start": 12, "end": 22, "replacement": "expected"}


def test_options_page_signs_in_and_lists_what_herald_records(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/harness.html")
    page.evaluate(
        "(m) => { window.bootMessages = m; }", [{"type": "options:init", "locale": "en-US"}]
    )
    page.evaluate("window.openPage('options/options-panel.html')")
    call = wait_for(page, "options:call")["message"]
    assert call["message"] == {"type": "get-state"}
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {
            "type": "options:reply",
            "request_id": call["request_id"],
            "response": {
                "signed_in": False,
                "server_url": "http://127.0.0.1:5000",
                "settings": {"notifications": True},
            },
        },
    )
    # A known server: the page asks whether it offers single sign-on (this one does not).
    sso = wait_for(page, "options:call", count=2)["message"]
    assert sso["message"] == {"type": "sso-info", "server_url": "http://127.0.0.1:5000"}
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {
            "type": "options:reply",
            "request_id": sso["request_id"],
            "response": {"ok": True, "enabled": False, "provider_name": None},
        },
    )
    frame = next(frame for frame in page.frames if frame.url.endswith("options-panel.html"))
    records = eventually_text(frame.locator("#records"), "What Herald records")
    for field in SHARE_EVENT_SCHEMA["properties"]:
        assert field in records
    assert "never leaves your browser" in records
    frame.locator("#email").fill("ana@acme.example")
    frame.locator("#password").fill("secret")
    frame.locator("#sign-in-form button").click()
    sign_in = wait_for(page, "options:call", count=3)["message"]
    assert sign_in["message"] == {
        "type": "sign-in",
        "server_url": "http://127.0.0.1:5000",
        "email": "ana@acme.example",
        "password": "secret",
    }
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {
            "type": "options:reply",
            "request_id": sign_in["request_id"],
            "response": {"ok": False, "error": "invalid_credentials"},
        },
    )
    eventually_text(frame.locator(".error"), "Wrong email or password.")


def test_a_draft_is_not_called_good_before_anything_checked_it(browser, base_url):
    """Until the guidelines and the company's policy are in (a cold panel's first second, a
    policy still on its way), the panel cannot know: it says it is checking, never "Looks good"."""
    data = signed_in_data()
    del data["policy"]  # it comes later, in its own message
    page, frame, _ = open_panel(browser, base_url, "x", data)
    page.evaluate(
        "(m) => window.sendToPage(m)", {"type": "text", "text": "Hello team", "origin": None}
    )
    summary = frame.locator("#hints-empty")
    eventually_text(summary, "Checking your draft against the guidelines")
    wait_for(page, "status", count=2)  # the draft was counted: the panel has drawn its state
    time.sleep(0.5)
    assert "Looks good" not in summary.text_content()
    page.evaluate(
        "(m) => window.sendToPage(m)",
        {"type": "policy", "policy_json": json.dumps(compiled_policy())},
    )
    eventually_text(summary, "No issues found. Looks good!")
    page.close()


def test_with_a_draft_the_summary_leads_and_findings_group_with_chips(browser, base_url):
    import guidelines

    data = {
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": dict(
            SUGGESTIONS, items=[dict(item, network="linkedin") for item in SUGGESTIONS["items"]]
        ),
        "policy": guidelines.compile_policy(guidelines.load_starter_policy()),
        "offline": False,
    }
    page, frame, errors = open_panel(browser, base_url, "linkedin", data)
    eventually_text(frame.locator(".card").first, "Launch day")
    toggle = frame.locator("#suggestions-toggle")
    assert not toggle.is_visible()  # no draft: suggestions first, nothing folded
    text = "Guaranteed returns, risk-free! That idiot at Acme said our revenue will double."
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": text, "origin": None})
    eventually_text(frame.locator("#hints-empty"), "5 issues · Review")
    # hints lead, the suggestions are folded below behind a button naming how many there are
    hints_top = frame.locator("#hints").bounding_box()["y"]
    assert hints_top < frame.locator("#suggestions").bounding_box()["y"]
    assert not frame.locator(".card").first.is_visible()
    assert toggle.text_content() == "Show suggestions (2)"
    groups = frame.locator("#findings > li.finding")
    assert [groups.nth(i).get_attribute("data-rule") for i in range(groups.count())] == [
        "no-promissory-claims",
        "forward-looking-claims",
        "respectful-language",
        "employment-disclosure",
    ]
    promissory = frame.locator("li.finding[data-rule=no-promissory-claims]")
    assert promissory.locator(".chip").all_text_contents() == ["Guaranteed returns", "risk-free"]
    assert promissory.locator(".finding-count").text_content() == "× 2"
    assert promissory.locator(".fix").all_text_contents() == ["Remove", "Remove"]
    # every group offers at least one fix
    for i in range(groups.count()):
        assert groups.nth(i).locator(".fix").count() >= 1
    assert not promissory.locator(".finding-explanation").is_visible()
    promissory.locator(".why summary").click()
    assert promissory.locator(".finding-explanation").is_visible()
    frame.locator("#review").click()
    assert frame.evaluate("document.activeElement.className") == "fix"
    page.screenshot(path=str(ARTIFACTS / "panel-summary-grouped.png"), full_page=True)
    toggle.click()
    assert frame.locator(".card").first.is_visible()
    assert toggle.text_content() == "Hide suggestions"
    frame.locator("li.finding[data-rule=employment-disclosure] .fix").click()
    fix = wait_for(page, "apply-fix")["message"]
    assert fix == {"type": "apply-fix", "append": " #AcmeEmployee"}
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []


def test_typing_past_the_limit_leaves_the_open_explanation_open(browser, base_url):
    """Each keystroke past X's limit changes the over-length finding's tail: the list must not be
    redrawn for it (that costs the panel a full re-render per key and closes what the employee
    opened); only "Shorten by N" follows the text."""
    import guidelines

    data = {
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": SUGGESTIONS,
        "policy": guidelines.compile_policy(guidelines.load_starter_policy()),
        "offline": False,
    }
    page, frame, errors = open_panel(browser, base_url, "x", data)
    text = "this is confidential. " + "Our team shipped the new dashboard today. " * 8
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": text, "origin": None})
    confidential = frame.locator("li.finding[data-rule=no-confidential]")
    eventually_text(confidential, "confidential")
    over = x_weighted(text) - 280
    eventually_text(frame.locator(".fix-guidance"), f"{over} characters")
    confidential.locator(".why summary").click()
    assert confidential.locator(".finding-explanation").is_visible()
    typed = text + "Thanks"
    page.evaluate("(m) => window.sendToPage(m)", {"type": "text", "text": typed, "origin": None})
    eventually_text(frame.locator(".fix-guidance"), f"{over + 6} characters")
    eventually_text(frame.locator("#counter"), f"{x_weighted(typed)} / 280")
    assert confidential.locator(".finding-explanation").is_visible()
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []


def test_a_long_list_draws_its_first_cards_at_once_then_all_in_order(browser, base_url):
    """The first cards are drawn in the task that shows the list (a cold panel shows them sooner),
    the rest right after: every suggestion ends up listed, in the order the panel chose, and a
    search still narrows the whole list."""
    items = [
        dict(SUGGESTIONS["items"][1], id=100 + i, title=f"Card {i:02d}", featured=False)
        for i in range(14)
    ]
    data = {
        "signed_in": True,
        "program": {"name": "Acme Voices", "logo_url": None},
        "suggestions": dict(SUGGESTIONS, items=items, total=len(items)),
        "policy": None,
        "offline": False,
    }
    page, frame, errors = open_panel(browser, base_url, "x", data)
    cards = frame.locator("#cards > li.card .card-title")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and cards.count() < len(items):
        time.sleep(0.02)
    titles = [cards.nth(i).text_content() for i in range(cards.count())]
    assert titles == sorted(titles) and len(titles) == len(items), titles
    frame.locator("#search").fill("Card 13")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and cards.count() != 1:
        time.sleep(0.02)
    page.wait_for_timeout(100)
    assert [cards.nth(i).text_content() for i in range(cards.count())] == ["Card 13"]
    page.close()


def test_the_first_card_keeps_its_distance_from_the_filters(browser, base_url):
    """The search box (and the campaign menu) sat flush on the first card's border: the list's
    parts are spaced like the rest of the panel."""
    page, frame, _ = open_panel(browser, base_url, "x", signed_in_data())
    eventually_text(frame.locator(".card").first, "colleagues shared this")
    gap = frame.evaluate(
        """() => document.querySelector('#cards > li.card').getBoundingClientRect().top
                 - document.querySelector('.filters').getBoundingClientRect().bottom"""
    )
    assert gap >= 6, f"{gap} px between the filters and the first card"
    page.close()
