"""Campaigns: hashtag and time-window validation, CRUD, and what deleting leaves behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.db import db
from server.models import AuditEntry, Snippet, utcnow


@pytest.fixture
def headers(auth, admin):
    return auth.headers("ada@acme.test")


LAUNCH = {
    "name": "Spring launch",
    "hashtag": "#SpringLaunch",
    "starts_at": "2026-03-01T09:00:00Z",
    "ends_at": "2026-03-31T18:00:00+02:00",
}


def create(client, headers, **overrides):
    return client.post("/api/v1/campaigns", json={**LAUNCH, **overrides}, headers=headers)


def failed_paths(resp) -> list[str]:
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["error"]["code"] == "validation_failed"
    return [d["path"] for d in resp.get_json()["error"]["details"]]


def test_create_and_show(client, headers):
    resp = create(client, headers)
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["hashtag"] == "#SpringLaunch"
    assert body["starts_at"] == "2026-03-01T09:00:00Z"
    assert body["ends_at"] == "2026-03-31T16:00:00Z"  # stored in UTC
    assert body["snippet_count"] == 0
    assert client.get(f"/api/v1/campaigns/{body['id']}", headers=headers).get_json() == body


def test_only_a_name_is_required(client, headers):
    resp = client.post("/api/v1/campaigns", json={"name": "Evergreen"}, headers=headers)
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["hashtag"] is None and body["starts_at"] is None and body["ends_at"] is None


@pytest.mark.parametrize("hashtag", ["SpringLaunch", "#", "#two words", "##double", "#dash-ed", ""])
def test_hashtag_must_be_one_hashtag(client, headers, hashtag):
    assert failed_paths(create(client, headers, hashtag=hashtag)) == ["/hashtag"]


@pytest.mark.parametrize("hashtag", ["#Launch2026", "#launch_week", "#Ünïcode"])
def test_valid_hashtags(client, headers, hashtag):
    assert create(client, headers, hashtag=hashtag).status_code == 201


@pytest.mark.parametrize(
    "ends_at",
    ["2026-02-01T00:00:00Z", "2026-03-01T09:00:00Z", "2026-03-01T10:00:00+01:00"],
)
def test_end_must_be_after_start(client, headers, ends_at):
    assert failed_paths(create(client, headers, ends_at=ends_at)) == ["/ends_at"]


@pytest.mark.parametrize(
    "value", ["next week", "2026-03-01", "2026-03-01T09:00:00", "2026-13-01T09:00:00Z"]
)
def test_dates_must_be_rfc3339_with_an_offset(client, headers, value):
    assert failed_paths(create(client, headers, starts_at=value)) == ["/starts_at"]


def test_duplicate_name_is_409(client, headers):
    create(client, headers)
    resp = create(client, headers, name="SPRING LAUNCH")
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "campaign_exists"


def test_patch_checks_the_window_as_it_would_become(client, headers):
    campaign = create(client, headers).get_json()
    url = f"/api/v1/campaigns/{campaign['id']}"
    assert failed_paths(
        client.patch(url, json={"ends_at": "2026-02-01T00:00:00Z"}, headers=headers)
    ) == ["/ends_at"]
    moved = client.patch(url, json={"starts_at": None, "hashtag": None}, headers=headers)
    assert moved.status_code == 200
    assert moved.get_json()["starts_at"] is None and moved.get_json()["hashtag"] is None
    renamed = client.patch(url, json={"name": "Spring 2026"}, headers=headers)
    assert renamed.get_json()["name"] == "Spring 2026"
    assert renamed.get_json()["ends_at"] == campaign["ends_at"]
    assert failed_paths(client.patch(url, json={}, headers=headers)) == ["/"]
    assert (
        client.patch("/api/v1/campaigns/99", json={"name": "x"}, headers=headers).status_code == 404
    )


def test_list_newest_start_first_with_undated_last(client, headers):
    create(client, headers, name="Old", starts_at="2025-01-01T00:00:00Z", ends_at=None)
    create(client, headers, name="Undated", starts_at=None, ends_at=None)
    create(client, headers, name="New", starts_at="2026-06-01T00:00:00Z", ends_at=None)
    listed = client.get("/api/v1/campaigns", headers=headers).get_json()
    assert [c["name"] for c in listed["items"]] == ["New", "Old", "Undated"]
    found = client.get("/api/v1/campaigns?q=undat", headers=headers).get_json()
    assert [c["name"] for c in found["items"]] == ["Undated"]


def test_delete_keeps_its_snippets(client, headers):
    campaign = create(client, headers).get_json()
    with db.connection_context():
        snippet = Snippet.create(
            title="Launch post", campaign=campaign["id"], expires_at=utcnow() + timedelta(days=9)
        )
    shown = client.get(f"/api/v1/campaigns/{campaign['id']}", headers=headers).get_json()
    assert shown["snippet_count"] == 1
    assert client.delete(f"/api/v1/campaigns/{campaign['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/campaigns/{campaign['id']}", headers=headers).status_code == 404
    with db.connection_context():
        assert Snippet.get_by_id(snippet.id).campaign is None
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["campaign.create", "campaign.delete"]


def test_employees_cannot_manage_campaigns(client, auth, employee):
    eve = auth.headers("eve@acme.test")
    assert client.get("/api/v1/campaigns", headers=eve).status_code == 403
    assert create(client, eve).status_code == 403
