"""The panel and the Herald button never cover the site's controls or the text being written.

On the LinkedIn-like fixture (its small share box and the ?wide=1 variant whose editor spans a
centred dialog with a toolbar and an action bar) and the X-like one, at 800x600 and 1440x900:
the panel (or, without room, its collapsed pill) touches no Post/Dismiss/toolbar control and no
editor text, and a real click on Post (Playwright refuses to click what something else covers)
publishes with Herald open.
"""

from __future__ import annotations

import pytest
from e2e_support import poll
from visible_check import POST, covered, herald_state

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 800, "height": 600}, {"width": 1440, "height": 900}]
PAGES = {
    "linkedin": ("linkedin", "linkedin.html"),
    "linkedin-wide": ("linkedin", "linkedin.html?wide=1"),
    "x": ("x", "x.html"),
}


def open_page(browser, site_pages, name: str, viewport: dict):
    site, path = PAGES[name]
    origin = site_pages.linkedin_origin if site == "linkedin" else site_pages.x_origin
    page = browser.context.new_page()
    page.set_viewport_size(viewport)
    page.goto(f"{origin}/{path}")
    if site == "linkedin":
        page.click("#start-post")
    else:
        page.click("[data-testid=tweetTextarea_0]")
    poll(lambda: page.evaluate("() => !!window.__fixture.editor()"), message="composer")
    poll(lambda: herald_state(page), timeout=15, message="the panel or its pill")
    page.keyboard.type("Hello from the launch team", delay=2)
    page.wait_for_timeout(300)  # let the bridge re-dock after the text changed
    return site, page


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
@pytest.mark.parametrize("name", list(PAGES))
def test_herald_covers_no_control_and_no_text(browser, site_pages, name, viewport, tmp_path):
    site, page = open_page(browser, site_pages, name, viewport)
    try:
        page.screenshot(path=str(tmp_path / f"placement-{name}-{viewport['width']}.png"))
        assert covered(page, site) == []
        # A real click at the Post button's centre: fails when anything intercepts it.
        page.locator(POST[site]).click(timeout=5000)
        poll(lambda: page.evaluate("() => window.__fixture.published.length") == 1, message="post")
    finally:
        page.close()


def test_wide_dialog_on_a_small_window_collapses_to_a_pill_that_expands(
    browser, site_pages, tmp_path
):
    site, page = open_page(browser, site_pages, "linkedin-wide", VIEWPORTS[0])
    try:
        page.screenshot(path=str(tmp_path / "pill.png"))
        assert herald_state(page) == "pill"
        pill = page.locator("button.herald-button")
        assert "Herald" in (pill.text_content() or "")
        pill.click()
        poll(lambda: herald_state(page) == "panel", message="the pill expands into the panel")
        page.wait_for_timeout(300)
        page.screenshot(path=str(tmp_path / "pill-expanded.png"))
        # Closing it again brings the pill back, and the site's Post button is free again.
        pill.click()
        poll(lambda: herald_state(page) == "", message="the panel closes on a second click")
        page.locator(POST[site]).click(timeout=5000)
        poll(lambda: page.evaluate("() => window.__fixture.published.length") == 1, message="post")
    finally:
        page.close()


RECORD_FRAME_PLACES = """() => {
  window.__panelPlaces = [];
  const record = () => {
    const frame = document.querySelector("iframe.herald-panel-frame");
    if (frame && frame.style.visibility === "visible") {
      const r = frame.getBoundingClientRect();
      const place = [r.left, r.top, r.width, r.height].map(Math.round).join(",");
      if (window.__panelPlaces[window.__panelPlaces.length - 1] !== place) window.__panelPlaces.push(place);
    }
    requestAnimationFrame(record);
  };
  record();
}"""


@pytest.mark.parametrize("name", ["linkedin", "x"])
def test_the_panel_opens_where_it_stays(signed_in, site_pages, name):
    """The panel appears where it will stay while the employee starts writing. It used to dock
    before the Herald button had its place and move aside at the first key: a jump beside the
    text being written, and under the pointer of a click meant for a card."""
    site, path = PAGES[name]
    origin = site_pages.linkedin_origin if site == "linkedin" else site_pages.x_origin
    page = signed_in.context.new_page()
    try:
        page.set_viewport_size(VIEWPORTS[1])
        page.goto(f"{origin}/{path}")
        page.evaluate(RECORD_FRAME_PLACES)
        page.click("#start-post" if site == "linkedin" else "[data-testid=tweetTextarea_0]")
        poll(lambda: herald_state(page) == "panel", timeout=15, message="the panel")
        page.wait_for_timeout(1000)  # the button, the cards and the policy arrive
        page.keyboard.type("Hello", delay=20)  # one line: the editor keeps its size
        page.wait_for_timeout(500)
        places = page.evaluate("() => window.__panelPlaces")
        assert len(places) == 1, f"the panel moved after it opened: {places}"
    finally:
        page.close()
