"""Approving a snippet: the console shows what the guidelines find in its saved variants and
asks for an explicit confirmation before approving one with error-level findings."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import Snippet, SnippetVariant
from server.policy_store import load_starter_policy
from tests.admin.conftest import add_snippet


@pytest.fixture
def starter(app):
    with app.app_context(), db.connection_context():
        load_starter_policy()


def draft(title: str, linkedin: str, x: str) -> Snippet:
    snippet = add_snippet(title, status="draft")
    with db.connection_context():
        SnippetVariant.update(text=linkedin).where(
            SnippetVariant.snippet == snippet, SnippetVariant.network == "linkedin"
        ).execute()
        SnippetVariant.update(text=x).where(
            SnippetVariant.snippet == snippet, SnippetVariant.network == "x"
        ).execute()
    return snippet


def status(snippet: Snippet) -> str:
    with db.connection_context():
        return Snippet.get_by_id(snippet.id).status


def test_approval_with_errors_shows_them_and_needs_confirmation(admin_console, starter):
    snippet = draft(
        "Q4 outlook",
        "Our revenue will double next year, trust me",
        "Acme is great",
    )
    page = admin_console.page(f"/admin/snippets/{snippet.id}")
    assert "Guideline check of the saved variants" in page
    assert "2 findings" in page and "1 error" in page
    assert "LinkedIn variant 1" in page and "X variant 1" in page
    assert "“revenue will double”" in page
    assert "Don&#39;t predict the company&#39;s revenue" in page
    assert "Mention that you work for Acme" in page
    assert 'name="confirm_errors"' in page and "Approve anyway" in page

    resp = admin_console.post(f"/admin/snippets/{snippet.id}/approve", follow_redirects=True)
    assert "Not approved: this snippet has 1 guideline error" in resp.get_data(as_text=True)
    assert status(snippet) == "draft"

    resp = admin_console.post(
        f"/admin/snippets/{snippet.id}/approve", {"confirm_errors": "1"}, follow_redirects=True
    )
    assert "Snippet approved" in resp.get_data(as_text=True)
    assert status(snippet) == "approved"


def test_clean_snippet_approves_in_one_click(admin_console, starter):
    snippet = draft("Volunteering", "We spent Friday at the food bank.", "Food bank Friday!")
    page = admin_console.page(f"/admin/snippets/{snippet.id}")
    assert "No findings: every variant follows the guidelines." in page
    assert 'name="confirm_errors"' not in page and "Approve anyway" not in page
    resp = admin_console.post(f"/admin/snippets/{snippet.id}/approve", follow_redirects=True)
    assert "Snippet approved" in resp.get_data(as_text=True)
    assert status(snippet) == "approved"


def test_warnings_alone_do_not_block_approval(admin_console, starter):
    snippet = draft("Launch", "Acme Cloud is live", "Acme Cloud is live #AcmeEmployee")
    page = admin_console.page(f"/admin/snippets/{snippet.id}")
    assert "1 finding." in page and "Approve anyway" not in page
    admin_console.post(f"/admin/snippets/{snippet.id}/approve")
    assert status(snippet) == "approved"


def test_post_anyway_note_is_a_policy_option_set_in_the_console(admin_console, starter, app):
    """Settings → 'Guidelines when posting' puts on_post into the compiled policy the extension
    fetches (a new hash, so cached copies refresh); unticking takes it out again."""
    from server.policy_store import compiled_policy

    def policy():
        with app.app_context(), db.connection_context():
            return compiled_policy()

    before = policy()
    assert "on_post" not in before
    page = admin_console.page("/admin/settings")
    assert 'name="post_anyway_note"' in page and "post anyway?" in page
    form = {
        "program_name": "Acme Voices",
        "default_expiry_days": "30",
        "linkedin_cpm": "25",
        "linkedin_cpc": "3",
        "linkedin_avg_audience": "600",
        "x_cpm": "5",
        "x_cpc": "1",
        "x_avg_audience": "250",
    }
    resp = admin_console.post("/admin/settings", dict(form, post_anyway_note="1"))
    assert resp.status_code == 302
    on = policy()
    assert on["on_post"] == {"errors_left": "note"} and on["hash"] != before["hash"]
    assert "checked" in admin_console.page("/admin/settings").split('id="post-anyway-note"')[1][:20]
    admin_console.post("/admin/settings", form)
    off = policy()
    assert "on_post" not in off and off["hash"] != on["hash"]
