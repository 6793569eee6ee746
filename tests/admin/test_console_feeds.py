"""The Feeds console page: add a feed, poll it now, see each poll's outcome and the drafts."""

from __future__ import annotations

import re

import pytest

from server.db import db
from server.models import FeedEntry, FeedSource, GuidelineRule, Team
from server.policy_store import load_starter_policy
from tests.server.test_feeds import FeedHandler, feed_server  # noqa: F401 (fixture)


@pytest.fixture
def feeds_console(admin_console, app):
    app.config.update(FEED_ALLOW_PRIVATE="1", FEED_TIMEOUT_SECONDS=1, FEED_MAX_BYTES=1_000_000)
    return admin_console


def test_add_poll_pause_and_delete_a_feed(feeds_console, feed_server):  # noqa: F811
    with db.connection_context():
        team = Team.create(name="Engineering")
        if not GuidelineRule.select().exists():
            load_starter_policy()
    resp = feeds_console.post(
        "/admin/feeds",
        {
            "name": "Acme blog",
            "url": f"{feed_server}/rss2_cdata.xml",
            "team_ids": [str(team.id)],
            "language": "en",
            "naming": "title",
            "third_party": "on",
        },
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "Feed Acme blog added." in page and "Never polled" in page
    with db.connection_context():
        source = FeedSource.get(FeedSource.name == "Acme blog")
    page = feeds_console.post(f"/admin/feeds/{source.id}/poll", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Acme blog: 4 new draft(s) from 4 entries." in page
    assert "4 new of 4" in page and "HTTP 200" in page
    detail = feeds_console.page(f"/admin/feeds/{source.id}")
    assert "Acme Cloud 3.0 &amp; the new scheduler" in detail
    assert "LinkedIn: Mention that you work for Acme" in detail  # checked on creation
    with db.connection_context():
        entry = FeedEntry.get(
            FeedEntry.link == "https://blog.acme.test/2026/acme-cloud-3?utm_source=rss"
        )
    snippet_page = feeds_console.page(f"/admin/snippets/{entry.snippet_id}")
    assert re.search(
        r'Drafted from the feed <a href="/admin/feeds/\d+">Acme blog</a>', snippet_page
    )
    assert '<span class="badge">third-party</span>' in snippet_page
    assert detail.count('<span class="badge">third-party</span>') == 5  # the feed and 4 drafts
    assert "1 entry with a link other than http or https: the link was left out" in detail
    page = feeds_console.post(
        f"/admin/feeds/{source.id}/poll",
        {"next": f"/admin/feeds/{source.id}"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "not modified since the last poll; nothing new." in page
    assert re.search(r"<td>304</td><td>\s*Not modified", page)
    page = feeds_console.post(f"/admin/feeds/{source.id}/pause", follow_redirects=True).get_data(
        as_text=True
    )
    assert 'class="status status-paused">paused' in page and ">Resume</button>" in page
    page = feeds_console.post(f"/admin/feeds/{source.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Acme blog is deleted; the drafts it made stay." in page
    assert "No feeds yet." in page


def test_a_failing_feed_says_why(feeds_console, feed_server):  # noqa: F811
    feeds_console.post("/admin/feeds", {"name": "Old blog", "url": f"{feed_server}/gone.xml"})
    with db.connection_context():
        source = FeedSource.get(FeedSource.name == "Old blog")
    for _ in range(5):
        page = feeds_console.post(f"/admin/feeds/{source.id}/poll", follow_redirects=True).get_data(
            as_text=True
        )
    assert "Old blog: the poll failed: The server answered HTTP 404 Not Found." in page
    assert 'class="status status-failing">failing' in page
    assert "5 failed polls in a row" in page
    bad = feeds_console.post(
        "/admin/feeds", {"name": "Script", "url": "javascript:alert(1)"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The feed was not added. url:" in bad
