"""Feed sources end to end: real feed files served over HTTP on loopback, polled through the API,
and the drafts a curator would find afterwards."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidelines import x_weighted_length
from server.cli import main
from server.db import db
from server.models import Campaign, FeedEntry, FeedPoll, FeedSource, Snippet, SnippetTeam, Team

DATA = Path(__file__).parent / "data" / "feeds"
LAST_MODIFIED = "Tue, 01 Dec 2026 09:00:00 GMT"


class FeedHandler(BaseHTTPRequestHandler):
    """Serves tests/server/data/feeds/ with ETag/Last-Modified, plus a few hostile paths."""

    hits: Counter = Counter()

    def log_message(self, *args):  # keep pytest's output clean
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        self.hits[path] += 1
        if path == "/slow.xml":
            time.sleep(2)
            return self._send(200, b"<rss version='2.0'><channel></channel></rss>")
        if path == "/huge.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
            filler = b"<!-- " + b"x" * 65536 + b" -->"
            try:
                for _ in range(20 * 16):  # ~20 MB
                    self.wfile.write(filler)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path.startswith("/redirect-to/"):
            self.send_response(302)
            self.send_header("Location", path.removeprefix("/redirect-to/").replace("|", "/"))
            self.end_headers()
            return None
        if path == "/gone.xml":
            return self._send(404, b"not here", "text/plain")
        file = DATA / path.lstrip("/")
        if not file.is_file() or file.parent != DATA:
            return self._send(404, b"not here", "text/plain")
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        kind = "text/html; charset=utf-8" if file.suffix == ".html" else "application/xml"
        return self._send(200, body, kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _send(self, status, body, kind="application/rss+xml", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class FeedServer(ThreadingHTTPServer):
    """A real server's listen backlog: polls fetch up to 8 feeds at once (socketserver's 5 makes
    the kernel drop the extra connections' SYNs, a 1 s retry)."""

    request_queue_size = 128


@pytest.fixture(scope="module")
def feed_server():
    server = FeedServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # clients that hang up on /huge.xml
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def feeds_app(app):
    app.config.update(FEED_ALLOW_PRIVATE="1", FEED_TIMEOUT_SECONDS=1, FEED_MAX_BYTES=1_000_000)
    return app


@pytest.fixture
def admin_headers(feeds_app, auth, admin):
    return auth.headers(admin.email)


def add_feed(client, headers, url, **fields):
    resp = client.post(
        "/api/v1/feeds", json={"name": "Feed", "url": url, **fields}, headers=headers
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def poll(client, headers, feed_id):
    resp = client.post(f"/api/v1/feeds/{feed_id}/poll", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def drafts(ids):
    """{title: (snippet, {network: text})} as the curator would open them."""
    with db.connection_context():
        found = {}
        for snippet in Snippet.select().where(Snippet.id.in_(ids)):
            found[snippet.title] = (
                snippet,
                {v.network: v.text for v in snippet.variants},
            )
        return found


def test_rss2_entries_become_drafts_once(client, admin_headers, feed_server):
    with db.connection_context():
        team = Team.create(name="Engineering")
        campaign = Campaign.create(name="Cloud 3")
    feed = add_feed(
        client,
        admin_headers,
        f"{feed_server}/rss2_cdata.xml",
        name="Acme blog",
        team_ids=[team.id],
        campaign_id=campaign.id,
        third_party=True,
        naming="source_and_title",
    )
    first = poll(client, admin_headers, feed["id"])
    assert first["http_status"] == 200 and first["error"] is None
    assert (first["items_new"], first["items_seen"]) == (4, 4)
    assert "1 entry with a link other than http or https: the link was left out" in first["warning"]
    assert "1 entry without a link" in first["warning"]
    found = drafts(first["snippet_ids"])
    assert sorted(found) == [
        "Acme blog: A link that runs code",
        "Acme blog: Acme Cloud 3.0 & the new scheduler",
        "Acme blog: Hiring: SREs in Lisbon",
        "Acme blog: Office hours: no link this week",
    ]
    snippet, texts = found["Acme blog: Acme Cloud 3.0 & the new scheduler"]
    assert (snippet.status, snippet.source, snippet.campaign_id) == ("draft", "feed", campaign.id)
    assert snippet.link_url == "https://blog.acme.test/2026/acme-cloud-3?utm_source=rss"
    assert "40 % tighter — and costs you less" in texts["linkedin"]
    assert "<" not in texts["linkedin"] and "&mdash;" not in texts["linkedin"]
    assert "alert" not in texts["linkedin"]
    assert texts["x"].endswith(" https://blog.acme.test/2026/acme-cloud-3?utm_source=rss")
    assert texts["x"].startswith("Acme blog: Acme Cloud 3.0 & the new scheduler: Today we ship")
    assert "…" in texts["x"]  # the long summary was cut to fit
    assert 250 < x_weighted_length(texts["x"]) <= 280
    # a relative link is resolved against the feed's URL; javascript: is refused, not kept
    _, jobs = found["Acme blog: Hiring: SREs in Lisbon"]
    assert jobs["x"].endswith(f"{feed_server}/jobs/sre-lisbon")
    code, code_texts = found["Acme blog: A link that runs code"]
    assert code.link_url is None and "javascript" not in " ".join(code_texts.values())
    with db.connection_context():
        assert SnippetTeam.get(SnippetTeam.snippet == snippet.id).team_id == team.id
        entry = FeedEntry.get(FeedEntry.snippet == snippet.id)
        assert entry.third_party is True
        assert set(entry.findings) == {"linkedin", "x"}
    # Second poll: the server answers 304, nothing new is made.
    second = poll(client, admin_headers, feed["id"])
    assert (second["http_status"], second["items_new"], second["snippet_ids"]) == (304, 0, [])
    # The same entries under another source (no ETag yet): all duplicates.
    other = add_feed(client, admin_headers, f"{feed_server}/rss2_cdata.xml?copy=1")
    third = poll(client, admin_headers, other["id"])
    assert (third["http_status"], third["items_new"], third["items_seen"]) == (200, 0, 4)
    shown = client.get(f"/api/v1/feeds/{feed['id']}", headers=admin_headers).get_json()
    assert shown["entry_count"] == 4
    assert [p["http_status"] for p in shown["recent_polls"]] == [304, 200]


def test_rss1_atom_and_encodings(client, admin_headers, feed_server):
    titles = {}
    for name, language in (
        ("rss1_rdf.xml", "en"),
        ("atom_xhtml.xml", "el"),
        ("ru_cp1251.xml", "ru"),
        ("wrong_encoding.xml", "el"),
    ):
        feed = add_feed(client, admin_headers, f"{feed_server}/{name}", language=language)
        result = poll(client, admin_headers, feed["id"])
        assert result["error"] is None, (name, result)
        titles[name] = result
    found = drafts([i for r in titles.values() for i in r["snippet_ids"]])
    assert "Partner wins the Green Cloud award" in found
    athens, athens_texts = found["Νέο γραφείο στην Αθήνα"]
    assert athens.link_url == "https://intl.acme.test/news/athens-office"  # xml:base applied
    assert "Η Acme ανοίγει νέο γραφείο στην Αθήνα τον Ιανουάριο." in athens_texts["linkedin"]
    assert athens.language == "el"
    _, bangkok = found["เปิดสำนักงานใหม่ที่กรุงเทพฯ"]
    assert bangkok["x"].endswith(" https://intl.acme.test/th/bangkok-office")
    assert x_weighted_length(bangkok["x"]) <= 280 and "…" in bangkok["x"]
    kazan, kazan_texts = found["Акме открывает центр обработки данных в Казани"]
    assert "Новый центр начнёт работу весной «с нуля»." in kazan_texts["linkedin"]
    assert kazan.language == "ru"
    assert "Καλωσορίζουμε τη νέα μας ομάδα" in found
    assert "us-ascii" in titles["wrong_encoding.xml"]["warning"]


def test_bad_input_is_stored_and_explained(client, admin_headers, feed_server, feeds_app):
    cases = {
        "not_a_feed.html": "is not an RSS or Atom feed",
        "gone.xml": "HTTP 404",
        "slow.xml": "Timed out after 1 s",
        "huge.xml": "larger than 1,000,000 bytes",
        "redirect-to/ftp:||files.acme.test|feed.xml": "redirects to a ftp: URL",
        "redirect-to/file:|||etc|passwd": "redirects to a file: URL",
    }
    for path, message in cases.items():
        feed = add_feed(client, admin_headers, f"{feed_server}/{path}")
        result = poll(client, admin_headers, feed["id"])
        assert message in (result["error"] or ""), (path, result)
        assert result["items_new"] == 0
    refused = add_feed(client, admin_headers, "http://127.0.0.1:9/feed.xml")  # nothing listens
    assert "Cannot reach 127.0.0.1" in poll(client, admin_headers, refused["id"])["error"]
    # malformed XML: what can be read is kept, and the curator is told
    broken = poll(
        client, admin_headers, add_feed(client, admin_headers, f"{feed_server}/malformed.xml")["id"]
    )
    assert broken["error"] is None and broken["items_new"] == 2
    assert "not well-formed" in broken["warning"]
    # schemes other than http(s) are refused when the source is added
    for url in ("javascript:alert(1)", "data:text/xml,<rss/>", "ftp://acme.test/feed"):
        resp = client.post("/api/v1/feeds", json={"name": "x", "url": url}, headers=admin_headers)
        assert resp.status_code == 422 and resp.get_json()["error"]["details"][0]["path"] == "/url"


def test_private_addresses_are_blocked_unless_allowed(
    client, admin_headers, feed_server, feeds_app
):
    feeds_app.config["FEED_ALLOW_PRIVATE"] = "0"
    FeedHandler.hits.clear()
    feed = add_feed(client, admin_headers, f"{feed_server}/rss1_rdf.xml")
    result = poll(client, admin_headers, feed["id"])
    assert "private or local address" in result["error"]
    assert "HERALD_FEED_ALLOW_PRIVATE=1" in result["error"]
    assert FeedHandler.hits["/rss1_rdf.xml"] == 0
    feeds_app.config["FEED_ALLOW_PRIVATE"] = "1"
    assert poll(client, admin_headers, feed["id"])["items_new"] == 2


def test_five_failures_in_a_row_mark_the_source_failing(client, admin_headers, feed_server):
    feed = add_feed(client, admin_headers, f"{feed_server}/gone.xml")
    for _ in range(4):
        poll(client, admin_headers, feed["id"])
    shown = client.get(f"/api/v1/feeds/{feed['id']}", headers=admin_headers).get_json()
    assert (shown["status"], shown["consecutive_failures"]) == ("active", 4)
    poll(client, admin_headers, feed["id"])
    shown = client.get(f"/api/v1/feeds/{feed['id']}", headers=admin_headers).get_json()
    assert (shown["status"], shown["consecutive_failures"]) == ("failing", 5)
    assert len(shown["recent_polls"]) == 5 and all(
        p["http_status"] == 404 for p in shown["recent_polls"]
    )


def herald_poll_feeds(app, monkeypatch) -> str:
    monkeypatch.setenv("HERALD_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("HERALD_SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("HERALD_FEED_ALLOW_PRIVATE", "1")
    out = CliRunner().invoke(main, ["poll-feeds"])
    assert out.exit_code == 0, out.output
    return out.output


def test_pause_resume_delete_and_list(client, admin_headers, feed_server, feeds_app, monkeypatch):
    feed = add_feed(client, admin_headers, f"{feed_server}/rss1_rdf.xml", name="Partners")
    paused = client.post(f"/api/v1/feeds/{feed['id']}/pause", headers=admin_headers).get_json()
    assert paused["status"] == "paused"
    listing = client.get("/api/v1/feeds", headers=admin_headers).get_json()
    assert [f["name"] for f in listing["items"]] == ["Partners"]
    # `herald poll-feeds` skips paused sources
    assert herald_poll_feeds(feeds_app, monkeypatch) == ""
    with db.connection_context():
        assert FeedPoll.select().count() == 0
    client.post(f"/api/v1/feeds/{feed['id']}/resume", headers=admin_headers)
    assert herald_poll_feeds(feeds_app, monkeypatch) == "Partners: 2 new, 2 in the feed\n"
    assert client.delete(f"/api/v1/feeds/{feed['id']}", headers=admin_headers).status_code == 204
    with db.connection_context():
        assert FeedSource.select().count() == 0
        assert Snippet.select().where(Snippet.source == "feed").count() == 2  # drafts stay
    bad = client.post(
        "/api/v1/feeds",
        json={"name": "x", "url": f"{feed_server}/a.xml", "team_ids": [999], "campaign_id": 998},
        headers=admin_headers,
    )
    assert bad.status_code == 422
    assert [d["path"] for d in bad.get_json()["error"]["details"]] == ["/team_ids", "/campaign_id"]


def test_the_workers_tick_polls_each_feed_when_it_is_due(
    client, admin_headers, feed_server, feeds_app, caplog
):
    """`herald worker` polls feeds by itself: the minute tick polls a source not polled for
    FEED_POLL_MINUTES, and leaves one polled more recently alone."""
    feed = add_feed(client, admin_headers, f"{feed_server}/rss2_cdata.xml", name="Acme blog")
    tick = feeds_app.extensions["herald_tasks"]["tick"]

    def polls() -> int:
        with db.connection_context():
            return FeedPoll.select().where(FeedPoll.source == feed["id"]).count()

    with caplog.at_level("INFO", logger="herald.job"), feeds_app.app_context():
        tick.call_local()
    assert polls() == 1
    # Each job run is one JSON log line: its name, outcome and duration.
    (line,) = [r.fields for r in caplog.records if r.name == "herald.job"]
    assert (line["job"], line["status"]) == ("tick", "ok") and line["duration_ms"] >= 0
    with db.connection_context():
        assert Snippet.select().where(Snippet.source == "feed").count() == 4
    with feeds_app.app_context():
        tick.call_local()  # polled a moment ago: not due
    assert polls() == 1
    feeds_app.config["FEED_POLL_MINUTES"] = 0
    with feeds_app.app_context():
        tick.call_local()
    assert polls() == 2


def test_a_big_poll_runs_in_worker_processes_with_the_same_outcome(
    client, admin_headers, feed_server, feeds_app, monkeypatch
):
    """Polling many sources parses and checks in forked worker processes (both cores); what a
    curator sees is what an in-process poll gives: drafts with findings, duplicates across
    sources drafted once, errors stored with their HTTP status, 304s creating nothing."""
    from server import feeds

    started = []
    real_pool = feeds._pool
    monkeypatch.setattr(feeds, "POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(feeds, "_pool", lambda *a: started.append(real_pool(*a)) or started[-1])
    names = ["rss2_cdata.xml", "rss2_cdata.xml?copy=1", "not_a_feed.html", "gone.xml"]
    names += ["rss1_rdf.xml", "ru_cp1251.xml"]
    ids = [add_feed(client, admin_headers, f"{feed_server}/{n}", name=n)["id"] for n in names]
    with feeds_app.app_context(), db.connection_context():
        results = feeds.poll_sources(
            list(FeedSource.select().where(FeedSource.id.in_(ids)).order_by(FeedSource.id)),
            feeds.FetchLimits.from_config(feeds_app.config),
            processes=2,
        )
        assert len(started) == 1 and started[0] is not None  # the pool did the work
        by_name = {r.poll.source.name: r.poll for r in results}
        assert (by_name["rss2_cdata.xml"].items_new, by_name["rss2_cdata.xml"].items_seen) == (4, 4)
        assert "1 entry without a link" in by_name["rss2_cdata.xml"].warning
        copy = by_name["rss2_cdata.xml?copy=1"]
        assert (copy.http_status, copy.items_new, copy.items_seen) == (200, 0, 4)
        html = by_name["not_a_feed.html"]
        assert "is not an RSS or Atom feed" in html.error and html.http_status == 200
        assert "HTTP 404" in by_name["gone.xml"].error and by_name["gone.xml"].http_status == 404
        assert by_name["rss1_rdf.xml"].items_new > 0 and by_name["ru_cp1251.xml"].items_new > 0
        kazan = Snippet.get(Snippet.title == "Акме открывает центр обработки данных в Казани")
        assert "Новый центр начнёт работу весной «с нуля»." in kazan.variants[0].text
        entries = list(FeedEntry.select())
        assert len(entries) == sum(r.poll.items_new for r in results)
        assert entries and all(set(e.findings) == {"linkedin", "x"} for e in entries)
        again = feeds.poll_sources(
            list(FeedSource.select().where(FeedSource.id.in_(ids)).order_by(FeedSource.id)),
            feeds.FetchLimits.from_config(feeds_app.config),
            processes=2,
        )
        assert [r.poll.http_status for r in again[:2]] == [304, 304]
        assert sum(r.poll.items_new for r in again) == 0
        assert len(started) == 1  # 304s only: no workers forked for nothing
        # Validators the server no longer honours: every body comes back, all duplicates;
        # the workers are forked once the fetches are done.
        FeedSource.update(etag='"stale"', last_modified=None).execute()
        stale = feeds.poll_sources(
            list(FeedSource.select().where(FeedSource.id.in_(ids)).order_by(FeedSource.id)),
            feeds.FetchLimits.from_config(feeds_app.config),
            processes=2,
        )
    assert len(started) == 2 and started[1] is not None
    assert [(r.poll.http_status, r.poll.items_new) for r in stale] == [
        (200, 0),
        (200, 0),
        (200, 0),
        (404, 0),
        (200, 0),
        (200, 0),
    ]
    assert [r.poll.items_seen for r in stale[:2]] == [4, 4]


def test_draft_text_is_what_a_reader_sees_of_the_entry():
    """feedparser no longer sanitizes (drafts keep only text): what its sanitizer dropped with
    its content (script, style, applet) stays out of the text; entities are decoded."""
    from server.feeds import plain_text

    html = (
        "<p>Fast &amp; safe</p><script>alert(1)</script><applet code='x'>Java</applet>"
        "<style>p { color: red }</style><iframe src='https://evil.test'></iframe><p>done</p>"
    )
    assert plain_text(html) == "Fast & safe done"
