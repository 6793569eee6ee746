"""The languages an employee reads (stored, default from the browser at sign-in) and must-see snippets
pinned on top of their suggestions."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import Team, User
from tests.conftest import PASSWORD
from tests.server.test_suggestions import URL, publish


@pytest.fixture
def eve(auth, employee):
    return auth.headers("eve@acme.test")


def items(client, headers, query="network=x"):
    resp = client.get(f"{URL}?{query}", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


def test_first_sign_in_keeps_the_browsers_language_and_later_ones_do_not_override(client, employee):
    resp = client.post(
        "/api/v1/auth/login",
        json={"email": "eve@acme.test", "password": PASSWORD, "browser_language": "th-TH"},
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["user"]["languages"] == ["th"]
    again = client.post(
        "/api/v1/auth/login",
        json={"email": "eve@acme.test", "password": PASSWORD, "browser_language": "en-US"},
    )
    assert again.get_json()["user"]["languages"] == ["th"]
    with db.connection_context():
        assert User.get_by_id(employee.id).languages == "th"


def test_without_a_choice_the_interface_language_counts(client, eve):
    me = client.get("/api/v1/me", headers=eve).get_json()
    assert me["language"] == "en" and me["languages"] == ["en"]


def test_languages_are_saved_as_primary_subtags_once_in_order(client, eve, employee):
    resp = client.patch("/api/v1/me", json={"languages": ["pt-BR", "en", "PT", "th"]}, headers=eve)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["languages"] == ["pt", "en", "th"]
    assert client.get("/api/v1/me", headers=eve).get_json()["languages"] == ["pt", "en", "th"]


@pytest.mark.parametrize("bad", [[], ["english"], ["e"], ["en_US"], ["en", 7], ["x" * 40], "en"])
def test_bad_language_codes_are_refused_and_nothing_changes(client, eve, employee, bad):
    client.patch("/api/v1/me", json={"languages": ["it"]}, headers=eve)
    resp = client.patch("/api/v1/me", json={"languages": bad}, headers=eve)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed" and error["details"], error
    assert all(d["path"].startswith("/languages") for d in error["details"]), error
    assert client.get("/api/v1/me", headers=eve).get_json()["languages"] == ["it"]


def test_bad_browser_language_at_sign_in_is_refused(client, employee):
    resp = client.post(
        "/api/v1/auth/login",
        json={"email": "eve@acme.test", "password": PASSWORD, "browser_language": "<b>"},
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/browser_language"


def test_suggestions_say_which_are_in_my_languages_and_follow_a_change(client, admin, eve):
    publish(admin, "Lancio", language="it")
    publish(admin, "Launch", language="en")
    before = client.get(f"{URL}?network=x", headers=eve)
    flags = {i["title"]: i["in_my_languages"] for i in before.get_json()["items"]}
    assert flags == {"Lancio": False, "Launch": True}
    client.patch("/api/v1/me", json={"languages": ["it"]}, headers=eve)
    after = client.get(f"{URL}?network=x", headers={**eve, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "a new choice of languages must not be answered 304"
    flags = {i["title"]: i["in_my_languages"] for i in after.get_json()["items"]}
    assert flags == {"Lancio": True, "Launch": False}


def test_must_see_is_pinned_on_top_for_its_targets_across_pages(client, admin, eve):
    with db.connection_context():
        sales = Team.create(name="Sales")
    publish(admin, "Old must-see", featured=True)
    publish(admin, "Sales must-see", featured=True, team_ids=[sales.id])
    for i in range(3):
        publish(admin, f"Newer {i}")
    listed = items(client, eve)
    assert [i["title"] for i in listed] == ["Old must-see", "Newer 2", "Newer 1", "Newer 0"]
    assert [i["featured"] for i in listed] == [True, False, False, False]
    assert [i["title"] for i in items(client, eve, "network=x&per_page=2&page=2")] == [
        "Newer 1",
        "Newer 0",
    ]
    body = client.get(f"{URL}?network=x", headers=eve).get_json()
    assert body["latest_approved_at"] == listed[1]["approved_at"]  # the newest, not the pinned one
    # The database path (search) pins the same way.
    assert [i["title"] for i in items(client, eve, "network=x&q=e")][0] == "Old must-see"


def test_admin_api_sets_must_see_and_back_to_optional(client, auth, admin, eve):
    headers = auth.headers("ada@acme.test")
    snippet = publish(admin, "Launch")
    resp = client.patch(f"/api/v1/snippets/{snippet.id}", json={"featured": True}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["featured"] is True
    assert resp.get_json()["status"] == "approved"  # a priority change needs no new review
    assert items(client, eve)[0]["featured"] is True
    client.patch(f"/api/v1/snippets/{snippet.id}", json={"featured": False}, headers=headers)
    assert items(client, eve)[0]["featured"] is False
