"""The last drawn panel, shown before Brython has started (sandbox_port.js, Snapshot).

A panel sends the bridge a snapshot of what Python drew from one `data` and `init`; the next
panel that boots with the same two messages shows it at once, and Python then takes it over.
The harness page plays the bridge (panel_harness.HARNESS_HTML), in the bridge's order:
the snapshot first, then `data`, then `init`.
"""

import time

import panel_harness
import pytest
import test_panel_browser
from test_panel_browser import PANEL_FILES, SUGGESTIONS, copy_dist, received, wait_for

# The panel page and Chromium, shared with the other panel browser tests' module fixtures.
base_url = test_panel_browser.base_url
browser = test_panel_browser.browser

pytestmark = pytest.mark.browser

ITEMS = [
    dict(SUGGESTIONS["items"][1], id=100 + i, title=f"Card {i:02d}", featured=False)
    for i in range(8)
]
DATA = {
    "type": "data",
    "signed_in": True,
    "program": {"name": "Acme Voices", "logo_url": None},
    "suggestions": dict(SUGGESTIONS, items=ITEMS, total=len(ITEMS)),
    "policy": None,
    "offline": False,
}
INIT = {"type": "init", "network": "x", "locale": "en-US", "strings_locale": "en", "theme": "dim"}

# The panel's main element as the tests compare it: tags, attributes and text, in order
# (whitespace between elements is the HTML source's, not what the panel drew).
DOM_OF_PANEL = """() => {
  const spec = (node) => [node.tagName.toLowerCase(),
    Object.fromEntries([...node.attributes].map((a) => [a.name, a.value])),
    [...node.childNodes].filter((c) => c.nodeType === 3).map((c) => c.data).join('').trim(),
    [...node.children].map(spec)];
  return {panel: spec(document.getElementById('panel')), title: document.title,
          lang: document.documentElement.lang, theme: document.documentElement.dataset.theme};
}"""


def boot(browser, url, messages):
    page = browser.new_page()
    page.goto(url + "/harness.html")
    page.evaluate("(m) => { window.bootMessages = m; }", messages)
    page.evaluate("window.openPage('panel/panel.html')")
    frame = None
    deadline = time.monotonic() + 10
    while frame is None and time.monotonic() < deadline:
        page.wait_for_timeout(20)  # lets Playwright hear of the frame
        frame = next((f for f in page.frames if f.url.endswith("panel/panel.html")), None)
    return page, frame


def titles(frame):
    return frame.evaluate(
        "() => [...document.querySelectorAll('#cards > li.card .card-title')].map((n) => n.textContent)"
    )


def first_difference(a, b, path="panel"):
    if a == b:
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
    return f"{path}: {a!r} != {b!r}"[:600]


def wait_until(fn, message, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {message}")


def as_dom(tree):
    """A snapshot's tree in DOM_OF_PANEL's terms."""
    tag, attrs, text, children = tree
    return [tag, attrs, (text or "").strip(), [as_dom(child) for child in children]]


def drawn_panel(browser, base_url):
    """A first boot: Python draws the list and sends its snapshot; returns (snapshot, DOM)
    with the DOM as the snapshot says Python drew it."""
    page, frame = boot(browser, base_url, [DATA, INIT])
    snapshot = wait_for(page, "snapshot")["message"]
    page.close()
    dom = {
        "panel": as_dom(snapshot["tree"]),
        "title": snapshot["title"],
        "lang": snapshot["lang"],
        "theme": snapshot["theme"],
    }
    return snapshot, dom


@pytest.fixture
def no_brython(base_url, tmp_path):
    """The harness's files with an empty brython.js: only sandbox_port.js runs, Python never."""
    stub = copy_dist(base_url, tmp_path / "dist", PANEL_FILES)
    (stub / "brython.js").write_text("/* no Brython: only the pipe runs */\n", "utf-8")
    url, server = panel_harness.serve(stub)
    yield url
    server.shutdown()


def test_the_last_drawn_panel_shows_before_python_runs(browser, base_url, no_brython):
    snapshot, dom = drawn_panel(browser, base_url)
    assert snapshot["key"] and snapshot["tree"][0] == "main"
    page, frame = boot(browser, no_brython, [snapshot, DATA, INIT])
    try:
        want = [f"Card {i:02d}" for i in range(len(ITEMS))]
        wait_until(lambda: titles(frame) == want, "the snapshot's cards")
        # What the employee sees is the panel Python drew: the same elements, text and theme.
        now = frame.evaluate(DOM_OF_PANEL)
        assert now == dom, first_difference(now["panel"], dom["panel"])
        assert dom["theme"] == "dim" and dom["title"] == "Acme Voices"
    finally:
        page.close()


def settled_panel(page, frame):
    """The panel's DOM once Python drew and handled what followed its first list."""
    wait_until(
        lambda: frame.evaluate("() => performance.getEntriesByName('herald:cards-drawn').length"),
        "Python's cards",
    )
    page.wait_for_timeout(500)
    return frame.evaluate(DOM_OF_PANEL)


def test_python_takes_the_shown_panel_over_and_its_buttons_work(browser, base_url):
    snapshot, _ = drawn_panel(browser, base_url)
    page, frame = boot(browser, base_url, [DATA, INIT])
    without = settled_panel(page, frame)
    page.close()
    page, frame = boot(browser, base_url, [snapshot, DATA, INIT])
    try:
        # Python ends where a boot without the snapshot ends: nothing of it is left over.
        now = settled_panel(page, frame)
        assert now == without, first_difference(now["panel"], without["panel"])
        shown = frame.evaluate(
            "() => performance.getEntriesByName('herald:cards-shown')[0].startTime"
        )
        python = frame.evaluate(
            "() => performance.getEntriesByName('herald:cards-drawn')[0].startTime"
        )
        assert shown < python
        frame.locator("#cards > li.card").nth(2).locator("button.insert").click()
        assert wait_for(page, "insert")["message"]["snippet_id"] == 102
        # The same data and init: nothing new to keep.
        assert received(page, "snapshot") == []
    finally:
        page.close()


def test_a_snapshot_of_other_data_is_not_shown(browser, base_url, no_brython):
    snapshot, _ = drawn_panel(browser, base_url)
    newer = dict(DATA, suggestions=dict(DATA["suggestions"], items=ITEMS[:3], total=3))
    for messages in ([snapshot, newer, INIT], [snapshot, DATA, dict(INIT, theme="light")]):
        page, frame = boot(browser, no_brython, messages)
        try:
            page.wait_for_timeout(500)
            assert titles(frame) == []
            assert not frame.evaluate(
                "() => performance.getEntriesByName('herald:cards-shown').length"
            )
        finally:
            page.close()


def test_a_click_on_the_shown_panel_waits_for_python(browser, base_url, no_brython):
    """Until Python has drawn, the shown buttons have no handlers: a click is held, then given
    to the element at the same place once Python says it drew (HeraldPort.drawn)."""
    snapshot, _ = drawn_panel(browser, base_url)
    page, frame = boot(browser, no_brython, [snapshot, DATA, INIT])
    try:
        wait_until(lambda: len(titles(frame)) == len(ITEMS), "the snapshot's cards")
        # Python's stand-in: a handler on the third card's Insert, as drawing would bind it.
        frame.evaluate(
            """() => { window.clicked = [];
              document.querySelectorAll('#cards > li.card button.insert')[2]
                .addEventListener('click', () => window.clicked.push('third')); }"""
        )
        frame.locator("#cards > li.card").nth(2).locator("button.insert").click()
        page.wait_for_timeout(100)
        assert frame.evaluate("() => window.clicked") == []
        frame.evaluate("() => window.HeraldPort.drawn()")
        assert frame.evaluate("() => window.clicked") == ["third"]
    finally:
        page.close()


def test_a_snapshot_with_script_is_refused(browser, base_url, no_brython):
    snapshot, _ = drawn_panel(browser, base_url)
    cards = snapshot["tree"]
    hostile = dict(snapshot, tree=["main", {"id": "panel", "onclick": "alert(1)"}, None, cards[3]])
    page, frame = boot(browser, no_brython, [hostile, DATA, INIT])
    try:
        page.wait_for_timeout(500)
        assert titles(frame) == []
        assert (
            frame.evaluate("() => document.getElementById('panel').getAttribute('onclick')") is None
        )
    finally:
        page.close()


def test_the_shown_panel_looks_exactly_like_the_one_python_draws(
    browser, base_url, no_brython, tmp_path
):
    """Pixel for pixel: a difference in whitespace or markup would show as a jump when Python
    takes over. The screenshots stay in the test's tmp folder."""
    snapshot, _ = drawn_panel(browser, base_url)
    page, frame = boot(browser, no_brython, [snapshot, DATA, INIT])
    wait_until(lambda: len(titles(frame)) == len(ITEMS), "the snapshot's cards")
    page.wait_for_timeout(300)
    shown = page.locator("iframe").screenshot(path=str(tmp_path / "snapshot-shown.png"))
    page.close()
    page, frame = boot(browser, base_url, [DATA, INIT])
    settled_panel(page, frame)
    drawn = page.locator("iframe").screenshot(path=str(tmp_path / "python-drawn.png"))
    page.close()
    assert shown == drawn, f"see {tmp_path}"


def test_a_host_that_answers_after_python_listens_still_gets_the_panel_shown_first(
    browser, base_url
):
    """A busy host page may answer `ready` only once Brython runs: the snapshot is still shown,
    and Python draws over it in the next task."""
    snapshot, _ = drawn_panel(browser, base_url)
    page, frame = boot(browser, base_url, [])
    try:
        wait_until(lambda: frame.evaluate("() => document.readyState") == "complete", "loaded")
        page.wait_for_timeout(800)  # Brython ran the panel's Python: it listens, with nothing yet
        assert titles(frame) == []
        page.evaluate(
            "(messages) => messages.forEach((m) => window.sendToPage(m))", [snapshot, DATA, INIT]
        )
        wait_until(
            lambda: frame.evaluate(
                "() => performance.getEntriesByName('herald:cards-drawn').length"
            ),
            "Python's cards",
        )
        shown = frame.evaluate("() => performance.getEntriesByName('herald:cards-shown')")
        drawn = frame.evaluate("() => performance.getEntriesByName('herald:cards-drawn')")
        assert shown and shown[0]["startTime"] < drawn[0]["startTime"]
        frame.locator("#cards > li.card").nth(1).locator("button.insert").click()
        assert wait_for(page, "insert")["message"]["snippet_id"] == 101
    finally:
        page.close()
