"""Admin user management: listing with filters and pages, changes, and safe disabling."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import AuditEntry, Membership, RefreshToken, User
from tests.conftest import make_user


@pytest.fixture
def headers(auth, admin):
    return auth.headers("ada@acme.test")


def details(resp) -> list[str]:
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["error"]["code"] == "validation_failed"
    return [d["path"] for d in resp.get_json()["error"]["details"]]


def emails(resp) -> list[str]:
    assert resp.status_code == 200, resp.get_json()
    return [u["email"] for u in resp.get_json()["items"]]


def test_list_is_paginated(client, headers):
    for n in range(24):
        make_user(f"user{n:02d}@acme.test", name=f"User {n:02d}")
    first = client.get("/api/v1/users?per_page=10", headers=headers).get_json()
    assert (first["page"], first["per_page"], first["total"]) == (1, 10, 25)
    assert len(first["items"]) == 10
    third = client.get("/api/v1/users?per_page=10&page=3", headers=headers).get_json()
    assert len(third["items"]) == 5
    beyond = client.get("/api/v1/users?per_page=10&page=9", headers=headers).get_json()
    assert beyond["items"] == [] and beyond["total"] == 25
    everyone = {u["email"] for p in (1, 2, 3) for u in _page(client, headers, p)}
    assert len(everyone) == 25  # pages neither overlap nor skip anyone


def _page(client, headers, page):
    return client.get(f"/api/v1/users?per_page=10&page={page}", headers=headers).get_json()["items"]


def test_default_page_size_is_20(client, headers):
    assert client.get("/api/v1/users", headers=headers).get_json()["per_page"] == 20


@pytest.mark.parametrize(
    "query, path",
    [
        ("per_page=101", "/per_page"),
        ("per_page=0", "/per_page"),
        ("page=0", "/page"),
        ("page=-1", "/page"),
        ("page=two", "/page"),
        ("status=gone", "/status"),
        ("team=sales", "/team"),
    ],
)
def test_bad_query_parameters_are_422(client, headers, query, path):
    assert details(client.get(f"/api/v1/users?{query}", headers=headers)) == [path]


def test_filters(client, headers, employee):
    make_user("sam@acme.test", name="Samantha Sales", teams=("Sales",))
    make_user("old@acme.test", name="Old Timer", status="disabled")
    make_user("new@acme.test", name="New Person", status="invited")
    assert emails(client.get("/api/v1/users?status=disabled", headers=headers)) == ["old@acme.test"]
    assert emails(client.get("/api/v1/users?team=2", headers=headers)) == ["sam@acme.test"]
    assert emails(client.get("/api/v1/users?q=SAMANTHA", headers=headers)) == ["sam@acme.test"]
    assert emails(client.get("/api/v1/users?q=eve@", headers=headers)) == ["eve@acme.test"]
    assert emails(client.get("/api/v1/users?q=%25", headers=headers)) == []  # % is literal
    assert emails(client.get("/api/v1/users?status=active&team=1", headers=headers)) == [
        "eve@acme.test"
    ]


def test_list_shows_account_dates(client, headers, auth, employee):
    auth.login("eve@acme.test")
    eve = client.get(f"/api/v1/users/{employee.id}", headers=headers).get_json()
    assert eve["last_login_at"] is not None
    assert eve["created_at"] is not None
    assert eve["teams"] == [{"id": 1, "name": "Engineering"}]


def test_show_unknown_user_is_404(client, headers):
    resp = client.get("/api/v1/users/999", headers=headers)
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_patch_name_role_and_teams(client, headers, employee):
    make_user("x@acme.test", teams=("Sales", "Support"))
    resp = client.patch(
        f"/api/v1/users/{employee.id}",
        json={"name": "  Eve Engineer ", "role": "admin", "teams": [2, 3]},
        headers=headers,
    )
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["name"] == "Eve Engineer"
    assert body["role"] == "admin"
    assert [t["name"] for t in body["teams"]] == ["Sales", "Support"]
    cleared = client.patch(f"/api/v1/users/{employee.id}", json={"teams": []}, headers=headers)
    assert cleared.get_json()["teams"] == []
    with db.connection_context():
        assert Membership.select().where(Membership.user == employee.id).count() == 0


def test_promoted_employee_can_use_admin_routes_at_once(client, auth, headers, employee):
    eve = auth.headers("eve@acme.test")
    assert client.get("/api/v1/users", headers=eve).status_code == 403
    client.patch(f"/api/v1/users/{employee.id}", json={"role": "admin"}, headers=headers)
    assert client.get("/api/v1/users", headers=eve).status_code == 200


@pytest.mark.parametrize(
    "body, path",
    [
        ({}, "/"),
        ({"email": "new@acme.test"}, "/"),
        ({"role": "owner"}, "/role"),
        ({"status": "invited"}, "/status"),
        ({"name": ""}, "/name"),
        ({"name": "   "}, "/name"),
        ({"teams": [1, 1]}, "/teams"),
        ({"teams": "Engineering"}, "/teams"),
    ],
)
def test_patch_validation_errors_name_the_field(client, headers, employee, body, path):
    assert path in details(client.patch(f"/api/v1/users/{employee.id}", json=body, headers=headers))


def test_patch_with_unknown_team_changes_nothing(client, headers, employee):
    resp = client.patch(
        f"/api/v1/users/{employee.id}", json={"name": "Changed", "teams": [1, 77]}, headers=headers
    )
    assert details(resp) == ["/teams"]
    assert "77" in resp.get_json()["error"]["details"][0]["message"]
    eve = client.get(f"/api/v1/users/{employee.id}", headers=headers).get_json()
    assert eve["name"] == "Eve Employee"
    assert eve["teams"] == [{"id": 1, "name": "Engineering"}]


def test_patch_needs_json(client, headers, employee):
    resp = client.patch(f"/api/v1/users/{employee.id}", data="name=x", headers=headers)
    assert resp.status_code == 415


def test_disable_revokes_every_refresh_token_and_enable_restores_sign_in(
    client, auth, headers, employee
):
    auth.login("eve@acme.test")
    auth.login("eve@acme.test")
    resp = client.patch(
        f"/api/v1/users/{employee.id}", json={"status": "disabled"}, headers=headers
    )
    assert resp.get_json()["status"] == "disabled"
    with db.connection_context():
        live = RefreshToken.select().where(
            RefreshToken.user == employee.id, RefreshToken.revoked_at.is_null()
        )
        assert live.count() == 0
    assert auth.login("eve@acme.test").status_code == 401
    client.patch(f"/api/v1/users/{employee.id}", json={"status": "active"}, headers=headers)
    assert auth.login("eve@acme.test").status_code == 200


def test_invited_users_cannot_be_activated_by_an_admin(client, headers):
    invited = make_user("inv@acme.test", status="invited")
    resp = client.patch(f"/api/v1/users/{invited.id}", json={"status": "active"}, headers=headers)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "not_accepted"


def test_the_last_admin_cannot_be_demoted_or_disabled(client, headers, admin):
    demote = client.patch(f"/api/v1/users/{admin.id}", json={"role": "employee"}, headers=headers)
    assert demote.status_code == 409
    assert demote.get_json()["error"]["code"] == "last_admin"
    make_user("second@acme.test", role="admin")
    ok = client.patch(f"/api/v1/users/{admin.id}", json={"role": "employee"}, headers=headers)
    assert ok.status_code == 200


def test_admins_cannot_disable_themselves(client, headers, admin):
    make_user("second@acme.test", role="admin")
    resp = client.patch(f"/api/v1/users/{admin.id}", json={"status": "disabled"}, headers=headers)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "cannot_disable_self"


def test_employees_cannot_list_or_change_users(client, auth, employee):
    eve = auth.headers("eve@acme.test")
    assert client.get("/api/v1/users", headers=eve).status_code == 403
    resp = client.patch(f"/api/v1/users/{employee.id}", json={"role": "admin"}, headers=eve)
    assert resp.status_code == 403
    assert resp.get_json()["error"]["code"] == "forbidden"


def test_re_enabling_someone_who_never_joined_puts_them_back_to_invited(client, headers):
    never = make_user("never@acme.test", status="disabled")
    with db.connection_context():
        User.update(password_hash=None).where(User.id == never.id).execute()
    resp = client.patch(f"/api/v1/users/{never.id}", json={"status": "active"}, headers=headers)
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "invited"


def test_changes_are_in_the_audit_trail(client, headers, admin, employee):
    client.patch(f"/api/v1/users/{employee.id}", json={"name": "Eve E."}, headers=headers)
    client.patch(f"/api/v1/users/{employee.id}", json={"status": "disabled"}, headers=headers)
    with db.connection_context():
        entries = list(AuditEntry.select().order_by(AuditEntry.id))
    assert [(e.action, e.actor_id, e.object_id) for e in entries] == [
        ("user.update", admin.id, str(employee.id)),
        ("user.disable", admin.id, str(employee.id)),
    ]
    assert entries[0].before["name"] == "Eve Employee"
    assert entries[0].after["name"] == "Eve E."
