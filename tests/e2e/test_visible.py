"""Look at it: every screen of the extension in English and Thai, light and dark, screenshotted
into the test's tmp folder and checked for what a person would notice (visible "[object Object]",
"None", "undefined", raw message keys, elements outside their card, sideways scrolling).

One browser for the whole matrix: the options page and the popup as the extension serves them,
and the panel (the real built panel.html) in every state, driven by the messages the bridge sends.
"""

from __future__ import annotations

import pytest
import visible_check
from e2e_support import poll

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "th"]
THEMES = ["light", "dark"]


def set_language(browser, language: str | None) -> None:
    browser.worker().evaluate(
        "async (language) => { const {settings} = await chrome.storage.local.get('settings');"
        " await chrome.storage.local.set({settings: {...(settings || {notifications: true}), language}}); }",
        language,
    )


def look(frame, page, path) -> list[str]:
    page.screenshot(path=str(path), full_page=True)
    return visible_check.problems(frame)


def options_state(browser, path, language: str, theme: str, marker: str) -> list[str]:
    page, frame = browser.open_options()
    page.emulate_media(color_scheme=theme)
    page.set_viewport_size({"width": 900, "height": 1700})  # the whole page, no inner scroll
    poll(lambda: frame.locator(f"#{marker}").count(), timeout=15, message=marker)
    poll(
        lambda: frame.evaluate("() => document.documentElement.lang") == language,
        message=f"options page in {language}",
    )
    found = look(frame, page, path)
    page.close()
    return found


def options_states(browser, tmp_path, signed_in: bool):
    found = {}
    marker = "sign-out" if signed_in else "sign-in-form"
    for language in LANGUAGES:
        set_language(browser, language)
        for theme in THEMES:
            name = f"options-{'signed-in' if signed_in else 'first-run'}-{language}-{theme}.png"
            found[name] = options_state(browser, tmp_path / name, language, theme, marker)
    set_language(browser, None)
    return found


def test_options_page_shows_no_junk(browser, live_server, tmp_path):
    found = options_states(browser, tmp_path, signed_in=False)
    page = browser.sign_in(live_server.url)
    page.close()
    found.update(options_states(browser, tmp_path, signed_in=True))
    assert_clean(found, tmp_path)


def assert_clean(found: dict[str, list[str]], tmp_path) -> None:
    bad = {
        name: issues[:6] + ["..."] * (len(issues) > 6) for name, issues in found.items() if issues
    }
    assert not bad, f"visible defects (screenshots in {tmp_path}): {bad}"
