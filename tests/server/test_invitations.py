"""Invitations: create, accept, and every way a link can go wrong."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from server import invitations
from server.db import db
from server.models import AuditEntry, Invitation, User, iso, utcnow
from tests.conftest import make_user

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def invite(client, headers, email="nia@acme.test", **extra):
    body = {"email": email, "name": "Nia Newcomer", **extra}
    return client.post("/api/v1/invitations", json=body, headers=headers)


def token_of(resp) -> str:
    return resp.get_json()["invite_url"].rsplit("/invite/", 1)[1]


def accept(client, token: str, password: str = NEW_PASSWORD):
    return client.post("/api/v1/invitations/accept", json={"token": token, "password": password})


def error_code(resp) -> str:
    return resp.get_json()["error"]["code"]


def test_invite_creates_an_invited_user_with_a_link(client, admin_headers, employee):
    resp = invite(client, admin_headers, email="Nia@ACME.test", role="admin", teams=[1])
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["invite_url"].startswith("http://herald.test/invite/")
    inv = body["invitation"]
    assert inv["status"] == "pending"
    assert inv["reminders_sent"] == 0
    assert inv["invited_by"] == {"id": 1, "name": "Ada Admin"}
    assert inv["user"]["email"] == "nia@acme.test"
    assert inv["user"]["status"] == "invited"
    assert inv["user"]["role"] == "admin"
    assert inv["user"]["teams"] == [{"id": 1, "name": "Engineering"}]
    users = client.get("/api/v1/users?status=invited", headers=admin_headers).get_json()
    assert [u["email"] for u in users["items"]] == ["nia@acme.test"]
    with db.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "user.invite")
    assert entry.after["email"] == "nia@acme.test"


def test_invited_people_cannot_sign_in_before_accepting(client, auth, admin_headers):
    invite(client, admin_headers)
    assert auth.login("nia@acme.test", NEW_PASSWORD).status_code == 401


def test_invite_url_falls_back_to_the_request_host(app, client, admin_headers):
    app.config["PUBLIC_BASE_URL"] = None
    resp = invite(client, admin_headers)
    assert resp.get_json()["invite_url"].startswith("http://localhost/invite/")


def test_inviting_an_active_account_is_refused(client, admin_headers, employee):
    resp = invite(client, admin_headers, email="eve@acme.test")
    assert resp.status_code == 409
    assert error_code(resp) == "already_active"


def test_inviting_a_disabled_account_is_refused(client, admin_headers):
    make_user("gone@acme.test", status="disabled")
    resp = invite(client, admin_headers, email="gone@acme.test")
    assert resp.status_code == 409
    assert error_code(resp) == "user_disabled"


def test_inviting_again_replaces_the_earlier_link(client, admin_headers):
    first = token_of(invite(client, admin_headers))
    again = invite(client, admin_headers, name="Nia N.")
    assert again.status_code == 201
    assert again.get_json()["invitation"]["user"]["name"] == "Nia N."
    old = accept(client, first)
    assert old.status_code == 410
    assert error_code(old) == "invitation_superseded"
    assert accept(client, token_of(again)).status_code == 200


@pytest.mark.parametrize(
    "body, path",
    [
        ({"email": "not-an-email", "name": "X"}, "/email"),
        ({"email": "x@acme.test", "name": ""}, "/name"),
        ({"email": "x@acme.test", "name": "X", "role": "owner"}, "/role"),
        ({"email": "x@acme.test", "name": "X", "teams": ["Engineering"]}, "/teams/0"),
        ({"email": "x@acme.test", "name": "X", "password": "sneaky"}, "/"),
    ],
)
def test_invite_validation_errors_name_the_field(client, admin_headers, body, path):
    resp = client.post("/api/v1/invitations", json=body, headers=admin_headers)
    assert resp.status_code == 422
    assert error_code(resp) == "validation_failed"
    assert path in [d["path"] for d in resp.get_json()["error"]["details"]]


def test_invite_to_an_unknown_team_is_refused_without_creating_anyone(client, admin_headers):
    resp = invite(client, admin_headers, teams=[42])
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/teams"
    with db.connection_context():
        assert User.get_or_none(User.email == "nia@acme.test") is None


def test_accept_activates_the_account_and_signs_in(client, auth, admin_headers):
    token = token_of(invite(client, admin_headers))
    resp = accept(client, token)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["token_type"] == "Bearer"
    assert body["user"]["status"] == "active"
    assert body["user"]["joined_at"] is not None
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.get_json()["email"] == "nia@acme.test"
    assert auth.login("nia@acme.test", NEW_PASSWORD).status_code == 200
    listed = client.get("/api/v1/invitations", headers=admin_headers).get_json()["items"]
    assert listed[0]["status"] == "accepted"
    assert listed[0]["accepted_at"] is not None


def test_accept_needs_ten_characters(client, admin_headers):
    token = token_of(invite(client, admin_headers))
    resp = accept(client, token, "short")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/password"
    assert accept(client, token, "9chars-ok").status_code == 422
    assert accept(client, token, "ten-chars!").status_code == 200


def test_accept_function_also_checks_the_password_length(app, client, admin_headers):
    """The console calls accept() directly, without the API's schema in front of it."""
    token = token_of(invite(client, admin_headers))
    with app.test_request_context(), db.connection_context():
        with pytest.raises(invitations.APIError) as err:
            invitations.accept(token, "1234567")
    assert err.value.status == 422


def test_used_link_is_refused(client, admin_headers):
    token = token_of(invite(client, admin_headers))
    assert accept(client, token).status_code == 200
    again = accept(client, token, "another password")
    assert again.status_code == 410
    assert error_code(again) == "invitation_used"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t[1:],  # payload changed
        lambda t: t.split(".")[0],  # signature cut off
    ],
)
def test_tampered_link_is_refused(client, admin_headers, mangle):
    token = token_of(invite(client, admin_headers))
    resp = accept(client, mangle(token))
    assert resp.status_code == 400
    assert error_code(resp) == "invalid_invitation"
    assert "not valid" in resp.get_json()["error"]["message"]


def test_link_signed_with_another_secret_is_refused(app, client, admin_headers):
    invite(client, admin_headers)
    with db.connection_context():
        nonce = Invitation.get().nonce
    forged = URLSafeTimedSerializer("not-the-secret", salt=invitations.SALT).dumps(nonce)
    resp = accept(client, forged)
    assert resp.status_code == 400
    assert error_code(resp) == "invalid_invitation"


def test_link_past_its_stored_expiry_is_refused(client, admin_headers):
    token = token_of(invite(client, admin_headers))
    with db.connection_context():
        Invitation.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    resp = accept(client, token)
    assert resp.status_code == 410
    assert error_code(resp) == "invitation_expired"
    listed = client.get("/api/v1/invitations?pending=1", headers=admin_headers).get_json()
    assert listed["items"][0]["status"] == "expired"


def test_link_signed_longer_ago_than_invitation_days_is_refused(
    app, client, admin_headers, monkeypatch
):
    days = app.config["INVITATION_DAYS"]
    long_ago = time.time() - (days * 86400 + 60)
    with monkeypatch.context() as patch:
        patch.setattr("itsdangerous.timed.time.time", lambda: long_ago)
        token = token_of(invite(client, admin_headers))
    resp = accept(client, token)
    assert resp.status_code == 410
    assert error_code(resp) == "invitation_expired"


def test_remind_sends_a_new_link_and_counts(client, admin_headers):
    first = invite(client, admin_headers).get_json()
    inv_id = first["invitation"]["id"]
    three_days_ago = utcnow() - timedelta(days=3)
    with db.connection_context():
        Invitation.update(
            last_sent_at=three_days_ago, expires_at=utcnow() - timedelta(days=1)
        ).execute()
    resp = client.post(f"/api/v1/invitations/{inv_id}/remind", headers=admin_headers)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["invite_url"] != first["invite_url"]
    assert body["invitation"]["reminders_sent"] == 1
    assert body["invitation"]["status"] == "pending"  # a fresh expiry, too
    assert body["invitation"]["last_sent_at"] > iso(three_days_ago + timedelta(days=2))
    old = accept(client, token_of_url(first["invite_url"]))
    assert old.status_code == 410
    assert error_code(old) == "invitation_superseded"
    assert accept(client, token_of_url(body["invite_url"])).status_code == 200
    second = client.post(f"/api/v1/invitations/{inv_id}/remind", headers=admin_headers)
    assert second.status_code == 409
    assert error_code(second) == "invitation_used"


def token_of_url(url: str) -> str:
    return url.rsplit("/invite/", 1)[1]


def test_remind_unknown_invitation_is_404(client, admin_headers):
    resp = client.post("/api/v1/invitations/999/remind", headers=admin_headers)
    assert resp.status_code == 404


def test_disabled_before_accepting_cannot_accept(client, admin_headers):
    token = token_of(invite(client, admin_headers))
    with db.connection_context():
        User.update(status="disabled").where(User.email == "nia@acme.test").execute()
    resp = accept(client, token)
    assert resp.status_code == 403
    assert error_code(resp) == "not_invited"


def test_pending_lists_only_invitations_not_accepted(client, admin_headers):
    accepted = token_of(invite(client, admin_headers, email="one@acme.test"))
    invite(client, admin_headers, email="two@acme.test")
    accept(client, accepted)
    everyone = client.get("/api/v1/invitations", headers=admin_headers).get_json()
    assert everyone["total"] == 2
    pending = client.get("/api/v1/invitations?pending=1", headers=admin_headers).get_json()
    assert [i["user"]["email"] for i in pending["items"]] == ["two@acme.test"]
    assert pending["total"] == 1


def test_pending_must_be_0_or_1(client, admin_headers):
    resp = client.get("/api/v1/invitations?pending=yes", headers=admin_headers)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/pending"


def test_employees_cannot_invite(client, auth, employee):
    resp = invite(client, auth.headers("eve@acme.test"))
    assert resp.status_code == 403


def test_invite_function_with_team_names_for_csv_imports(app, admin):
    """The console's CSV import names teams; missing ones are created."""
    from server.people import teams_by_names

    with app.test_request_context(), db.connection_context():
        teams = teams_by_names(["Sales", "sales ", "Marketing"])
        invitation, token = invitations.invite("csv@acme.test", "Cee", teams=teams)
        url = invitations.invite_url(token)
        assert [t.name for t in teams] == ["Sales", "Marketing"]
        assert invitation.user.status == "invited"
    assert url.startswith("http://herald.test/invite/")
