"""Suggestions answered again from memory (server.suggestion_replay) are never stale.

Each test polls until the answer is replayed (the panel's steady state), changes one thing the
answer depends on, and checks that the very next poll shows it, as it would without the replay.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import jwt
import pytest

from server.db import db
from server.models import Campaign, Membership, Team, utcnow
from server.settings import set_setting
from server.suggestion_replay import SuggestionReplay
from tests.conftest import SECRET_KEY, make_user
from tests.server.test_suggestions import publish, share

URL = "/api/v1/suggestions?network=x"


@pytest.fixture
def replay(app) -> SuggestionReplay:
    middleware = app.wsgi_app
    while not isinstance(middleware, SuggestionReplay):
        middleware = middleware.wsgi_app
    return middleware


@pytest.fixture
def eve(auth, employee):
    return auth.headers("eve@acme.test")


def steady(client, replay, headers) -> dict:
    """Poll twice; the second answer must come from memory. Returns it (JSON)."""
    first = client.get(URL, headers=headers)
    assert first.status_code == 200, first.get_json()
    before = replay.replayed
    again = client.get(URL, headers=headers)
    assert again.status_code == 200
    assert replay.replayed == before + 1, "the second identical poll was not replayed"
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    return again.get_json()


def titles(body) -> list[str]:
    return [item["title"] for item in body["items"]]


def test_replayed_answer_is_the_views_answer_with_its_own_request_id(client, replay, admin, eve):
    publish(admin, "Launch")
    first = client.get(URL, headers=eve)
    second = client.get(URL, headers={**eve, "X-Request-ID": "poll-0001-abcdef"})
    assert second.data == first.data
    assert second.headers["X-Request-ID"] == "poll-0001-abcdef"
    third = client.get(URL, headers=eve)
    assert third.headers["X-Request-ID"] not in (first.headers["X-Request-ID"], "poll-0001-abcdef")
    assert replay.replayed == 2
    without_id = lambda resp: sorted(  # noqa: E731
        (k, v) for k, v in resp.headers.items() if k not in ("X-Request-ID", "Date")
    )
    assert without_id(second) == without_id(first)


def test_if_none_match_gets_304_from_memory(client, replay, admin, eve):
    publish(admin, "Launch")
    first = client.get(URL, headers=eve)
    before = replay.replayed
    again = client.get(URL, headers={**eve, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert replay.replayed == before + 1


def test_a_snippet_approved_shows_on_the_next_poll(client, replay, admin, eve):
    publish(admin, "First")
    assert titles(steady(client, replay, eve)) == ["First"]
    publish(admin, "Second")
    assert titles(client.get(URL, headers=eve).get_json()) == ["Second", "First"]


def test_joining_a_team_shows_its_snippets_on_the_next_poll(client, replay, admin, employee, eve):
    with db.connection_context():
        sales = Team.create(name="Sales")
    publish(admin, "For everyone")
    publish(admin, "Sales only", team_ids=[sales.id])
    assert titles(steady(client, replay, eve)) == ["For everyone"]
    with db.connection_context():
        Membership.create(user=employee, team=sales)
    assert titles(client.get(URL, headers=eve).get_json()) == ["Sales only", "For everyone"]


def test_a_colleagues_share_counts_on_the_next_poll(client, replay, admin, eve):
    snippet = publish(admin, "Launch")
    assert steady(client, replay, eve)["items"][0]["colleagues_shared"] == 0
    share(make_user("bob@acme.test"), snippet)
    assert client.get(URL, headers=eve).get_json()["items"][0]["colleagues_shared"] == 1


def test_logout_and_disabling_refuse_the_next_poll(client, replay, auth, admin, employee):
    publish(admin, "Launch")
    tokens = auth.login("eve@acme.test").get_json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    steady(client, replay, headers)
    out = client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers
    )
    assert out.status_code == 204
    assert client.get(URL, headers=headers).status_code == 401

    make_user("zed@acme.test")
    zed = auth.headers("zed@acme.test")
    steady(client, replay, zed)
    with db.connection_context():
        from server.models import User

        User.update(status="disabled").where(User.email == "zed@acme.test").execute()
    assert client.get(URL, headers=zed).status_code == 401


def test_an_expired_token_is_refused_though_its_answer_is_remembered(
    client, replay, admin, employee
):
    publish(admin, "Launch")
    now = int(time.time())
    claims = {
        "sub": str(employee.id),
        "iat": now,
        "exp": now + 2,
        "jti": "replay-exp",
        "role": "employee",
    }
    headers = {"Authorization": "Bearer " + jwt.encode(claims, SECRET_KEY, "HS256")}
    steady(client, replay, headers)
    time.sleep(2.1)
    assert client.get(URL, headers=headers).status_code == 401


def test_a_campaign_that_ends_leaves_the_next_poll(client, replay, admin, eve):
    with db.connection_context():
        ending = Campaign.create(name="Ends now", ends_at=utcnow() + timedelta(seconds=1))
    publish(admin, "Campaign post", campaign_id=ending.id)
    publish(admin, "Evergreen")
    assert titles(steady(client, replay, eve)) == ["Evergreen", "Campaign post"]
    time.sleep(1.1)
    assert titles(client.get(URL, headers=eve).get_json()) == ["Evergreen"]


def test_each_origin_gets_its_own_cors_headers_and_settings_changes_count(
    app, client, replay, admin, eve
):
    chrome = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    other = "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba"
    publish(admin, "Launch")
    with app.app_context(), db.connection_context():
        set_setting("extension_origins", [chrome])
    for _ in range(2):
        ok = client.get(URL, headers={**eve, "Origin": chrome})
        refused = client.get(URL, headers={**eve, "Origin": other})
        assert ok.headers.get("Access-Control-Allow-Origin") == chrome
        assert "Access-Control-Allow-Origin" not in refused.headers
    assert replay.replayed == 2
    with app.app_context(), db.connection_context():
        set_setting("extension_origins", [chrome, other])
    now_allowed = client.get(URL, headers={**eve, "Origin": other})
    assert now_allowed.headers.get("Access-Control-Allow-Origin") == other


def test_a_replayed_poll_writes_its_request_log_line(client, replay, admin, employee, eve, caplog):
    publish(admin, "Launch")
    client.get(URL, headers=eve)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="herald.request"):
        resp = client.get(URL, headers=eve)
    assert replay.replayed == 1
    lines = [r.fields for r in caplog.records if getattr(r, "fields", None)]
    assert len(lines) == 1
    line = lines[0]
    assert line["route"] == "/api/v1/suggestions" and line["status"] == 200
    assert line["user_id"] == employee.id
    assert line["request_id"] == resp.headers["X-Request-ID"]
    json.dumps(line)  # a JSON line, as the view's


def test_searches_and_refusals_are_never_replayed(client, replay, admin, eve):
    publish(admin, "Launch")
    for _ in range(2):
        assert client.get(URL + "&q=Launch", headers=eve).status_code == 200
        assert client.get("/api/v1/suggestions?network=fax", headers=eve).status_code == 422
    assert replay.replayed == 0


def test_a_language_choice_changes_the_next_poll(client, replay, admin, employee, eve):
    publish(admin, "Launch", language="th")
    assert steady(client, replay, eve)["items"][0]["in_my_languages"] is False
    assert (
        client.patch("/api/v1/me", json={"languages": ["en", "th"]}, headers=eve).status_code == 200
    )
    assert client.get(URL, headers=eve).get_json()["items"][0]["in_my_languages"] is True


def test_the_least_recently_polled_answer_is_dropped_first(
    client, replay, admin, auth, monkeypatch
):
    monkeypatch.setattr("server.suggestion_replay.MAX_ENTRIES", 2)
    publish(admin, "Launch")
    people = {}
    for name in ("ann", "bo", "cy"):
        make_user(f"{name}@acme.test")
        people[name] = auth.headers(f"{name}@acme.test")
    client.get(URL, headers=people["ann"])
    client.get(URL, headers=people["bo"])
    client.get(URL, headers=people["ann"])  # replayed: ann is now the most recent
    client.get(URL, headers=people["cy"])  # a third answer: bo's goes
    before = replay.replayed
    client.get(URL, headers=people["ann"])
    client.get(URL, headers=people["cy"])
    assert replay.replayed == before + 2
    client.get(URL, headers=people["bo"])
    assert replay.replayed == before + 2
