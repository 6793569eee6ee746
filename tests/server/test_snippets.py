"""Admin snippet CRUD, validation and status transitions, as the console and the API see them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.db import db
from server.models import AuditEntry, Campaign, Snippet, Team, TrackedLink, User, utcnow
from tests.conftest import make_user

BASE = "/api/v1/snippets"


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def new_snippet(client, headers, **fields):
    body = {
        "title": "Launch day",
        "variants": {"linkedin": ["We launched! https://acme.test/launch"], "x": ["Launched."]},
        "link_url": "https://acme.test/launch",
        **fields,
    }
    resp = client.post(BASE, json=body, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_create_defaults_to_draft_expiring_in_180_days(client, admin_headers):
    body = new_snippet(client, admin_headers, hashtags=["#acme", "launch"])
    assert body["status"] == "draft"
    assert body["variants"] == {
        "linkedin": ["We launched! https://acme.test/launch"],
        "x": ["Launched."],
    }
    assert body["hashtags"] == ["acme", "launch"]
    assert body["targeted"] is False and body["teams"] == []
    assert body["source"] == "manual" and body["language"] == "en"
    with db.connection_context():
        snippet = Snippet.get_by_id(body["id"])
        assert snippet.expires_at - snippet.starts_at == timedelta(days=180)


def test_employees_cannot_manage_snippets(client, auth, employee):
    headers = auth.headers("eve@acme.test")
    assert client.get(BASE, headers=headers).status_code == 403
    assert client.post(BASE, json={"title": "x"}, headers=headers).status_code == 403
    assert client.get(BASE).status_code == 401


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,<b>hi</b>",
        "ftp://acme.test/file",
        "//evil.test/x",
        "http://",
    ],
)
def test_link_must_be_http_or_https(client, admin_headers, link):
    resp = client.post(
        BASE,
        json={"title": "T", "variants": {"x": ["hi"]}, "link_url": link},
        headers=admin_headers,
    )
    assert resp.status_code == 422
    assert {d["path"] for d in resp.get_json()["error"]["details"]} == {"/link_url"}


def test_validation_errors_name_each_path(client, admin_headers):
    resp = client.post(
        BASE,
        json={"variants": {"x": ["ok"], "mastodon": ["no"]}, "language": "de"},
        headers=admin_headers,
    )
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed"
    messages = " ".join(d["message"] for d in error["details"])
    assert "title" in messages and "mastodon" in messages
    assert "/language" in {d["path"] for d in error["details"]}


def test_unknown_campaign_team_and_backwards_window_are_rejected(client, admin_headers):
    now = utcnow()
    resp = client.post(
        BASE,
        json={
            "title": "T",
            "variants": {"x": ["hi"]},
            "campaign_id": 99,
            "team_ids": [42],
            "starts_at": (now + timedelta(days=2)).isoformat() + "Z",
            "expires_at": (now + timedelta(days=1)).isoformat() + "Z",
        },
        headers=admin_headers,
    )
    assert resp.status_code == 422
    paths = {d["path"] for d in resp.get_json()["error"]["details"]}
    assert paths == {"/campaign_id", "/team_ids/0", "/expires_at"}


def test_x_variant_over_280_weighted_characters_is_rejected(client, admin_headers):
    resp = client.post(
        BASE, json={"title": "T", "variants": {"x": ["漢" * 141]}}, headers=admin_headers
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/variants/x/0"


def test_targeting_keeps_targeted_flag_in_sync(client, admin_headers):
    with db.connection_context():
        sales = Team.create(name="Sales")
        campaign = Campaign.create(name="Launch", hashtag="AcmeLaunch")
    body = new_snippet(client, admin_headers, team_ids=[sales.id], campaign_id=campaign.id)
    assert body["targeted"] is True
    assert body["teams"] == [{"id": sales.id, "name": "Sales"}]
    assert body["campaign"] == {"id": campaign.id, "name": "Launch", "hashtag": "AcmeLaunch"}
    resp = client.patch(f"{BASE}/{body['id']}", json={"team_ids": []}, headers=admin_headers)
    assert resp.status_code == 200
    assert resp.get_json()["targeted"] is False and resp.get_json()["teams"] == []


def test_approve_then_archive_records_who_and_when(client, admin_headers, admin):
    snippet = new_snippet(client, admin_headers)
    approved = client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers).get_json()
    assert approved["status"] == "approved"
    assert approved["approved_by"] == admin.id and approved["approved_at"]
    archived = client.post(f"{BASE}/{snippet['id']}/archive", headers=admin_headers).get_json()
    assert archived["status"] == "archived"
    assert archived["archived_by"] == admin.id and archived["archived_at"]


def test_invalid_transitions_conflict(client, admin_headers):
    snippet = new_snippet(client, admin_headers)
    resp = client.post(f"{BASE}/{snippet['id']}/archive", headers=admin_headers)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "invalid_transition"
    client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers)
    assert client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers).status_code == 409
    client.post(f"{BASE}/{snippet['id']}/archive", headers=admin_headers)
    assert client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers).status_code == 409
    resp = client.patch(f"{BASE}/{snippet['id']}", json={"title": "New"}, headers=admin_headers)
    assert resp.status_code == 409


def test_only_drafts_can_be_deleted(client, admin_headers):
    draft = new_snippet(client, admin_headers)
    kept = new_snippet(client, admin_headers, title="Kept")
    client.post(f"{BASE}/{kept['id']}/approve", headers=admin_headers)
    assert client.delete(f"{BASE}/{draft['id']}", headers=admin_headers).status_code == 204
    assert client.get(f"{BASE}/{draft['id']}", headers=admin_headers).status_code == 404
    assert client.delete(f"{BASE}/{kept['id']}", headers=admin_headers).status_code == 409


def test_editing_the_link_retargets_tracked_links(client, admin_headers, employee):
    snippet = new_snippet(client, admin_headers)
    client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers)
    with db.connection_context():
        TrackedLink.create(
            code="abc", user=employee, snippet=snippet["id"], target_url=snippet["link_url"]
        )
    resp = client.patch(
        f"{BASE}/{snippet['id']}",
        json={"link_url": "https://acme.test/launch-v2"},
        headers=admin_headers,
    )
    assert resp.status_code == 200
    with db.connection_context():
        assert (
            TrackedLink.get(TrackedLink.code == "abc").target_url == "https://acme.test/launch-v2"
        )


def test_every_change_is_audited(client, admin_headers, admin):
    snippet = new_snippet(client, admin_headers)
    client.patch(f"{BASE}/{snippet['id']}", json={"title": "Renamed"}, headers=admin_headers)
    client.post(f"{BASE}/{snippet['id']}/approve", headers=admin_headers)
    with db.connection_context():
        entries = list(AuditEntry.select().order_by(AuditEntry.id))
    assert [e.action for e in entries] == ["snippet.create", "snippet.update", "snippet.approve"]
    assert all(e.actor_id == admin.id and e.object_id == str(snippet["id"]) for e in entries)
    assert entries[1].before["title"] == "Launch day" and entries[1].after["title"] == "Renamed"
    assert entries[0].before is None


def test_list_filters_and_paginates(client, admin_headers):
    with db.connection_context():
        team = Team.create(name="Sales")
        campaign = Campaign.create(name="Launch")
    for i in range(5):
        new_snippet(client, admin_headers, title=f"Plain {i}")
    aimed = new_snippet(client, admin_headers, title="For sales", team_ids=[team.id])
    in_campaign = new_snippet(
        client,
        admin_headers,
        title="Campaign one",
        campaign_id=campaign.id,
        expires_at=(utcnow() + timedelta(days=3)).isoformat() + "Z",
    )
    client.post(f"{BASE}/{aimed['id']}/approve", headers=admin_headers)

    def ids(query):
        resp = client.get(f"{BASE}?{query}", headers=admin_headers)
        assert resp.status_code == 200
        return [item["id"] for item in resp.get_json()["items"]]

    assert ids("status=approved") == [aimed["id"]]
    assert ids(f"team={team.id}") == [aimed["id"]]
    assert ids(f"campaign={campaign.id}") == [in_campaign["id"]]
    assert ids("expiring_within_days=7") == [in_campaign["id"]]
    assert ids("q=sales") == [aimed["id"]]
    page = client.get(f"{BASE}?per_page=3&page=2", headers=admin_headers).get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 3, 7, 3)
    assert client.get(f"{BASE}?per_page=0", headers=admin_headers).status_code == 422
    assert client.get(f"{BASE}?status=gone", headers=admin_headers).status_code == 422


def test_other_admins_can_read_everything(client, auth, admin_headers):
    snippet = new_snippet(client, admin_headers)
    make_user("root@acme.test", role="admin")
    headers = auth.headers("root@acme.test")
    resp = client.get(f"{BASE}/{snippet['id']}", headers=headers)
    assert resp.status_code == 200 and resp.get_json()["title"] == "Launch day"
    with db.connection_context():
        assert User.select().count() == 2
