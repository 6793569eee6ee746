"""Clicks that mean something: crawlers and link previews are kept apart, a visitor counts once a day.

LinkedIn's and X's preview fetchers open every shared link, and an employee can click their own link
thirty times: neither may move clicks, EMV or the leaderboard. The reader is always sent on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from server import analytics
from server.db import db
from server.models import Click, Setting, TrackedLink, utcnow
from server.snippets import create_snippet, transition
from server.tracked_links import is_bot, record_click
from server.visitors import SALT_KEY
from tests.conftest import make_user

TARGET = "https://acme.test/launch"

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
BROWSERS = [CHROME, FIREFOX, SAFARI, IPHONE, ANDROID]
BOTS = [
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "",
]


@pytest.fixture
def sharer(app):
    return make_user("sam@acme.test", leaderboard_opt_in=True, name="Sam Sharer")


@pytest.fixture
def link(admin, sharer):
    with db.connection_context():
        snippet = create_snippet(
            admin, {"title": "Launch", "variants": {"x": ["We launched"]}, "link_url": TARGET}
        )
        snippet = transition(admin, snippet, "approve")
        return TrackedLink.create(code="abcDEF12", user=sharer, snippet=snippet, target_url=TARGET)


def visit(client, agent: str, address: str = "198.51.100.7"):
    resp = client.get(
        "/r/abcDEF12", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == TARGET
    return resp


def summary() -> dict:
    with db.connection_context():
        return analytics.summary(analytics.parse_period(None, None))


def leaderboard_clicks(data: dict) -> int:
    [row] = [r for r in data["leaderboard"] if r["name"] == "Sam Sharer"]
    return row["clicks"]


@pytest.fixture
def shared(link, sharer):
    """Sam shared the snippet on X, so Sam is on the leaderboard and clicks earn EMV."""
    from server.models import Share

    with db.connection_context():
        Share.create(
            event_id="7d1c1e44-8a5b-4f0e-9c1a-1b2c3d4e5f60",
            user=sharer,
            network="x",
            snippet=link.snippet_id,
            variant=0,
            shared_at=utcnow() - timedelta(hours=1),
        )


@pytest.mark.parametrize("agent", BOTS)
def test_crawlers_and_preview_fetchers_are_detected(agent):
    assert is_bot(agent)


@pytest.mark.parametrize("agent", BROWSERS)
def test_real_browsers_are_not_bots(agent):
    assert not is_bot(agent)


def test_bot_fetches_are_kept_apart_from_clicks_emv_and_leaderboard(client, shared):
    for agent in BOTS:
        visit(client, agent)
    visit(client, CHROME)
    with db.connection_context():
        assert Click.select().count() == len(BOTS) + 1  # nothing is lost
        assert Click.select().where(Click.bot == True).count() == len(BOTS)  # noqa: E712
    data = summary()
    assert data["clicks"]["total"] == 1
    assert data["clicks"]["bots"] == len(BOTS)
    assert data["emv"]["by_network"]["x"]["clicks"] == 1
    assert leaderboard_clicks(data) == 1
    assert data["top_content"][0]["clicks"] == 1


def test_clicking_ones_own_link_thirty_times_counts_once(client, shared):
    for _ in range(30):
        visit(client, FIREFOX, "203.0.113.5")
    data = summary()
    assert data["clicks"]["total"] == 1
    assert leaderboard_clicks(data) == 1
    assert data["emv"]["by_network"]["x"]["clicks"] == 1
    # Other people (another address, or another browser) are other visitors.
    visit(client, FIREFOX, "203.0.113.6")
    visit(client, IPHONE, "203.0.113.5")
    assert summary()["clicks"]["total"] == 3


def test_a_flood_stops_being_recorded_but_every_visit_is_redirected(app, client, shared):
    limit = app.config["CLICK_RATE_PER_MINUTE"]
    for _ in range(limit + 15):
        visit(client, SAFARI, "192.0.2.44")  # each asserts the 302 to the target
    with db.connection_context():
        rows = list(Click.select())
    assert len(rows) == limit
    assert sum(not r.repeat for r in rows) == 1
    assert summary()["clicks"]["repeats"] == limit - 1


def test_the_address_is_never_stored_and_the_salt_rotates_daily(app, client, shared, link):
    visit(client, CHROME, "198.51.100.77")
    with db.connection_context():
        [click] = Click.select()
        stored = " ".join(str(getattr(click, f)) for f in click._meta.fields)
        assert "198.51.100.77" not in stored
        assert click.visitor and len(click.visitor) == 32
        salt = Setting.get(Setting.key == SALT_KEY).value
        assert salt["day"] == utcnow().date().isoformat()

        # Tomorrow the salt is replaced (the old one is gone) and the same person counts again.
        tomorrow = utcnow() + timedelta(days=1)
        outcome = record_click(link.id, "198.51.100.77", CHROME, None, 20, now=tomorrow)
        assert outcome == "counted"
        new_salt = Setting.get(Setting.key == SALT_KEY).value
        assert new_salt["day"] == tomorrow.date().isoformat()
        assert new_salt["salt"] != salt["salt"]
        assert salt["salt"] not in str([s.value for s in Setting.select()])
        second = Click.select().order_by(Click.id.desc()).first()
        assert second.visitor != click.visitor


def test_the_salt_is_not_a_console_setting(app, client, shared):
    visit(client, CHROME)
    from server.settings import all_settings

    with db.connection_context():
        assert SALT_KEY not in all_settings()


def test_dashboard_shows_bot_fetches_separately(admin_console, shared):
    client = admin_console.client
    for agent in BOTS[:3]:
        visit(client, agent)
    visit(client, CHROME)
    page = admin_console.page("/admin/")
    assert "bot/preview fetches: 3" in page


def test_clicks_export_marks_bots_and_repeats(admin_console, shared):
    client = admin_console.client
    visit(client, BOTS[0])
    visit(client, CHROME)
    visit(client, CHROME)
    body = client.get("/admin/exports/clicks.csv").get_data(as_text=True)
    lines = body.lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    assert header[-1] == "counted"
    counted = sorted(line.split(",")[-1] for line in lines[1:])
    assert counted == ["no (bot/preview)", "no (repeat)", "yes"]
