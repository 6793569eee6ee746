"""Tracked links: /r/<code> redirects to the stored http(s) target and counts the click, no IP."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import Click, TrackedLink
from server.snippets import create_snippet, transition
from server.tracked_links import ua_family

TARGET = "https://acme.test/launch?utm_source=herald"


@pytest.fixture
def link(admin, employee):
    with db.connection_context():
        snippet = create_snippet(
            admin, {"title": "Launch", "variants": {"x": ["We launched"]}, "link_url": TARGET}
        )
        snippet = transition(admin, snippet, "approve")
        return TrackedLink.create(
            code="Zx9-abc_DEF", user=employee, snippet=snippet, target_url=TARGET
        )


def clicks():
    with db.connection_context():
        return list(Click.select())


def test_redirects_and_counts_the_click(client, link):
    resp = client.get(
        "/r/Zx9-abc_DEF",
        headers={
            "Referer": "https://www.linkedin.com/feed/update/urn:li:activity:123?trk=abc",
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == TARGET
    assert resp.headers["Cache-Control"] == "no-store"
    [click] = clicks()
    assert click.link_id == link.id
    assert click.referrer_host == "www.linkedin.com"
    assert click.ua_family == "chrome"
    assert click.at is not None


def test_no_ip_or_referrer_path_is_stored(client, link):
    client.get(
        "/r/Zx9-abc_DEF",
        headers={"Referer": "https://t.co/secret-path"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    columns = {c.name for c in db.get_columns("click")}
    assert not {c for c in columns if "ip" in c.split("_") or "addr" in c}
    [click] = clicks()
    stored = " ".join(str(getattr(click, f)) for f in click._meta.fields)
    assert "198.51.100.7" not in stored and "secret-path" not in stored
    assert click.referrer_host == "t.co"


def test_query_string_is_not_passed_on(client, link):
    resp = client.get("/r/Zx9-abc_DEF?next=https://evil.test/")
    assert resp.headers["Location"] == TARGET


def test_unknown_code_is_404_in_the_error_shape(client, link):
    resp = client.get("/r/does-not-exist")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"
    html = client.get("/r/does-not-exist", headers={"Accept": "text/html"})
    assert html.status_code == 404 and b"Link not found" in html.data
    assert clicks() == []


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(document.cookie)", "data:text/html,hi", "//evil.test", "ftp://x.test/"],
)
def test_a_stored_non_http_target_is_never_produced(client, link, target):
    with db.connection_context():
        TrackedLink.update(target_url=target).where(TrackedLink.id == link.id).execute()
    resp = client.get("/r/Zx9-abc_DEF")
    assert resp.status_code == 404
    assert "Location" not in resp.headers
    assert clicks() == []


@pytest.mark.parametrize(
    "agent, family",
    [
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "edge",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "firefox"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1",
            "safari",
        ),
        (
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "bot",
        ),
        ("Twitterbot/1.0", "bot"),
        ("", "other"),
        ("Lynx/2.9", "other"),
    ],
)
def test_user_agent_families(agent, family):
    assert ua_family(agent) == family


def test_tracked_link_from_suggestions_round_trips(client, auth, link, employee):
    headers = auth.headers("eve@acme.test")
    item = client.get("/api/v1/suggestions?network=x", headers=headers).get_json()["items"][0]
    assert item["link"] == "http://herald.test/r/Zx9-abc_DEF"
    resp = client.get(item["link"].removeprefix("http://herald.test"))
    assert resp.status_code == 302 and resp.headers["Location"] == TARGET
