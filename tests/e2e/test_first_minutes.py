"""The employee's first five minutes, as a person sees them: the panel speaks the language chosen
in the options, shows their language's suggestions first, appears when the composer opens,
hands the caret back when closed, and the extension has a first-run path."""

from __future__ import annotations

import pytest
from e2e_support import poll

pytestmark = pytest.mark.browser


def choose_language(browser, language: str | None):
    """Through the options page's own language menu, as the employee does."""
    page, frame = browser.open_options()
    poll(lambda: frame.locator("#language").count(), message="language menu")
    frame.locator("#language").select_option(language or "en")
    poll(
        lambda: frame.evaluate("() => document.documentElement.lang") == (language or "en"),
        message="options page switched language",
    )
    page.close()
    if language is None:  # back to "follow the browser"
        browser.worker().evaluate(
            "async () => { const {settings} = await chrome.storage.local.get('settings');"
            " await chrome.storage.local.set({settings: {...settings, language: null}}); }"
        )


def test_the_panel_speaks_the_language_chosen_in_options(signed_in, open_composer):
    choose_language(signed_in, "ru")
    try:
        composer = open_composer("linkedin")
        panel = composer.panel
        poll(
            lambda: panel.evaluate("() => document.documentElement.lang") == "ru",
            timeout=15,
            message="the panel in Russian",
        )
        assert composer.panel_text("#suggestions-title") == "Публикации"
    finally:
        choose_language(signed_in, None)


def test_suggestions_in_the_employees_language_come_first(signed_in, open_composer):
    composer = open_composer("linkedin")
    panel = composer.panel
    fold = panel.locator("#cards .fold-toggle")
    poll(lambda: fold.count(), timeout=20, message="'Other languages (N)' in the panel")
    shown = panel.locator("#cards > li.card")
    languages = [shown.nth(i).get_attribute("lang") for i in range(shown.count())]
    assert languages and set(languages) == {"en"}, languages
    label = fold.text_content()
    assert label.startswith("Other languages (") and fold.get_attribute("aria-expanded") == "false"
    hidden = int(label.split("(")[1].rstrip(")"))
    assert hidden > 0 and panel.locator(".fold li.card").count() == 0
    fold.click()
    poll(lambda: panel.locator(".fold li.card").count() == hidden, message="unfolded cards")
    others = panel.locator(".fold li.card")
    assert "en" not in {others.nth(i).get_attribute("lang") for i in range(hidden)}


@pytest.mark.parametrize("site", ["linkedin", "x"])
def test_closing_the_panel_gives_the_caret_back(signed_in, open_composer, site):
    composer = open_composer(site)
    page = composer.page
    page.keyboard.type("Hello", delay=5)
    poll(lambda: composer.model_text() == "Hello", message="typed text")
    panel = composer.panel
    panel.locator("#search").click()  # the employee works in the panel: focus leaves the composer
    poll(lambda: page.evaluate("() => document.activeElement.tagName") == "IFRAME", message="focus")
    panel.locator("#close").click()
    page.keyboard.type(" world", delay=5)
    poll(
        lambda: composer.model_text() == "Hello world",
        message=f"typing continues in the composer (model: {composer.model_text()!r})",
    )


def test_the_panel_comes_with_a_composer_that_opens_unfocused(browser, site_pages):
    page = browser.context.new_page()
    try:
        page.goto(f"{site_pages.linkedin}?autofocus=0")
        page.click("#start-post")
        poll(lambda: page.evaluate("() => !!window.__fixture.editor()"), message="composer")
        poll(
            lambda: (
                page.evaluate(
                    "() => document.querySelector('iframe.herald-panel-frame')?.dataset.heraldVisible"
                )
                == "true"
            ),
            message="the panel, without a click into the editor",
        )
        # Nothing took the focus: the site decides where the caret goes.
        assert page.evaluate("() => document.activeElement === window.__fixture.editor()") is False
        assert page.locator("button.herald-button").is_visible()
    finally:
        page.close()
