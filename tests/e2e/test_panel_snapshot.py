"""The next page's panel shows the last drawn panel before Brython has started.

Through the real extension: the panel sends its snapshot, the bridge hands it to the worker,
which keeps one per network (cleared at sign-out); the next page's bridge sends it first, and
that panel shows its cards before Python drew them, then Python takes over and Insert works.
"""

from __future__ import annotations

import pytest
from conftest import Composer
from e2e_support import SUGGESTION_X, poll

pytestmark = pytest.mark.browser

SNAPSHOTS = "async () => (await chrome.storage.local.get('panel_snapshots')).panel_snapshots || {}"


def marks(frame) -> dict:
    return frame.evaluate(
        "() => Object.fromEntries(performance.getEntriesByType('mark')"
        ".filter((m) => m.name.startsWith('herald:cards')).map((m) => [m.name, m.startTime]))"
    )


def panel_booted_at_idle(signed_in, site_pages, pages):
    """A page that loaded and went idle: the bridge prepared its panel then, before any composer
    opened (panel-frame.js), as on a page the employee reads first. Returns (page, panel)."""
    page = signed_in.context.new_page()
    pages.append(page)
    page.goto(site_pages.x)
    composer = Composer(page, "x")
    panel = composer.panel
    poll(lambda: "herald:cards-drawn" in marks(panel), timeout=15, message="Python's cards")
    return composer, panel


def test_the_next_pages_panel_shows_its_cards_before_python(signed_in, open_composer, site_pages):
    # The first page after signing in draws while the first sync is on its way: its data is
    # not the next page's. Once synced, every page gets the same data and init.
    warm = open_composer("x")
    poll(lambda: SUGGESTION_X in warm.panel_text("#cards"), timeout=15, message="cards")
    warm.page.wait_for_timeout(1500)
    worker = signed_in.worker()
    worker.evaluate("() => chrome.storage.local.set({panel_snapshots: {}})")
    pages = []
    try:
        _, panel = panel_booted_at_idle(signed_in, site_pages, pages)
        assert "herald:cards-shown" not in marks(panel)  # nothing was kept before it
        poll(lambda: worker.evaluate(SNAPSHOTS).get("x"), message="the kept snapshot")

        second, panel = panel_booted_at_idle(signed_in, site_pages, pages)
        seen = marks(panel)
        assert seen.get("herald:cards-shown", float("inf")) < seen["herald:cards-drawn"], seen
        second.open()
        card = panel.locator("#cards > li.card", has_text=SUGGESTION_X)
        card.locator("button.insert").click()
        poll(lambda: second.model_text() == SUGGESTION_X, message="the inserted suggestion")
    finally:
        for page in pages:
            page.close()

    # Signing out forgets it with the cached suggestions.
    page, frame = signed_in.open_options()
    frame.locator("#sign-out").click()
    poll(lambda: frame.locator("#sign-in-form").count(), message="signed out")
    assert signed_in.worker().evaluate(SNAPSHOTS) == {}
    page.close()
