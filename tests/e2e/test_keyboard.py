"""End-to-end: the keyboard paths. Posting with the site's own Ctrl/Cmd+Enter shortcut records
the share exactly as a click on Post does, and the Alt+Shift+H command toggles the panel."""

from __future__ import annotations

import json

import pytest
from e2e_support import SUGGESTION_X, poll
from test_extension import insert_suggestion

pytestmark = pytest.mark.browser

POST_SHORTCUT = "ControlOrMeta+Enter"  # Ctrl+Enter here (Linux), Cmd+Enter on a Mac
PANEL_JS = "document.querySelector('iframe.herald-panel-frame')"


def type_in_x(composer, text: str):
    composer.page.click("[data-testid=tweetTextarea_0]")
    composer.page.keyboard.type(text)
    poll(
        lambda: composer.model_text().endswith(text),
        message=f"typed text in the model (model: {composer.model_text()!r})",
    )


def post_sentinel(composer, live_server, before: int, text: str) -> list[dict]:
    """Post `text` (own words) with the shortcut and return every share stored since `before`
    once it has arrived. Shares travel one queue in order, so anything an earlier key press
    recorded has reached the server by then too: no fixed wait needed to prove "nothing else"."""
    type_in_x(composer, text)
    composer.page.keyboard.press(POST_SHORTCUT)
    poll(lambda: composer.published()[-1:] == [text], message="the site published the sentinel")

    def sentinel_stored():
        new = live_server.shares()[before:]
        return any(s["snippet_id"] is None and s["edit_distance"] == len(text) for s in new) and new

    # Generous: a flush that meets a transient failure retries with backoff (2 s, 4 s, 8 s, ...),
    # which is the product working as intended, not a slow test.
    try:
        return poll(sentinel_stored, timeout=60, message="the sentinel share on the server")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; stored since: {live_server.shares()[before:]}") from None


def test_ctrl_enter_posts_and_records_exactly_one_share(open_composer, live_server):
    before = len(live_server.shares())
    composer = open_composer("x")
    insert_suggestion(composer, SUGGESTION_X)
    composer.page.keyboard.press(POST_SHORTCUT)
    poll(lambda: composer.model_text() == "", message="the site cleared the composer")
    assert composer.published() == [SUGGESTION_X]

    sentinel = "Sentinel after the shortcut post"
    new = post_sentinel(composer, live_server, before, sentinel)
    assert len(new) == 2, f"expected the shortcut post and the sentinel, got {new}"
    share = new[0]
    assert share["network"] == "x"
    assert share["snippet_id"] == live_server.snippets["launch"]
    assert share["variant"] == 0
    assert not share["edited"]
    assert share["edit_distance"] == 0
    assert {"rule": "employment-disclosure", "severity": "warning"} in share["findings"]


def test_ctrl_enter_in_an_empty_composer_records_nothing(open_composer, live_server):
    before = len(live_server.shares())
    composer = open_composer("x")
    composer.page.click("[data-testid=tweetTextarea_0]")
    composer.page.keyboard.press(POST_SHORTCUT)
    assert composer.published() == []
    assert composer.model_text() == "", "the shortcut must not add a line break either"

    sentinel = "Sentinel after an empty shortcut"
    new = post_sentinel(composer, live_server, before, sentinel)
    assert [(s["snippet_id"], s["edited"], s["edit_distance"]) for s in new] == [
        (None, True, len(sentinel))
    ]


def test_ctrl_enter_over_the_limit_records_nothing(open_composer, live_server):
    """X refuses to post over 280 characters (Post disabled): the shortcut then sends nothing,
    so Herald must not record a share either."""
    before = len(live_server.shares())
    composer = open_composer("x")
    type_in_x(composer, "Too long " + "a" * 280)
    assert not composer.post_enabled()
    composer.page.keyboard.press(POST_SHORTCUT)
    assert composer.published() == []
    composer.page.keyboard.press("ControlOrMeta+a")
    composer.page.keyboard.press("Backspace")
    poll(lambda: composer.model_text() == "", message="an empty composer")

    sentinel = "Sentinel after an over-limit shortcut"
    new = post_sentinel(composer, live_server, before, sentinel)
    assert [(s["snippet_id"], s["edit_distance"]) for s in new] == [(None, len(sentinel))]


def panel_visible(page) -> str:
    return page.evaluate(f"() => {PANEL_JS}.dataset.heraldVisible")


def test_toggle_command_is_bound_and_toggles_the_panel(open_composer, signed_in, extension_dir):
    # Chrome delivers Alt+Shift+H as a browser-level command; Playwright's key presses go to the
    # page (CDP input events) and never reach it, so the command is dispatched through the
    # worker's real chrome.commands.onCommand registration instead.
    manifest = json.loads((extension_dir / "manifest.json").read_text())
    assert manifest["commands"]["toggle-panel"]["suggested_key"]["default"] == "Alt+Shift+H"
    worker = signed_in.worker()
    bound = worker.evaluate("() => chrome.commands.getAll()")
    assert {c["name"]: c["shortcut"] for c in bound}.get("toggle-panel") == "Alt+Shift+H", bound

    composer = open_composer("x")
    page = composer.page
    poll(lambda: panel_visible(page) == "true", message="panel shown on composer focus")
    page.bring_to_front()
    assert worker.evaluate("() => chrome.commands.onCommand.hasListeners()")
    worker.evaluate("() => chrome.commands.onCommand.dispatch('toggle-panel')")
    poll(lambda: panel_visible(page) == "false", message="the command hides the panel")
    worker.evaluate("() => chrome.commands.onCommand.dispatch('toggle-panel')")
    poll(lambda: panel_visible(page) == "true", message="the command shows the panel again")
    # Opened explicitly, so the panel takes focus (the automatic open on focus does not).
    poll(
        lambda: page.evaluate(f"() => document.activeElement === {PANEL_JS}"),
        message="focus in the panel after the command",
    )
