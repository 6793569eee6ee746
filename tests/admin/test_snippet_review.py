"""Approved text stays reviewed: edits to text, link or teams are re-approved or go back to review.

Four-eyes review (a setting) stops an admin approving their own draft; archived snippets can be
restored as drafts.
"""

from __future__ import annotations

import pytest

from server.db import db
from server.models import AuditEntry, Team
from server.settings import set_setting
from tests.conftest import make_user

BASE = "/api/v1/snippets"


@pytest.fixture
def ada(auth, admin):
    return auth.headers("ada@acme.test")


@pytest.fixture
def bob(auth, app):
    make_user("bob@acme.test", role="admin", name="Bob Admin")
    return auth.headers("bob@acme.test")


def four_eyes(on: bool) -> None:
    with db.connection_context():
        set_setting("four_eyes", on)


def approved(client, author, approver) -> dict:
    body = {
        "title": "Launch",
        "variants": {"linkedin": ["We launched."], "x": ["Launched."]},
        "link_url": "https://acme.test/launch",
    }
    created = client.post(BASE, json=body, headers=author).get_json()
    resp = client.post(f"{BASE}/{created['id']}/approve", headers=approver)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def audit_actions(snippet_id: int) -> list[str]:
    with db.connection_context():
        return [
            e.action
            for e in AuditEntry.select()
            .where(AuditEntry.object_type == "snippet", AuditEntry.object_id == str(snippet_id))
            .order_by(AuditEntry.id)
        ]


@pytest.mark.parametrize(
    "change",
    [
        {"variants": {"linkedin": ["We launched, with a 50% discount!"], "x": ["Launched."]}},
        {"link_url": "https://evil.test/"},
        "teams",
    ],
)
def test_under_four_eyes_an_edit_of_approved_text_goes_back_to_review(client, ada, bob, change):
    four_eyes(True)
    snippet = approved(client, ada, bob)
    if change == "teams":
        with db.connection_context():
            change = {"team_ids": [Team.create(name="Sales").id]}
    resp = client.patch(f"{BASE}/{snippet['id']}", json=change, headers=ada)
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "draft"
    assert audit_actions(snippet["id"])[-1] == "snippet.return_to_review"
    # Employees no longer get it until another admin approves the new text.
    refused = client.post(f"{BASE}/{snippet['id']}/approve", headers=ada)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "four_eyes"
    assert client.post(f"{BASE}/{snippet['id']}/approve", headers=bob).status_code == 200


def test_a_title_or_date_edit_needs_no_new_review(client, ada, bob):
    four_eyes(True)
    snippet = approved(client, ada, bob)
    resp = client.patch(f"{BASE}/{snippet['id']}", json={"title": "Launch (2)"}, headers=ada)
    assert resp.get_json()["status"] == "approved"
    assert audit_actions(snippet["id"])[-1] == "snippet.update"


def test_an_approver_editing_records_a_new_approved_revision(client, ada, bob):
    snippet = approved(client, ada, ada)
    new_text = {"variants": {"linkedin": ["We launched today."], "x": ["Launched."]}}
    resp = client.patch(f"{BASE}/{snippet['id']}", json=new_text, headers=bob)
    body = resp.get_json()
    assert body["status"] == "approved"
    assert body["approved_by"] != snippet["approved_by"]  # Bob approved this revision
    assert audit_actions(snippet["id"])[-1] == "snippet.revise"
    with db.connection_context():
        entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
        assert entry.before["variants"]["linkedin"] == ["We launched."]
        assert entry.after["variants"]["linkedin"] == ["We launched today."]


def test_the_console_audit_page_shows_the_revision_diff(client, ada, bob, admin_console):
    snippet = approved(client, ada, ada)
    client.patch(
        f"{BASE}/{snippet['id']}",
        json={"variants": {"linkedin": ["Revised words"], "x": ["Launched."]}},
        headers=bob,
    )
    page = admin_console.page("/admin/audit?type=snippet")
    assert "snippet.revise" in page
    assert "approved_by" in page and "variants" in page
    assert (
        '<th scope="row">variants</th><td><del>{&#34;linkedin&#34;: [&#34;We launched.&#34;]'
        in page
    )
    assert "<ins>{&#34;linkedin&#34;: [&#34;Revised words&#34;]" in page


def test_four_eyes_an_admin_cannot_approve_their_own_draft(client, ada, bob):
    four_eyes(True)
    created = client.post(
        BASE, json={"title": "Mine", "variants": {"x": ["Mine."]}}, headers=ada
    ).get_json()
    resp = client.post(f"{BASE}/{created['id']}/approve", headers=ada)
    assert resp.status_code == 403
    error = resp.get_json()["error"]
    assert error["code"] == "four_eyes" and "another admin" in error["message"]
    four_eyes(False)
    assert client.post(f"{BASE}/{created['id']}/approve", headers=ada).status_code == 200


def test_console_explains_four_eyes_and_saves_the_setting(client, ada, admin_console):
    page = admin_console.page("/admin/settings")
    assert 'name="four_eyes"' in page
    form = {
        "program_name": "Herald",
        "program_tagline": "",
        "default_expiry_days": "180",
        "emv_currency": "USD",
        "four_eyes": "on",
        **{f"{n}_{k}": "1" for n in ("linkedin", "x") for k in ("cpm", "cpc", "avg_audience")},
    }
    assert admin_console.post("/admin/settings", form).status_code == 302
    created = client.post(
        BASE, json={"title": "Mine", "variants": {"x": ["Mine."]}}, headers=ada
    ).get_json()
    editor = admin_console.page(f"/admin/snippets/{created['id']}")
    assert "another admin has to approve it" in editor
    resp = admin_console.post(f"/admin/snippets/{created['id']}/approve", follow_redirects=True)
    assert "Four-eyes review is on" in resp.get_data(as_text=True)
    assert client.get(f"{BASE}/{created['id']}", headers=ada).get_json()["status"] == "draft"


def test_archived_snippets_can_be_restored_as_drafts(client, ada, admin_console):
    snippet = approved(client, ada, ada)
    client.post(f"{BASE}/{snippet['id']}/archive", headers=ada)
    resp = client.post(f"{BASE}/{snippet['id']}/restore", headers=ada)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "draft" and body["archived_at"] is None
    assert audit_actions(snippet["id"])[-1] == "snippet.restore"
    again = client.post(f"{BASE}/{snippet['id']}/restore", headers=ada)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    # In the console: archive, then the Restore button.
    client.post(f"{BASE}/{snippet['id']}/approve", headers=ada)
    client.post(f"{BASE}/{snippet['id']}/archive", headers=ada)
    page = admin_console.page(f"/admin/snippets/{snippet['id']}")
    assert 'id="restore"' in page
    done = admin_console.post(f"/admin/snippets/{snippet['id']}/restore", follow_redirects=True)
    assert "Snippet restored as a draft" in done.get_data(as_text=True)
