"""GET /api/v1/me/data: an employee reads everything the server keeps that is tied to them."""

from __future__ import annotations

import uuid

import pytest

from server.db import db
from server.models import Click, Share, TrackedLink, User, utcnow
from server.personal_data import CLICKS_HEADER, SHARES_HEADER
from server.snippets import create_snippet, transition
from tests.conftest import make_user

URL = "/api/v1/me/data"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"


@pytest.fixture
def world(app, admin, employee):
    """Eve shared one snippet and has a tracked link with clicks; Olga has her own records."""
    with db.connection_context():
        snippet = transition(
            admin,
            create_snippet(
                admin,
                {
                    "title": "Launch",
                    "variants": {"x": ["We launched"]},
                    "link_url": "https://acme.test/launch",
                },
            ),
            "approve",
        )
        draft = create_snippet(admin, {"title": "Draft", "variants": {"x": ["Secret"]}})
        TrackedLink.create(
            code="eveCODE1", user=employee, snippet=snippet, target_url=snippet.link_url
        )
        olga = make_user("olga@acme.test", name="Olga Other")
        TrackedLink.create(code="olgaCOD1", user=olga, snippet=snippet, target_url=snippet.link_url)
    return {"snippet": snippet, "draft": draft}


def send(client, headers, **fields):
    event = {
        "event_id": str(uuid.uuid4()),
        "network": "x",
        "snippet_id": None,
        "variant": None,
        "edited": True,
        "edit_distance": 4,
        "findings": [{"rule": "length", "severity": "warning"}],
        "shared_at": utcnow().isoformat() + "Z",
        **fields,
    }
    assert (
        client.post("/api/v1/shares", json={"events": [event]}, headers=headers).status_code == 200
    )
    return event


def test_my_data_lists_my_shares_links_clicks_and_standing(client, auth, world):
    eve = auth.headers("eve@acme.test")
    olga = auth.headers("olga@acme.test")
    good = send(client, eve, snippet_id=world["snippet"].id, variant=0)
    forged = send(client, eve, snippet_id=world["draft"].id, variant=0)
    send(client, olga, snippet_id=world["snippet"].id, variant=0)
    for agent, address in (
        (CHROME, "203.0.113.1"),
        (CHROME, "203.0.113.1"),
        ("Twitterbot/1.0", "1.2.3.4"),
    ):
        client.get(
            "/r/eveCODE1", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}
        )
    client.get("/r/olgaCOD1", headers={"User-Agent": CHROME})

    resp = client.get(URL, headers=eve)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    data = resp.get_json()
    assert data["profile"]["email"] == "eve@acme.test"
    by_id = {s["event_id"]: s for s in data["shares"]}
    assert set(by_id) == {good["event_id"], forged["event_id"]}  # never Olga's
    assert by_id[good["event_id"]]["counted"] is True
    assert by_id[good["event_id"]]["snippet_title"] == "Launch"
    assert by_id[good["event_id"]]["findings"] == [{"rule": "length", "severity": "warning"}]
    assert by_id[forged["event_id"]]["counted"] is False
    assert by_id[forged["event_id"]]["suspect_reason"] == "snippet_not_approved"
    [link] = data["tracked_links"]
    assert link["url"] == "http://herald.test/r/eveCODE1"
    assert link["clicks"] == {"counted": 1, "repeats": 1, "bots": 1}
    standing = data["standing"]
    assert (standing["shares"], standing["clicks"]) == (1, 1)
    assert standing["on_leaderboard"] is False and standing["rank"] is None
    exports = {e["name"]: e for e in data["admin_exports"]}
    assert exports["shares.csv"]["names_you"] and exports["shares.csv"]["columns"] == SHARES_HEADER
    assert exports["clicks.csv"]["names_you"] and exports["clicks.csv"]["columns"] == CLICKS_HEADER
    assert exports["dashboard leaderboard"]["names_you"] is False


def test_opting_in_puts_me_on_the_leaderboard_and_says_so(client, auth, world, employee):
    eve = auth.headers("eve@acme.test")
    send(client, eve, snippet_id=world["snippet"].id, variant=0)
    assert (
        client.patch("/api/v1/me", json={"leaderboard_opt_in": True}, headers=eve).status_code
        == 200
    )
    data = client.get(URL, headers=eve).get_json()
    assert data["standing"]["on_leaderboard"] is True and data["standing"]["rank"] == 1
    assert {e["name"]: e["names_you"] for e in data["admin_exports"]}["dashboard leaderboard"]


def test_my_data_needs_a_sign_in(client, world):
    resp = client.get(URL)
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"


def test_nothing_is_left_out(client, auth, world, employee):
    """Every share and link row of mine is in the answer (counts match the tables)."""
    eve = auth.headers("eve@acme.test")
    for _ in range(3):
        send(client, eve)
    data = client.get(URL, headers=eve).get_json()
    with db.connection_context():
        me = User.get(User.email == "eve@acme.test")
        assert len(data["shares"]) == Share.select().where(Share.user == me).count()
        assert (
            len(data["tracked_links"]) == TrackedLink.select().where(TrackedLink.user == me).count()
        )
        assert Click.select().count() == 0


def test_my_proposals_are_in_my_data(client, auth, world, employee):
    """A link I suggested is part of what the server keeps about me, with what became of it."""
    eve = auth.headers("eve@acme.test")
    sent = client.post(
        "/api/v1/proposals",
        json={"url": "https://acme.test/worth-reading", "note": "Our lab in the news"},
        headers=eve,
    )
    assert sent.status_code == 201, sent.get_json()
    data = client.get(URL, headers=eve).get_json()
    assert [(p["url"], p["note"], p["status"]) for p in data["proposals"]] == [
        ("https://acme.test/worth-reading", "Our lab in the news", "pending")
    ]
    queue = [e for e in data["admin_exports"] if e["name"] == "proposals queue"]
    assert queue and queue[0]["names_you"] is True


def test_what_my_browsers_report_is_in_my_data(client, auth, world, employee):
    """The extension's adapter report (POST /sites/report) is tied to me: it is in my data, as sent."""
    eve = auth.headers("eve@acme.test")
    sent = client.post(
        "/api/v1/sites/report",
        json={"installation": "a1b2c3d4-e5f6", "extension_version": "1.4.0", "adapters": {"x": 2}},
        headers=eve,
    )
    assert sent.status_code == 204, sent.get_data(as_text=True)
    data = client.get(URL, headers=eve).get_json()
    assert [
        (i["installation"], i["extension_version"], i["adapters"]) for i in data["installations"]
    ] == [("a1b2c3d4-e5f6", "1.4.0", {"x": 2})]
