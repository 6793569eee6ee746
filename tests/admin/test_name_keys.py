"""API and console: unique names ignore case in every script, not only ASCII (SQLite's LOWER() folds ASCII only)."""

from __future__ import annotations

import pytest

from server.names import name_key


def test_the_key_folds_case_and_unicode_forms():
    assert name_key("ÉQUIPE-X") == name_key("équipe-x") == name_key("E\u0301quipe-X")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key(" Sales ") == "sales"


@pytest.fixture
def headers(auth, admin):
    return auth.headers("ada@acme.test")


@pytest.mark.parametrize(
    "first,second",
    [("ÉQUIPE-X", "ÉQUIPE-X"), ("ÉQUIPE-X", "équipe-x"), ("Straße", "STRASSE")],
)
def test_a_team_name_taken_in_another_case_is_a_409(client, headers, first, second):
    assert client.post("/api/v1/teams", json={"name": first}, headers=headers).status_code == 201
    resp = client.post("/api/v1/teams", json={"name": second}, headers=headers)
    assert resp.status_code == 409, resp.get_json()
    assert resp.get_json()["error"]["code"] == "team_exists"
    listed = client.get("/api/v1/teams", headers=headers).get_json()
    assert [t["name"] for t in listed["items"]] == [first]


def test_renaming_a_team_onto_another_in_another_case_is_a_409(client, headers):
    client.post("/api/v1/teams", json={"name": "ÉQUIPE-X"}, headers=headers)
    other = client.post("/api/v1/teams", json={"name": "Sales"}, headers=headers).get_json()
    resp = client.patch(f"/api/v1/teams/{other['id']}", json={"name": "équipe-x"}, headers=headers)
    assert resp.status_code == 409
    # Its own name in another case is fine.
    resp = client.patch(f"/api/v1/teams/{other['id']}", json={"name": "SALES"}, headers=headers)
    assert resp.status_code == 200


def test_a_campaign_name_taken_in_another_case_is_a_409(client, headers):
    assert (
        client.post("/api/v1/campaigns", json={"name": "Été"}, headers=headers).status_code == 201
    )
    resp = client.post("/api/v1/campaigns", json={"name": "ÉTÉ"}, headers=headers)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "campaign_exists"
    other = client.post("/api/v1/campaigns", json={"name": "Winter"}, headers=headers).get_json()
    resp = client.patch(f"/api/v1/campaigns/{other['id']}", json={"name": "été"}, headers=headers)
    assert resp.status_code == 409


def test_the_console_refuses_a_team_name_taken_in_another_case(admin_console):
    admin_console.post("/admin/teams", {"name": "ÉQUIPE-X"})
    resp = admin_console.post("/admin/teams", {"name": "équipe-x"}, follow_redirects=True)
    assert resp.status_code == 200
    assert "already exists" in resp.get_data(as_text=True)


def test_the_console_refuses_a_campaign_name_taken_in_another_case(admin_console):
    admin_console.post("/admin/campaigns", {"name": "ÉTÉ"})
    resp = admin_console.post("/admin/campaigns", {"name": "été"}, follow_redirects=True)
    assert resp.status_code == 200
    assert "already exists" in resp.get_data(as_text=True)


def test_an_email_is_one_account_however_its_accents_were_typed(client, auth, admin, headers):
    """NFC: "é" typed as one code point or as e + combining accent is the same address."""
    resp = client.post(
        "/api/v1/invitations", json={"email": "Zoé@acme.test", "name": "Zoé"}, headers=headers
    )
    assert resp.status_code == 201
    again = client.post(
        "/api/v1/invitations",
        json={"email": "ZOE\u0301@acme.test", "name": "Zoé"},
        headers=headers,
    )
    assert again.status_code == 201  # the same invited person, invited again
    assert (
        again.get_json()["invitation"]["user"]["id"] == resp.get_json()["invitation"]["user"]["id"]
    )
