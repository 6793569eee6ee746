"""Forged share events are kept but marked, and count nowhere; event ids are unique per employee."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server import analytics
from server.db import db
from server.models import Share, Team, User, utcnow
from server.snippets import create_snippet, transition
from tests.conftest import make_user

URL = "/api/v1/shares"


def stamp(when: datetime) -> str:
    return when.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def event(**fields) -> dict:
    base = {
        "event_id": str(uuid.uuid4()),
        "network": "x",
        "snippet_id": None,
        "variant": None,
        "edited": False,
        "edit_distance": 0,
        "findings": [],
        "shared_at": stamp(utcnow()),
    }
    base.update(fields)
    return base


@pytest.fixture
def people(app, admin, employee):
    """Eve (Engineering, opted in to the leaderboard) and Sal (Sales)."""
    with db.connection_context():
        User.update(leaderboard_opt_in=True).where(User.id == employee.id).execute()
    make_user("sal@acme.test", teams=("Sales",), name="Sal Sales", leaderboard_opt_in=True)
    return employee


@pytest.fixture
def snippets(people, admin):
    with db.connection_context():
        sales = Team.get(Team.name == "Sales")
        approved = transition(
            admin,
            create_snippet(admin, {"title": "Open", "variants": {"x": ["One", "Two"]}}),
            "approve",
        )
        draft = create_snippet(admin, {"title": "Draft", "variants": {"x": ["Secret"]}})
        for_sales = transition(
            admin,
            create_snippet(
                admin, {"title": "Sales only", "variants": {"x": ["Deal"]}, "team_ids": [sales.id]}
            ),
            "approve",
        )
        later = transition(
            admin,
            create_snippet(
                admin,
                {
                    "title": "Next month",
                    "variants": {"x": ["Soon"]},
                    "starts_at": stamp(utcnow() + timedelta(days=30)),
                },
            ),
            "approve",
        )
    return {"approved": approved, "draft": draft, "sales": for_sales, "later": later}


def send(client, headers, *events):
    resp = client.post(URL, json={"events": list(events)}, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def reasons() -> dict[str, str | None]:
    with db.connection_context():
        return {s.event_id: s.suspect_reason for s in Share.select()}


def test_forged_events_are_stored_marked_and_count_nowhere(client, auth, snippets):
    headers = auth.headers("eve@acme.test")
    good = event(snippet_id=snippets["approved"].id, variant=1)
    forged = {
        "snippet_not_approved": event(snippet_id=snippets["draft"].id, variant=0),
        "not_targeted": event(snippet_id=snippets["sales"].id, variant=0),
        "unknown_variant": event(snippet_id=snippets["approved"].id, variant=99),
        "implausible_time": event(
            snippet_id=snippets["approved"].id, variant=0, shared_at="1970-01-01T00:00:00Z"
        ),
        "outside_schedule": event(snippet_id=snippets["later"].id, variant=0),
    }
    body = send(client, headers, good, *forged.values())
    # Nothing is lost and the extension's queue treats them as delivered.
    assert body["created"] == 6 and body["rejected"] == 0
    stored = reasons()
    assert stored[good["event_id"]] is None
    for reason, e in forged.items():
        assert stored[e["event_id"]] == reason

    with db.connection_context():
        data = analytics.summary(analytics.parse_period(None, None))
    assert data["shares"]["total"] == 1
    assert data["funnel"]["shared"] == 1
    assert [(r["name"], r["shares"]) for r in data["leaderboard"]] == [("Eve Employee", 1)]
    assert {r["title"]: r["shares"] for r in data["top_content"]} == {"Open": 1}


def test_forged_shares_do_not_raise_colleague_counts(client, auth, snippets):
    eve = auth.headers("eve@acme.test")
    sal = auth.headers("sal@acme.test")
    # Eve forges a share of the Sales-only snippet; Sal (who sees it) must not read "1 colleague".
    send(client, eve, event(snippet_id=snippets["sales"].id, variant=0))
    items = client.get("/api/v1/suggestions?network=x", headers=sal).get_json()["items"]
    [item] = [i for i in items if i["id"] == snippets["sales"].id]
    assert item["colleagues_shared"] == 0
    # A genuine share of the open snippet by Eve does show.
    send(client, eve, event(snippet_id=snippets["approved"].id, variant=0))
    items = client.get("/api/v1/suggestions?network=x", headers=sal).get_json()["items"]
    [item] = [i for i in items if i["id"] == snippets["approved"].id]
    assert item["colleagues_shared"] == 1


def test_an_event_id_is_unique_per_employee_only(client, auth, snippets):
    eve = auth.headers("eve@acme.test")
    sal = auth.headers("sal@acme.test")
    e = event(snippet_id=snippets["approved"].id, variant=0)
    assert send(client, eve, e)["created"] == 1
    # Sal sending Eve's id gets an event of Sal's own, learning nothing about Eve's.
    body = send(client, sal, dict(e))
    assert body["results"][0]["outcome"] == "created"
    assert send(client, sal, dict(e))["results"][0]["outcome"] == "duplicate"
    assert send(client, eve, dict(e))["results"][0]["outcome"] == "duplicate"
    with db.connection_context():
        owners = sorted(s.user.email for s in Share.select().where(Share.event_id == e["event_id"]))
    assert owners == ["eve@acme.test", "sal@acme.test"]
