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
from visible_check import overlaps

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 800, "height": 600}, {"width": 1440, "height": 900}]
PAGES = {
    "linkedin": ("linkedin", "linkedin.html"),
    "linkedin-wide": ("linkedin", "linkedin.html?wide=1"),
    "x": ("x", "x.html"),
}
CONTROLS = {
    "linkedin": "#interop-outlet .share-box button",
    "x": "[data-testid=tweetButton]",
}
POST = {
    "linkedin": "#interop-outlet .share-actions__primary-action",
    "x": "[data-testid=tweetButton]",
}
FRAME = "iframe.herald-panel-frame"


def box(page, js: str) -> dict:
    return page.evaluate(
        f"() => {{ const r = ({js}).getBoundingClientRect();"
        " return {x: r.left, y: r.top, width: r.width, height: r.height}; }"
    )


def herald_state(page) -> str:
    """ "panel" (shown), "pill" (collapsed for lack of room) or "" (neither yet)."""
    return page.evaluate(
        "() => { const f = document.querySelector('iframe.herald-panel-frame');"
        " if (!f) return ''; if (f.dataset.heraldVisible === 'true') return 'panel';"
        " return f.dataset.heraldCollapsed === 'true' ? 'pill' : ''; }"
    )


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


def covered(page, site: str) -> list[str]:
    """What Herald's panel or button covers: site controls and the editor's text."""
    editor = box(page, "window.__fixture.editor()")
    ours = {"button": page.locator("button.herald-button").bounding_box()}
    if herald_state(page) == "panel":
        ours["panel"] = page.locator(FRAME).bounding_box()
    hits = []
    for name, rect in ours.items():
        assert rect, f"the Herald {name} is not on screen"
        if overlaps(rect, editor):
            hits.append(f"{name} {rect} covers the editor {editor}")
        controls = page.locator(CONTROLS[site])
        for i in range(controls.count()):
            control = controls.nth(i).bounding_box()
            if control and overlaps(rect, control):
                label = (
                    controls.nth(i).get_attribute("aria-label") or controls.nth(i).text_content()
                )
                hits.append(f"{name} {rect} covers the site's {label!r} control {control}")
    return hits


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
