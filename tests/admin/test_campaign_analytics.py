"""Per-campaign figures: shares, distinct sharers, clicks (bots and repeats left out) and EMV by
network, in the API, on the campaigns page and as CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest

from server.db import db
from server.models import Campaign, Click, utcnow
from server.settings import set_setting
from tests.admin.conftest import add_clicks, add_share, add_snippet
from tests.conftest import make_user

RATES = {
    "linkedin": {"cpm": 20.0, "cpc": 2.0, "avg_audience": 400},
    "x": {"cpm": 10.0, "cpc": 1.0, "avg_audience": 200},
}


def noon(days_ago: int) -> datetime:
    return datetime.combine(utcnow().date() - timedelta(days=days_ago), time(12))


def period_args() -> dict[str, str]:
    today = utcnow().date()
    return {"from": (today - timedelta(days=13)).isoformat(), "to": today.isoformat()}


@pytest.fixture
def campaigns(app, admin):
    """Launch: two snippets, alice (1000 followers) and bob share; Quiet: nobody shares."""
    alice = make_user("alice@acme.test", name="Alice", follower_count=1000)
    bob = make_user("bob@acme.test", name="Bob")
    with db.connection_context():
        set_setting("emv_rates", RATES)
        set_setting("emv_currency", "EUR")
        launch = Campaign.create(name="Launch week", hashtag="LaunchWeek")
        quiet = Campaign.create(name="Quiet campaign")
    day_one = add_snippet("Day one", campaign=launch)
    day_two = add_snippet("Day two", campaign=launch)
    other = add_snippet("No campaign")
    add_share(alice, "linkedin", noon(1), day_one)
    add_share(alice, "x", noon(2), day_two)
    add_share(alice, "linkedin", noon(3), day_two)
    add_share(bob, "linkedin", noon(2), day_one)
    add_share(bob, "linkedin", noon(2), day_one, suspect_reason="before_snippet")  # not counted
    add_share(bob, "x", noon(20), day_one)  # before the period
    add_share(bob, "x", noon(1), other)  # another snippet, no campaign
    add_clicks(alice, day_one, noon(1), 3, referrer="lnkd.in")
    add_clicks(
        alice, day_two, noon(2), 1
    )  # no referrer: alice shared day two on both, LinkedIn first
    add_clicks(bob, day_one, noon(2), 2, referrer="t.co")
    add_clicks(bob, other, noon(1), 5, referrer="t.co")  # not the campaign's
    with db.connection_context():
        bot_link = add_clicks(bob, day_one, noon(1), 0)
        Click.create(link=bot_link, at=noon(1), referrer_host="t.co", bot=True)
        Click.create(link=bot_link, at=noon(1), referrer_host="t.co", repeat=True)
    return {"launch": launch, "quiet": quiet}


def test_the_api_gives_each_campaigns_figures_by_network(client, auth, campaigns):
    resp = client.get(
        "/api/v1/analytics/campaigns",
        query_string=period_args(),
        headers=auth.headers("ada@acme.test"),
    )
    assert resp.status_code == 200  # and @returns checked it against analytics/campaigns
    body = resp.get_json()
    assert body["currency"] == "EUR"
    assert [item["campaign"]["name"] for item in body["items"]] == [
        "Launch week",
        "Quiet campaign",
    ]
    launch, quiet = body["items"]
    assert launch["campaign"]["hashtag"] == "#LaunchWeek"
    assert launch["shares"] == {"total": 4, "by_network": {"linkedin": 3, "x": 1}}
    # alice shared on both networks: counted once in the total
    assert launch["sharers"] == {"total": 2, "by_network": {"linkedin": 2, "x": 1}}
    assert launch["clicks"] == {
        "total": 6,
        "by_network": {"linkedin": 4, "x": 2},
        "unattributed": 0,
        "bots": 1,
    }
    # LinkedIn: alice 2 x 1000 + bob 1 x 400 = 2400 impressions x 20 / 1000 + 4 clicks x 2
    # X: alice 1 x 1000 x 10 / 1000 + 2 clicks x 1
    assert launch["emv"]["by_network"] == {
        "linkedin": pytest.approx(48 + 8),
        "x": pytest.approx(10 + 2),
    }
    assert launch["emv"]["total"] == pytest.approx(68.0)
    assert quiet["shares"]["total"] == 0 and quiet["sharers"]["total"] == 0
    assert quiet["clicks"]["total"] == 0 and quiet["emv"]["total"] == 0


def test_a_period_without_the_shares_shows_zeros(client, auth, campaigns):
    today = utcnow().date()
    args = {
        "from": (today - timedelta(days=40)).isoformat(),
        "to": (today - timedelta(days=30)).isoformat(),
    }
    body = client.get(
        "/api/v1/analytics/campaigns", query_string=args, headers=auth.headers("ada@acme.test")
    ).get_json()
    assert all(item["shares"]["total"] == 0 for item in body["items"])


def test_a_bad_period_is_refused_in_the_one_error_shape(client, auth, campaigns):
    resp = client.get(
        "/api/v1/analytics/campaigns",
        query_string={"from": "yesterday"},
        headers=auth.headers("ada@acme.test"),
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "invalid_period"


def test_the_campaigns_page_shows_the_figures(admin_console, campaigns):
    today = utcnow().date()
    html = admin_console.page(
        f"/admin/campaigns?from={(today - timedelta(days=13)).isoformat()}&to={today.isoformat()}"
    )
    assert 'id="campaign-figures"' in html
    row = html.split('data-campaign-figures="{}"'.format(campaigns["launch"].id))[1].split("</tr>")[
        0
    ]
    cells = [re.sub(r"<[^>]+>", "", c.split(">", 1)[1]).strip() for c in row.split("<td")[1:]]
    # shares LinkedIn, X, total; sharers; clicks LinkedIn, X, total; EMV
    assert cells[:8] == [
        "3",
        "1",
        "4",
        "2",
        "4",
        "2",
        "6",
        "≈&nbsp;68.00&nbsp;EUR",
    ]  # the figure never wraps
    assert "/admin/exports/campaigns.csv?from=" in html


def test_the_campaigns_csv_has_a_row_per_campaign(admin_console, campaigns):
    resp = admin_console.client.get("/admin/exports/campaigns.csv", query_string=period_args())
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["campaign"] for row in rows] == ["Launch week", "Quiet campaign"]
    launch = rows[0]
    assert launch["hashtag"] == "#LaunchWeek"
    assert (launch["shares_linkedin"], launch["shares_x"], launch["shares_total"]) == (
        "3",
        "1",
        "4",
    )
    assert (launch["sharers_linkedin"], launch["sharers_x"], launch["sharers_total"]) == (
        "2",
        "1",
        "2",
    )
    assert (launch["clicks_linkedin"], launch["clicks_x"], launch["clicks_total"]) == (
        "4",
        "2",
        "6",
    )
    assert launch["clicks_bots_not_counted"] == "1"
    assert (launch["emv_linkedin"], launch["emv_x"], launch["emv_total"]) == (
        "56.00",
        "12.00",
        "68.00",
    )
    assert launch["currency"] == "EUR"
