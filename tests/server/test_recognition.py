"""Recognition API: points (bots and repeats excluded), opt-in visibility on every surface, settings."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from server.db import db
from server.models import Team, User, utcnow
from tests.recognition_support import HIDDEN, build, share


@pytest.fixture
def world(app, client, admin):
    return build(client)


def board(client, headers, **params):
    resp = client.get("/api/v1/recognition/leaderboard", query_string=params, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def rows(data):
    return [(e["rank"], e["name"], e["points"]) for e in data["entries"]]


def test_points_count_shares_and_human_clicks_only(client, auth, world):
    """Eve: 2 shares x 10 + 3 people's clicks x 1 (the repeat and both preview bots count nothing);
    Sal's suspect share counts nothing."""
    eve = auth.headers("eve@acme.test")
    data = board(client, eve, period="week")
    assert rows(data) == [(1, "Eve Employee", 23), (2, "Sal Sales", 10)]
    assert data["entries"][0] | {"you": True} == data["entries"][0]
    assert (data["entries"][0]["shares"], data["entries"][0]["clicks"]) == (2, 3)
    assert data["me"] == {
        "rank": 1,
        "points": 23,
        "shares": 2,
        "clicks": 3,
        "accepted_proposals": 0,
    }
    assert data["points_per"] == {"share": 10, "click": 1, "accepted_proposal": 25}


def test_periods_week_month_and_all_time(client, auth, world):
    with db.connection_context():
        share(world.sal, utcnow() - timedelta(days=400))
        share(world.sal, utcnow() - timedelta(days=400))
    eve = auth.headers("eve@acme.test")
    assert rows(board(client, eve, period="all")) == [(1, "Sal Sales", 30), (2, "Eve Employee", 23)]
    assert rows(board(client, eve, period="month"))[0] == (1, "Eve Employee", 23)
    resp = client.get("/api/v1/recognition/leaderboard?period=year", headers=eve)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "invalid_period"


def test_ties_share_a_rank_and_the_team_board_is_the_viewers_own_team(client, auth, world, admin):
    with db.connection_context():
        User.update(leaderboard_opt_in=True).where(User.id == world.nora.id).execute()
        engineering = Team.get(Team.name == "Engineering")
        sales = Team.get(Team.name == "Sales")
    eve = auth.headers("eve@acme.test")
    data = board(client, eve, period="week", team=engineering.id)
    # Nora opted in now: 5 x 10 + 4 = 54; Sal (Sales) is not on Engineering's board.
    assert rows(data) == [(1, HIDDEN, 54), (2, "Eve Employee", 23)]
    assert data["team"] == {"id": engineering.id, "name": "Engineering"}
    assert data["teams"] == [{"id": engineering.id, "name": "Engineering"}]
    refused = client.get(f"/api/v1/recognition/leaderboard?team={sales.id}", headers=eve)
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "team_not_found"
    # A tie: the same points, the same rank, and the next rank skips.
    admin_headers = auth.headers("ada@acme.test")
    settings = client.get("/api/v1/recognition/settings", headers=admin_headers).get_json()
    settings["points"] = {"share": 1, "click": 0, "accepted_proposal": 0}
    assert (
        client.put("/api/v1/recognition/settings", json=settings, headers=admin_headers).status_code
        == 200
    )
    with db.connection_context():
        share(world.sal, utcnow())
    assert rows(board(client, eve)) == [(1, HIDDEN, 5), (2, "Eve Employee", 2), (2, "Sal Sales", 2)]


def test_who_did_not_opt_in_appears_on_no_surface(app, client, auth, world, admin):
    """Nora out-shares everyone but never opted in: no leaderboard (any period, any team), no rank,
    no dashboard or analytics, no recognition mail, no points in her digest, and she sees no one."""
    from server.digest import Candidates, payloads
    from server.recognition import recognition_rows

    eve, nora = auth.headers("eve@acme.test"), auth.headers("nora@acme.test")
    with db.connection_context():
        engineering = Team.get(Team.name == "Engineering").id
    seen = []
    for period in ("week", "month", "all"):
        seen.append(board(client, eve, period=period))
        seen.append(board(client, eve, period=period, team=engineering))
        seen.append(client.get("/api/v1/recognition/me", headers=eve).get_json())
    admin_headers = auth.headers("ada@acme.test")
    seen.append(client.get("/api/v1/analytics/summary", headers=admin_headers).get_json())
    text = json.dumps(seen)
    assert "Eve Employee" in text
    assert HIDDEN not in text and "nora" not in text.lower()
    assert all(
        e["points"] != 54 and e["shares"] != 5 for data in seen[:6:3] for e in data["entries"]
    )
    # No entry stands for her, not even nameless: everyone listed is someone who opted in.
    assert {e["name"] for d in seen if "entries" in d for e in d["entries"]} <= {
        "Eve Employee",
        "Sal Sales",
    }

    # She herself sees no leaderboard and no standing.
    hers = board(client, nora)
    assert hers["opted_in"] is False and hers["entries"] == [] and hers["me"] is None
    assert client.get("/api/v1/recognition/me", headers=nora).get_json() == {
        "opted_in": False,
        "periods": None,
    }
    # The console's dashboard leaderboard.
    from tests.admin.conftest import Console

    console = Console(client)
    assert console.sign_in("ada@acme.test").status_code == 302
    dashboard = console.page("/admin/")
    assert "Eve Employee" in dashboard and HIDDEN not in dashboard

    # Messages: no recognition mail row, no points line in her digest.
    week_after = (utcnow() + timedelta(days=7)).isocalendar()
    with app.app_context(), db.connection_context():
        mail_rows = recognition_rows(f"{week_after[0]}-W{week_after[1]:02d}")
        digests = payloads(
            [User.get_by_id(world.eve.id), User.get_by_id(world.nora.id)],
            "2026-W49",
            utcnow() + timedelta(seconds=1),
            Candidates(utcnow(), utcnow() - timedelta(days=35)),
        )
    assert {r["recipient"] for r in mail_rows} == {"eve@acme.test", "sal@acme.test"}
    assert HIDDEN not in json.dumps(mail_rows)
    assert digests[0]["points"] == 23 and "points" not in digests[1]


def test_my_standing_for_the_panel(client, auth, world):
    eve = auth.headers("eve@acme.test")
    data = client.get("/api/v1/recognition/me", headers=eve).get_json()
    assert data["opted_in"] is True
    assert data["periods"]["week"] == {
        "rank": 1,
        "points": 23,
        "shares": 2,
        "clicks": 3,
        "accepted_proposals": 0,
    }
    assert data["periods"]["all"]["rank"] == 1
    # Opting out removes her at once, everywhere.
    assert (
        client.patch("/api/v1/me", json={"leaderboard_opt_in": False}, headers=eve).status_code
        == 200
    )
    assert client.get("/api/v1/recognition/me", headers=eve).get_json()["opted_in"] is False
    sal = board(client, auth.headers("sal@acme.test"))
    assert rows(sal) == [(1, "Sal Sales", 10)]


def test_admin_sets_point_values_and_bad_values_are_refused(client, auth, world, admin):
    headers = auth.headers("ada@acme.test")
    settings = client.get("/api/v1/recognition/settings", headers=headers).get_json()
    good = settings | {"points": {"share": 1, "click": 5, "accepted_proposal": 3}, "top_n": 5}
    resp = client.put("/api/v1/recognition/settings", json=good, headers=headers)
    assert resp.status_code == 200 and resp.get_json() == good
    assert rows(board(client, auth.headers("eve@acme.test"))) == [
        (1, "Eve Employee", 17),
        (2, "Sal Sales", 1),
    ]

    def refused(body, path):
        resp = client.put("/api/v1/recognition/settings", json=body, headers=headers)
        assert resp.status_code == 422, resp.get_json()
        error = resp.get_json()["error"]
        assert error["code"] == "validation_failed"
        assert any(d["path"].startswith(path) for d in error["details"]), error
        return error

    refused(good | {"points": {"share": -1, "click": 1, "accepted_proposal": 0}}, "/points/share")
    refused(good | {"points": {"share": "10", "click": 1, "accepted_proposal": 0}}, "/points/share")
    refused(good | {"points": {"share": 1001, "click": 1, "accepted_proposal": 0}}, "/points/share")
    refused(good | {"top_n": 0}, "/top_n")
    refused({k: v for k, v in good.items() if k != "mail_enabled"}, "/")
    templates = json.loads(json.dumps(good["templates"]))
    templates["top"]["body"] = "Well done {name}, {first_name}!"
    error = refused(good | {"templates": templates}, "/templates")
    assert "{first_name}" in json.dumps(error)
    # Nothing was lost: the saved values stand.
    assert client.get("/api/v1/recognition/settings", headers=headers).get_json() == good


def test_an_accepted_proposal_scores_for_its_proposer(client, auth, world):
    """Eve's link, accepted by an admin through the queue, adds the proposal points (25)."""
    eve = auth.headers("eve@acme.test")
    ada = auth.headers("ada@acme.test")
    sent = client.post("/api/v1/proposals", json={"url": "https://acme.test/found-it"}, headers=eve)
    assert sent.status_code == 201, sent.get_json()
    accepted = client.post(f"/api/v1/proposals/{sent.get_json()['id']}/accept", headers=ada)
    assert accepted.status_code == 200, accepted.get_json()
    data = board(client, eve, period="week")
    assert data["me"]["accepted_proposals"] == 1
    assert rows(data)[0] == (1, "Eve Employee", 23 + 25)
