"""The console pages this part changed, in Debian's chromium: the dashboard's content mix, the
campaigns page's figures and the target mix in Settings, with no CSP error. Screenshots land in
test-artifacts/ for a look."""

from __future__ import annotations

import pytest

from tests.admin.test_console_browser import ARTIFACTS, admin_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_content_mix_campaign_figures_and_target_setting(admin_page):  # noqa: F811
    page = admin_page
    mix = page.locator("#content-mix")
    assert mix.locator("svg.pygal-chart").count() == 1
    rows = mix.locator("#content-mix-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("th").text_content() == "Company"
    assert rows.nth(0).locator("td").first.text_content().strip() == "60 %"
    mix.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "dashboard-content-mix.png"))

    page.goto("/admin/campaigns")
    figures = page.locator("#campaign-figures")
    assert figures.is_visible()
    assert figures.locator("tbody tr").count() >= 1
    assert "None" not in figures.text_content() and "undefined" not in figures.text_content()
    shot(page, "campaigns-figures.png")

    page.goto("/admin/settings")
    fieldset = page.locator("#content-mix-target")
    fieldset.locator("input[name=mix_company]").fill("50")
    page.click("#settings-form button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "must add up to 100 %" in page.locator("[role=alert]").text_content()
    page.locator("#content-mix-target").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "settings-content-mix-error.png"))
    assert page.csp_errors == []
