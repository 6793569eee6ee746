"""The console in Debian's chromium against a live server: what an admin sees and does."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from server.db import db
from server.models import Snippet, utcnow
from tests.admin.conftest import ADMIN_EMAIL, EMPLOYEE_EMAIL, PASSWORD, add_share
from tests.admin.test_console_auth import PAGES

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
XSS = "<img src=x onerror=alert(1)>"
# The console's HTML pages (the full list, with downloads, lives in test_console_auth).
ADMIN_PAGES = [p for p in PAGES if not p.endswith((".csv", ".js"))]


@pytest.fixture
def admin_page(live_server, browser):
    _, base = live_server
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.dialogs = []
    page.on(
        "console",
        lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto("/admin/")
    assert "/admin/sign-in" in page.url  # anonymous: sent to the sign-in page
    page.fill("input[name=email]", ADMIN_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")
    yield page
    context.close()


def _wait_checker(page) -> None:
    page.wait_for_selector("body[data-checker=ready]", timeout=30000)


def test_dashboard_screenshot_with_demo_data(admin_page):
    page = admin_page
    assert page.locator("svg.pygal-chart").count() == 5  # with the content mix
    assert page.get_by_text("earned media value (estimate)").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
    assert page.csp_errors == []


def test_snippet_with_variants_finding_while_typing_approve_and_employee_sees_it(
    admin_page, live_server
):
    _, base = live_server
    page = admin_page
    page.goto("/admin/snippets/new")
    _wait_checker(page)
    page.fill("input[name=title]", "Browser-made launch post")
    page.locator("textarea[name=variant_linkedin]").first.fill(
        "Our new platform is live. Read the story."
    )
    page.click("button.add-variant[data-network=linkedin]")
    page.locator("textarea[name=variant_linkedin]").nth(1).fill(
        "Second LinkedIn wording, also fine."
    )
    x_box = page.locator("textarea[name=variant_x]").first
    x_box.click()
    x_box.press_sequentially("Guaranteed returns for early users", delay=5)
    finding = page.locator(
        ".variant:has(textarea[name=variant_x]) .findings li[data-rule=no-promissory-claims]"
    )
    finding.wait_for(timeout=10000)
    assert "Guaranteed returns" in finding.inner_text()
    counter = page.locator(".variant:has(textarea[name=variant_x]) .counter").first
    assert counter.inner_text() == "X weighted length: 34 / 280"
    # Fix the text before saving: the finding goes away while typing.
    x_box.fill("Early users get a head start")
    page.wait_for_function(
        "!document.querySelector('.variant:has(textarea[name=variant_x]) .findings li')"
    )
    page.click("#save")
    page.wait_for_selector("#approve")
    page.click("#approve")
    page.wait_for_selector("text=Approved by")
    assert page.locator("#snippet-status").inner_text() == "approved"
    assert page.csp_errors == []

    login = urllib.request.Request(
        base + "/api/v1/auth/login",
        data=json.dumps({"email": EMPLOYEE_EMAIL, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = json.load(urllib.request.urlopen(login))["access_token"]
    req = urllib.request.Request(
        base + "/api/v1/suggestions?network=x&per_page=100",
        headers={"Authorization": f"Bearer {token}"},
    )
    items = json.load(urllib.request.urlopen(req))["items"]
    mine = [item for item in items if item["title"] == "Browser-made launch post"]
    assert len(mine) == 1
    assert [v["text"] for v in mine[0]["variants"]] == ["Early users get a head start"]


def test_rule_with_a_failing_example_is_rejected_with_the_example_shown(admin_page):
    page = admin_page
    page.goto("/admin/guidelines/new")
    page.fill("input[name=id]", "no-moonshots")
    page.fill("input[name=message]", "Avoid hype words.")
    page.fill("textarea[name=terms]", "moonshot")
    page.fill("textarea[name=examples_flag]", "A real moonshot")
    page.fill("textarea[name=examples_pass]", "Shipped on time\nOur moonshot landed")
    page.click("#save-rule")
    failed = page.locator("#rule-errors .failed-example")
    failed.wait_for()
    assert failed.inner_text() == "Our moonshot landed"
    assert "should pass but does not" in page.locator("#rule-errors").inner_text()
    page.goto("/admin/guidelines")
    assert page.locator("#rule-list").get_by_text("no-moonshots").count() == 0


def test_playground_highlights_a_violation_after_an_emoji(admin_page):
    page = admin_page
    page.goto("/admin/playground")
    _wait_checker(page)
    page.select_option("#pg-network", "linkedin")
    page.locator("#pg-text").click()
    text = "🚀🎉 We offer guaranteed returns to all!"
    page.locator("#pg-text").press_sequentially(text, delay=5)
    mark = page.locator("#pg-mirror mark[data-rule=no-promissory-claims]")
    mark.wait_for(timeout=10000)
    assert mark.inner_text() == "guaranteed returns"
    start, end = int(mark.get_attribute("data-start")), int(mark.get_attribute("data-end"))
    # Code-point offsets: each emoji is one code point (two UTF-16 units).
    assert (start, end) == (12, 30)
    assert list(text)[start:end] == list("guaranteed returns")
    # The mark sits exactly under those characters of the textarea.
    box_mark = mark.bounding_box()
    assert box_mark and box_mark["width"] > 50
    assert page.locator("#pg-findings li[data-rule=no-promissory-claims]").count() == 1
    assert page.csp_errors == []


def test_hostile_title_renders_as_text_everywhere(admin_page, live_server):
    app, _ = live_server
    page = admin_page
    page.goto("/admin/snippets/new")
    page.fill("input[name=title]", XSS)
    page.locator("textarea[name=variant_linkedin]").first.fill("Just text")
    page.click("#save")
    page.wait_for_selector("#approve")
    with app.app_context(), db.connection_context():
        snippet = Snippet.get(Snippet.title == XSS)
        from server.models import User

        for _ in range(60):  # enough shares to reach the dashboard's top content
            add_share(User.get(User.email == EMPLOYEE_EMAIL), "linkedin", utcnow(), snippet)
    assert page.locator("#snippet-heading").inner_text() == XSS
    page.goto("/admin/snippets")
    assert page.locator("#snippet-list").get_by_text(XSS, exact=True).is_visible()
    page.goto("/admin/")
    assert page.locator("#top-content").get_by_text(XSS, exact=True).is_visible()
    page.goto("/admin/audit")
    page.locator("#audit-list details").first.click()
    assert XSS in page.locator("#audit-list pre").nth(1).inner_text()
    assert page.locator("img[src=x]").count() == 0
    assert page.dialogs == []


def test_form_without_its_csrf_token_is_refused(admin_page):
    page = admin_page
    page.goto("/admin/campaigns")
    page.fill("#campaign-form input[name=name]", "Sneaky")
    page.evaluate("document.querySelector('#campaign-form input[name=csrf_token]').remove()")
    with page.expect_navigation():
        page.click("#campaign-form button[type=submit]")
    assert "missing its security token" in page.content()
    page.goto("/admin/campaigns")
    assert page.locator("#campaign-list").get_by_text("Sneaky").count() == 0


def test_an_employee_cannot_open_any_console_page(live_server, browser):
    _, base = live_server
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/admin/sign-in")
    page.fill("input[name=email]", EMPLOYEE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for url in ADMIN_PAGES:
        response = page.goto(url)
        assert response.status == 403, url
        assert page.get_by_text("The console is for admins").is_visible(), url
    context.close()


def test_csv_invites_upload_in_chunks_with_progress_and_a_row_report(admin_page):
    page = admin_page
    page.goto("/admin/people")
    lines = ["email,name,role,teams"]
    lines += [f"bulk{i}@acme.test,Bulk {i},employee,Bulk Team" for i in range(230)]
    lines += ["not-an-email,Broken,employee,", f"{ADMIN_EMAIL},Lea Again,admin,"]
    page.set_input_files(
        "#csv-form input[type=file]",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}],
    )
    with page.expect_response(lambda r: r.url.endswith("/admin/people/import")) as first_chunk:
        page.click("#csv-form button[type=submit]")
    assert first_chunk.value.status == 200
    # No wait_for_function here: the page's CSP (rightly) forbids the eval it needs.
    page.locator("#csv-status", has_text="232 of 232").wait_for(timeout=30000)
    assert page.locator("#csv-status").inner_text() == "232 of 232 rows: 230 invited, 2 skipped."
    assert page.locator("#csv-bar").get_attribute("max") == "232"
    assert page.locator("#csv-bar").evaluate("bar => bar.value") == 232
    assert page.locator("#csv-report tbody tr").count() == 232
    skipped = page.locator("#csv-report tr.outcome-skipped")
    assert skipped.nth(0).inner_text().split("\t")[2:] == [
        "skipped",
        "not a valid email address: An email address must have an @-sign.",
    ]
    assert "already has an account" in skipped.nth(1).inner_text()


def test_approving_a_snippet_with_errors_shows_them_and_asks_to_confirm(admin_page):
    page = admin_page
    page.goto("/admin/snippets/new")
    _wait_checker(page)
    page.fill("input[name=title]", "Outlook post with a forecast")
    page.locator("textarea[name=variant_linkedin]").first.fill(
        "Big year ahead: our revenue will double and the shares will rise."
    )
    page.locator("textarea[name=variant_x]").first.fill("A big year ahead for the team!")
    page.click("#save")
    page.wait_for_selector("#review")
    assert page.locator("#review-summary").inner_text() == (
        "2 findings, 2 errors: approving needs your confirmation."
    )
    matches = page.locator("#review li[data-rule=forward-looking-claims]").all_inner_texts()
    assert [m.split(":")[0] for m in matches] == [
        "Error “revenue will double”",
        "Error “shares will rise”",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "approval-with-errors.png"), full_page=True)
    page.click("#approve")  # the confirmation box is required: nothing is sent
    page.wait_for_timeout(300)
    assert page.locator("#snippet-status").inner_text() == "draft"
    page.check("#confirm-errors")
    page.click("#approve")
    page.wait_for_selector("text=Approved by")
    assert page.locator("#snippet-status").inner_text() == "approved"
    assert page.locator("#review").count() == 0
    assert page.csp_errors == []
