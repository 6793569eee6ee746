"""Teams: create, rename, delete, and membership changes, with member counts in the list."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import AuditEntry
from tests.conftest import make_user


@pytest.fixture
def headers(auth, admin):
    return auth.headers("ada@acme.test")


def create(client, headers, name):
    return client.post("/api/v1/teams", json={"name": name}, headers=headers)


def test_create_and_list_with_member_counts(client, headers, employee):
    resp = create(client, headers, "  Sales ")
    assert resp.status_code == 201
    sales = resp.get_json()
    assert sales["name"] == "Sales"
    assert sales["member_count"] == 0 and sales["members"] == []
    make_user("bo@acme.test", teams=("Engineering",))
    listed = client.get("/api/v1/teams", headers=headers).get_json()
    assert [(t["name"], t["member_count"]) for t in listed["items"]] == [
        ("Engineering", 2),
        ("Sales", 0),
    ]
    assert listed["total"] == 2 and listed["page"] == 1


def test_list_filters_and_pages(client, headers):
    for name in ("Alpha", "Beta", "Gamma", "Alphabet"):
        create(client, headers, name)
    found = client.get("/api/v1/teams?q=alpha", headers=headers).get_json()
    assert [t["name"] for t in found["items"]] == ["Alpha", "Alphabet"]
    page = client.get("/api/v1/teams?per_page=3&page=2", headers=headers).get_json()
    assert [t["name"] for t in page["items"]] == ["Gamma"]
    bad = client.get("/api/v1/teams?per_page=500", headers=headers)
    assert bad.status_code == 422
    assert bad.get_json()["error"]["details"][0]["path"] == "/per_page"


def test_names_are_unique_regardless_of_case(client, headers, employee):
    resp = create(client, headers, "engineering")
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "team_exists"


@pytest.mark.parametrize(
    "body, path",
    [({}, "/"), ({"name": ""}, "/name"), ({"name": 7}, "/name"), ({"name": " "}, "/name")],
)
def test_create_validation(client, headers, body, path):
    resp = client.post("/api/v1/teams", json=body, headers=headers)
    assert resp.status_code == 422
    assert path in [d["path"] for d in resp.get_json()["error"]["details"]]


def test_show_lists_members(client, headers, employee):
    team = client.get("/api/v1/teams/1", headers=headers).get_json()
    assert team["members"] == [
        {"id": employee.id, "email": "eve@acme.test", "name": "Eve Employee", "status": "active"}
    ]
    assert client.get("/api/v1/teams/99", headers=headers).status_code == 404


def test_rename(client, headers, employee):
    resp = client.patch("/api/v1/teams/1", json={"name": "R&D"}, headers=headers)
    assert resp.status_code == 200
    assert resp.get_json()["name"] == "R&D"
    me = client.get(f"/api/v1/users/{employee.id}", headers=headers).get_json()
    assert me["teams"] == [{"id": 1, "name": "R&D"}]
    # Changing only the case of its own name is fine; taking another team's name is not.
    assert client.patch("/api/v1/teams/1", json={"name": "r&d"}, headers=headers).status_code == 200
    create(client, headers, "Sales")
    clash = client.patch("/api/v1/teams/1", json={"name": "SALES"}, headers=headers)
    assert clash.status_code == 409


def test_delete_keeps_the_members(client, headers, employee):
    assert client.delete("/api/v1/teams/1", headers=headers).status_code == 204
    assert client.get("/api/v1/teams/1", headers=headers).status_code == 404
    eve = client.get(f"/api/v1/users/{employee.id}", headers=headers).get_json()
    assert eve["status"] == "active" and eve["teams"] == []
    assert client.delete("/api/v1/teams/1", headers=headers).status_code == 404


def test_add_members_is_idempotent(client, headers, employee):
    bo = make_user("bo@acme.test")
    sales = create(client, headers, "Sales").get_json()
    url = f"/api/v1/teams/{sales['id']}/members"
    first = client.post(url, json={"user_ids": [employee.id, bo.id]}, headers=headers)
    assert first.status_code == 200
    assert first.get_json()["member_count"] == 2
    again = client.post(url, json={"user_ids": [bo.id]}, headers=headers)
    assert again.get_json()["member_count"] == 2
    eve = client.get(f"/api/v1/users/{employee.id}", headers=headers).get_json()
    assert [t["name"] for t in eve["teams"]] == ["Engineering", "Sales"]


def test_add_unknown_members_adds_nobody(client, headers, employee):
    resp = client.post(
        "/api/v1/teams/1/members", json={"user_ids": [employee.id, 404]}, headers=headers
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/user_ids"
    empty = client.post("/api/v1/teams/1/members", json={"user_ids": []}, headers=headers)
    assert empty.status_code == 422
    missing_team = client.post("/api/v1/teams/9/members", json={"user_ids": [1]}, headers=headers)
    assert missing_team.status_code == 404


def test_remove_member(client, headers, employee):
    url = f"/api/v1/teams/1/members/{employee.id}"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get("/api/v1/teams/1", headers=headers).get_json()["member_count"] == 0
    again = client.delete(url, headers=headers)
    assert again.status_code == 404


def test_employees_cannot_manage_teams(client, auth, employee):
    eve = auth.headers("eve@acme.test")
    assert client.get("/api/v1/teams", headers=eve).status_code == 403
    assert create(client, eve, "Mine").status_code == 403


def test_team_changes_are_in_the_audit_trail(client, headers, admin, employee):
    sales = create(client, headers, "Sales").get_json()
    client.patch(f"/api/v1/teams/{sales['id']}", json={"name": "Revenue"}, headers=headers)
    client.post(
        f"/api/v1/teams/{sales['id']}/members", json={"user_ids": [employee.id]}, headers=headers
    )
    client.delete(f"/api/v1/teams/{sales['id']}/members/{employee.id}", headers=headers)
    client.delete(f"/api/v1/teams/{sales['id']}", headers=headers)
    with db.connection_context():
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == [
        "team.create",
        "team.rename",
        "team.members_add",
        "team.member_remove",
        "team.delete",
    ]
