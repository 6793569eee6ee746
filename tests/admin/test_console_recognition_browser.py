"""The Recognition settings page in Debian's chromium: preview the wording, then save it."""

from __future__ import annotations

import pytest

from tests.admin.test_console_browser import ARTIFACTS, admin_page  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_recognition_settings_preview_then_save(admin_page):  # noqa: F811
    page = admin_page
    page.goto("/admin/settings")
    page.click("text=Recognition settings")
    page.wait_for_selector("h1:text('Recognition')")
    page.fill("input[name=top_subject]", "Bravo, {name}: #{rank} last week")
    page.click("button:text('Preview without saving')")
    preview = page.locator("#template-top .recognition-preview")
    assert "Bravo, Alex Example: #1 last week" in preview.text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-recognition.png"), full_page=True)
    page.fill("input[name=points_click]", "2")
    page.click("button:text('Save')")
    page.wait_for_selector("text=Recognition settings saved.")
    assert page.locator("input[name=points_click]").input_value() == "2"
    assert (
        page.locator("input[name=top_subject]").input_value() == "Bravo, {name}: #{rank} last week"
    )
    assert page.csp_errors == []
