"""Analytics summary on known data: funnel, activity, clicks, EMV math, leaderboard privacy."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from server import analytics
from server.db import db
from server.models import User, utcnow
from server.settings import set_setting
from tests.admin.conftest import add_clicks, add_share, add_snippet
from tests.conftest import make_user

RATES = {
    "linkedin": {"cpm": 20.0, "cpc": 2.0, "avg_audience": 400},
    "x": {"cpm": 10.0, "cpc": 1.0, "avg_audience": 200},
}


def noon(days_ago: int) -> datetime:
    return datetime.combine(utcnow().date() - timedelta(days=days_ago), time(12))


@pytest.fixture
def known(app, admin):
    """Two sharers (one opted in to the leaderboard, with a follower count), one invitee."""
    alice = make_user(
        "alice@acme.test",
        teams=("Engineering",),
        name="Alice Opted",
        leaderboard_opt_in=True,
        follower_count=1000,
    )
    bob = make_user("bob@acme.test", teams=("Sales",), name="Bob Private")
    with db.connection_context():
        User.create(email="carol@acme.test", name="Carol", status="invited")
        set_setting("emv_rates", RATES)
    launch = add_snippet("Launch day")
    add_share(alice, "linkedin", noon(1), launch)
    add_share(alice, "linkedin", noon(3), launch)
    add_share(alice, "x", noon(3), launch)
    add_share(bob, "linkedin", noon(2), launch)
    add_share(bob, "x", noon(10))  # the employee's own post: no snippet
    add_share(alice, "linkedin", noon(20), launch)  # before the period
    add_clicks(alice, launch, noon(1), 3, referrer="lnkd.in")
    add_clicks(alice, launch, noon(1), 2)  # no referrer: alice shared it mostly on LinkedIn
    add_clicks(bob, launch, noon(2), 1, referrer="t.co")
    add_clicks(bob, launch, noon(30), 4, referrer="t.co")  # outside the period
    return {"alice": alice, "bob": bob, "launch": launch}


def period_args() -> dict[str, str]:
    today = utcnow().date()
    return {"from": (today - timedelta(days=13)).isoformat(), "to": today.isoformat()}


def test_summary_figures_on_known_data(app, known):
    with app.app_context(), db.connection_context():
        args = period_args()
        data = analytics.summary(analytics.parse_period(args["from"], args["to"]))
    assert data["period"]["days"] == 14
    assert data["funnel"] == {"invited": 4, "joined": 3, "shared": 2}
    assert data["shares"]["total"] == 5
    assert data["shares"]["by_network"] == {"linkedin": 3, "x": 2}
    assert sum(day["total"] for day in data["shares"]["per_day"]) == 5
    assert len(data["shares"]["per_day"]) == 14
    assert data["clicks"]["total"] == 6
    assert data["clicks"]["by_network"] == {"linkedin": 5, "x": 1}
    assert max(w["sharers"] for w in data["weekly_active_sharers"]) >= 1
    assert data["top_content"] == [
        {
            "snippet_id": known["launch"].id,
            "title": "Launch day",
            "shares": 4,
            "sharers": 2,
            "clicks": 6,
        }
    ]
    assert [(t["name"], t["shares"]) for t in data["top_teams"]] == [
        ("Engineering", 3),
        ("Sales", 2),
    ]


def test_emv_uses_follower_counts_where_given_and_real_clicks(app, known):
    with app.app_context(), db.connection_context():
        args = period_args()
        emv = analytics.summary(analytics.parse_period(args["from"], args["to"]))["emv"]
    assert emv["estimate"] is True
    linkedin, x = emv["by_network"]["linkedin"], emv["by_network"]["x"]
    # LinkedIn: alice 2 shares x 1000 followers + bob 1 share x 400 average = 2400 impressions.
    assert linkedin["estimated_impressions"] == 2400
    assert linkedin["value"] == pytest.approx(20 * 2400 / 1000 + 2 * 5)  # 58.00
    # X: alice 1000 + bob 200 = 1200 impressions, 1 click.
    assert x["estimated_impressions"] == 1200
    assert x["value"] == pytest.approx(10 * 1200 / 1000 + 1 * 1)  # 13.00
    assert emv["total"] == pytest.approx(71.0)


def test_emv_formula_alone(app):
    with app.app_context(), db.connection_context():
        result = analytics.emv_for(
            {"linkedin": [None, None, 250], "x": []},
            {"linkedin": 4, "x": 7},
            {
                "linkedin": {"cpm": 30, "cpc": 5, "avg_audience": 500},
                "x": {"cpm": 6.5, "cpc": 1.5, "avg_audience": 300},
            },
        )
    # LinkedIn: (500 + 500 + 250) impressions x 30 / 1000 + 4 clicks x 5 = 37.5 + 20.
    assert result["by_network"]["linkedin"]["value"] == pytest.approx(57.5)
    # X: no shares, yet its 7 real clicks still count at the CPC.
    assert result["by_network"]["x"]["value"] == pytest.approx(10.5)
    assert result["total"] == pytest.approx(68.0)
    assert result["currency"] == "USD"


def test_leaderboard_lists_only_employees_who_opted_in(app, known):
    with app.app_context(), db.connection_context():
        args = period_args()
        board = analytics.summary(analytics.parse_period(args["from"], args["to"]))["leaderboard"]
    assert [(row["name"], row["shares"], row["clicks"]) for row in board] == [("Alice Opted", 3, 5)]


def test_the_api_serves_the_summary_to_admins_only(client, auth, known):
    admin_headers = auth.headers("ada@acme.test")
    resp = client.get(
        "/api/v1/analytics/summary", query_string=period_args(), headers=admin_headers
    )
    assert resp.status_code == 200  # and @returns checked it against the schema under test
    assert resp.get_json()["funnel"]["shared"] == 2
    employee = auth.headers("bob@acme.test")
    assert client.get("/api/v1/analytics/summary", headers=employee).status_code == 403
    assert client.get("/api/v1/analytics/summary").status_code == 401


@pytest.mark.parametrize(
    "args",
    [
        {"from": "2025-02-30"},
        {"from": "2025-03-10", "to": "2025-03-01"},
        {"from": "2020-01-01", "to": "2025-01-01"},
    ],
)
def test_bad_periods_are_422(client, auth, admin, args):
    resp = client.get(
        "/api/v1/analytics/summary", query_string=args, headers=auth.headers(admin.email)
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "invalid_period"


def test_default_period_is_the_last_28_days(client, auth, admin):
    data = client.get("/api/v1/analytics/summary", headers=auth.headers(admin.email)).get_json()
    assert data["period"]["days"] == 28
    assert data["period"]["to"] == utcnow().date().isoformat()


def test_dashboard_shows_the_figures_as_charts_and_tables(admin_console, known):
    page = admin_console.page("/admin/?from={from}&to={to}".format(**period_args()))
    assert page.count('class="pygal-chart"') == 5  # with the content mix
    assert "<script" not in page.split("<main")[1].split("</main>")[0]  # charts carry no scripts
    assert "≈ 71.00 USD" in page
    assert "earned media value <strong>(estimate)</strong>" in page
    assert "Alice Opted" in page
    assert "Bob Private" not in page  # not opted in: never on the dashboard
    assert "<td>Engineering</td>" in page
    assert "Launch day" in page


def test_dashboard_explains_a_bad_period(admin_console):
    resp = admin_console.client.get("/admin/?from=2025-03-10&to=2025-03-01")
    assert resp.status_code == 200
    assert "`from` must not be after `to`." in resp.get_data(as_text=True)
