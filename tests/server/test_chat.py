"""Team chats: Slack and Microsoft Teams webhooks get the weekly digest and featured posts, once each.

Real receivers on loopback (tests/chat_support.py) validate every body against its JSON Schema and answer as
scripted; delivery runs the outbox exactly as `herald worker` does (server.delivery.deliver_due).
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from server.chat import queue_week
from server.db import db
from server.delivery import deliver_due
from server.digest import run_week
from server.models import AuditEntry, Outbox, Snippet, SnippetTeam, SnippetVariant, Team, utcnow
from tests.chat_support import Receiver
from tests.conftest import issued_secrets, make_user
from tests.mail_support import wait_until
from tests.server.test_mail import console_login

SLACK_SECRET = "T0001/B0002/slacksecretXYZ9"
TEAMS_SECRET = "workflows/teamssecretQRS7"


@pytest.fixture
def slack():
    receiver = Receiver("slack-message", ok=200).start()
    yield receiver
    receiver.stop()


@pytest.fixture
def teams():
    receiver = Receiver("teams-message", ok=202).start()  # Teams workflows answer 202 Accepted
    yield receiver
    receiver.stop()


@pytest.fixture
def chat_app(app):
    # Loopback receivers are private addresses: allowed as for feeds in dev and tests. Short retries.
    app.config.update(FEED_ALLOW_PRIVATE="1", FEED_TIMEOUT_SECONDS=2, OUTBOX_RETRY_BASE_SECONDS=1)
    issued_secrets.extend([SLACK_SECRET, TEAMS_SECRET])  # webhook URLs must never reach a log
    return app


@pytest.fixture
def admin_headers(chat_app, auth, admin):
    return auth.headers(admin.email)


@pytest.fixture
def sales(chat_app):
    with db.connection_context():
        return Team.create(name="Sales")


def deliver(app) -> dict:
    with app.app_context(), db.connection_context():
        return deliver_due()


def in_app(app, fn, *args):
    with app.app_context(), db.connection_context():
        return fn(*args)


def set_hook(client, headers, team_id, service, url):
    return client.put(f"/api/v1/teams/{team_id}/chat/{service}", json={"url": url}, headers=headers)


def snippet(title, *, featured=False, teams=(), starts_in=timedelta(0), status="draft"):
    now = utcnow()
    with db.connection_context():
        s = Snippet.create(
            title=title,
            link_url=f"https://acme.test/{title.lower().replace(' ', '-')}",
            featured=featured,
            targeted=bool(teams),
            status=status,
            starts_at=now + starts_in,
            expires_at=now + timedelta(days=30),
            approved_at=now if status == "approved" else None,
        )
        SnippetVariant.create(snippet=s, network="linkedin", text=f"{title} <is> live & well")
        for team in teams:
            SnippetTeam.create(snippet=s, team=team)
    return s


def approve(client, headers, snippet_id):
    resp = client.post(f"/api/v1/snippets/{snippet_id}/approve", headers=headers)
    assert resp.status_code == 200, resp.get_json()


def rows(app):
    with app.app_context(), db.connection_context():
        return list(Outbox.select().where(Outbox.kind == "chat").order_by(Outbox.id))


# --- Setting the URL ------------------------------------------------------------------------------


def test_admin_sets_urls_shown_masked_and_refused_with_a_reason(
    chat_app, client, admin_headers, sales, slack
):
    url = slack.url(SLACK_SECRET)
    resp = set_hook(client, admin_headers, sales.id, "slack", url)
    assert resp.status_code == 200, resp.get_json()
    [slack_hook, teams_hook] = resp.get_json()["webhooks"]
    assert slack_hook["configured"] and not teams_hook["configured"]
    assert slack_hook["url_masked"].endswith("XYZ9") and "slacksecret" not in resp.text
    assert (
        "slacksecret"
        not in client.get(f"/api/v1/teams/{sales.id}/chat", headers=admin_headers).text
    )
    with db.connection_context():
        assert "slacksecret" not in str([a.after for a in AuditEntry.select()])

    for bad, why in [
        ("http://hooks.slack.com/services/x", "https://"),
        ("ftp://127.0.0.1/hook", "https://"),
    ]:
        resp = set_hook(client, admin_headers, sales.id, "teams", bad)
        assert resp.status_code == 422, bad
        error = resp.get_json()["error"]
        assert error["code"] == "invalid_webhook" and why in error["message"], error
        assert error["details"] == [{"path": "/url", "message": error["message"]}]
    chat_app.config["FEED_ALLOW_PRIVATE"] = "0"  # production: private and loopback refused
    for bad in ("https://127.0.0.1/x", "https://10.1.2.3/hook", url):
        resp = set_hook(client, admin_headers, sales.id, "teams", bad)
        message = resp.get_json()["error"]["message"]
        assert resp.status_code == 422 and "private or local address" in message, bad
    assert set_hook(client, admin_headers, 999, "slack", url).status_code == 404
    assert (
        client.put(
            f"/api/v1/teams/{sales.id}/chat/slack", json={"url": 5}, headers=admin_headers
        ).status_code
        == 422
    )
    # Removing: nothing more goes there, and what was queued is cancelled when its turn comes.
    chat_app.config["FEED_ALLOW_PRIVATE"] = "1"
    assert (
        client.post(f"/api/v1/teams/{sales.id}/chat/slack/test", headers=admin_headers).status_code
        == 202
    )
    assert (
        client.delete(f"/api/v1/teams/{sales.id}/chat/slack", headers=admin_headers).status_code
        == 204
    )
    assert (
        client.delete(f"/api/v1/teams/{sales.id}/chat/slack", headers=admin_headers).status_code
        == 404
    )
    assert deliver(chat_app)["cancelled"] == 1 and slack.attempts() == []
    resp = client.post(f"/api/v1/teams/{sales.id}/chat/slack/test", headers=admin_headers)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "no_webhook"


def test_console_page_saves_masked_shows_errors_and_sends_a_test(
    chat_app, client, admin, sales, slack
):
    csrf = console_login(client)
    page = client.get(f"/admin/teams/{sales.id}/chat")
    assert page.status_code == 200 and page.text.count("Not connected.") == 2
    assert f"/admin/teams/{sales.id}/chat" in client.get("/admin/people").text

    resp = client.post(
        f"/admin/teams/{sales.id}/chat/slack",
        data={"url": "http://hooks.slack.com/services/T/B/x", "csrf_token": csrf},
    )
    assert resp.status_code == 422
    assert (
        "Webhook URLs must start with https://" in resp.text and 'aria-invalid="true"' in resp.text
    )

    url = slack.url(SLACK_SECRET)
    resp = client.post(
        f"/admin/teams/{sales.id}/chat/slack",
        data={"url": url, "csrf_token": csrf},
        follow_redirects=True,
    )
    assert (
        "Slack webhook saved" in resp.text
        and "XYZ9" in resp.text
        and "slacksecret" not in resp.text
    )
    assert "Send test message" in resp.text

    resp = client.post(
        f"/admin/teams/{sales.id}/chat/slack/test", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Test message queued for Slack" in resp.text
    deliver(chat_app)
    [hit] = slack.delivered()
    assert hit.path == f"/hook/{SLACK_SECRET}" and "is connected" in hit.body["text"]
    assert "Sales" in hit.body["blocks"][-1]["elements"][0]["text"]
    page = client.get(f"/admin/teams/{sales.id}/chat").text
    assert "Test message" in page and "status-sent" in page


# --- What is posted -------------------------------------------------------------------------------


def test_featured_post_reaches_both_channels_once_in_each_format(
    chat_app, client, admin_headers, sales, slack, teams
):
    assert (
        set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET)).status_code
        == 200
    )
    assert (
        set_hook(client, admin_headers, sales.id, "teams", teams.url(TEAMS_SECRET)).status_code
        == 200
    )
    with db.connection_context():
        other = Team.create(name="Finance")
    launch = snippet("Launch day", featured=True)
    hidden = snippet("Finance close", featured=True, teams=(other,))
    plain = snippet("Plain news")
    for s in (launch, hidden, plain):
        approve(client, admin_headers, s.id)
    deliver(chat_app)
    deliver(chat_app)
    from server.chat import queue_live_featured

    assert in_app(chat_app, queue_live_featured) == 0  # the worker's tick: nothing new to announce
    deliver(chat_app)

    [s_hit] = slack.delivered()
    [t_hit] = teams.delivered()
    assert s_hit.problems == [] and t_hit.problems == []
    assert s_hit.body["text"] == "Featured: Launch day"
    section = s_hit.body["blocks"][1]["text"]["text"]
    assert "<https://acme.test/launch-day|Launch day>" in section
    assert "&lt;is&gt; live &amp; well" in section  # Slack's mrkdwn control characters escaped
    assert "linkedin.com/sharing" in s_hit.body["blocks"][2]["elements"][0]["text"]
    [attachment] = t_hit.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [b.get("text") for b in card["body"]]
    assert "[Launch day](https://acme.test/launch-day)" in texts
    assert not any("Finance" in str(t) or "Plain" in str(t) for t in texts)
    assert {r.status for r in rows(chat_app)} == {"sent"} and len(rows(chat_app)) == 2


def test_featured_post_with_a_later_start_is_posted_when_the_start_comes(
    chat_app, client, admin_headers, sales, slack
):
    old = snippet("Old news", featured=True)
    approve(client, admin_headers, old.id)  # live before the channel was connected: not announced
    set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET))
    later = snippet("Next week", featured=True, starts_in=timedelta(seconds=1))
    approve(client, admin_headers, later.id)
    deliver(chat_app)
    assert slack.attempts() == []  # approved, not live yet
    from server.chat import queue_live_featured

    wait_until(lambda: in_app(chat_app, queue_live_featured) == 1, 5, "the start of the post")
    deliver(chat_app)
    [hit] = slack.delivered()
    assert hit.body["text"] == "Featured: Next week"


def test_weekly_digest_gives_each_team_channel_its_new_posts_once(
    chat_app, client, admin_headers, sales, slack, teams
):
    with db.connection_context():
        finance = Team.create(name="Finance")
    set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET))
    set_hook(client, admin_headers, finance.id, "teams", teams.url(TEAMS_SECRET))
    make_user("sam@acme.test", teams=("Sales",))
    snippet("For everyone", status="approved")
    snippet("Sales only", status="approved", teams=(sales,))
    snippet("Finance only", status="approved", teams=(finance,))
    in_app(chat_app, run_week, "2026-W49")
    deliver(chat_app)
    in_app(chat_app, run_week, "2026-W49")  # a second run writes nothing new
    assert in_app(chat_app, queue_week, "2026-W49", utcnow()) == 0  # nor does a resumed one
    deliver(chat_app)

    [s_hit] = slack.delivered()
    text = str(s_hit.body["blocks"])
    assert "weekly digest for Sales" in s_hit.body["text"]
    assert "For everyone" in text and "Sales only" in text and "Finance only" not in text
    assert "2 new posts to share this week (2026-W49)" in text
    [t_hit] = teams.delivered()
    card = str(t_hit.body["attachments"][0]["content"]["body"])
    assert "For everyone" in card and "Finance only" in card and "Sales only" not in card


# --- When the service says no ---------------------------------------------------------------------


def test_after_a_429_the_message_arrives_once_after_retry_after(
    chat_app, client, admin_headers, sales, slack
):
    set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET))
    slack.script = [(429, {"Retry-After": "2"}, "rate_limited")]
    client.post(f"/api/v1/teams/{sales.id}/chat/slack/test", headers=admin_headers)
    assert deliver(chat_app)["retry"] == 1
    [row] = rows(chat_app)
    assert row.status == "pending" and "HTTP 429" in row.last_error and "wait 2 s" in row.last_error
    assert deliver(chat_app)["sent"] == 0  # the backoff (1 s) is shorter: Retry-After wins
    wait_until(lambda: deliver(chat_app)["sent"] == 1, 6, "the retry after Retry-After")
    first, second = slack.attempts()
    assert second.at - first.at >= 2.0
    assert len(slack.delivered()) == 1 and deliver(chat_app)["sent"] == 0


def test_a_500_is_retried_with_backoff_then_shows_failed_on_the_queue_page(
    chat_app, client, admin, admin_headers, sales, teams
):
    chat_app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    set_hook(client, admin_headers, sales.id, "teams", teams.url(TEAMS_SECRET))
    teams.script = [(500, {}, "backend down")] * 5
    client.post(f"/api/v1/teams/{sales.id}/chat/teams/test", headers=admin_headers)
    started = time.monotonic()
    assert deliver(chat_app)["retry"] == 1
    [row] = rows(chat_app)
    assert row.status == "pending" and row.next_attempt_at >= utcnow() + timedelta(seconds=0.5)
    wait_until(lambda: deliver(chat_app)["failed"] == 1, 6, "the second attempt")
    first, second = teams.attempts()
    assert second.at - first.at >= 1.0 and time.monotonic() - started < 6
    assert teams.delivered() == []
    console_login(client)
    page = client.get("/admin/queue").text
    assert "Microsoft Teams: Sales" in page
    assert (
        "Gave up after 2 attempts. Last error: Microsoft Teams answered HTTP 500: backend down"
        in page
    )
    assert "teamssecret" not in page


def test_a_404_fails_at_once_with_the_services_answer(
    chat_app, client, admin_headers, sales, slack
):
    set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET))
    slack.script = [(404, {}, "no_service")]
    client.post(f"/api/v1/teams/{sales.id}/chat/slack/test", headers=admin_headers)
    assert deliver(chat_app)["failed"] == 1
    [row] = rows(chat_app)
    assert row.status == "failed" and row.attempts == 1
    assert row.last_error.startswith("Slack answered HTTP 404: no_service.")
    assert len(slack.attempts()) == 1 and deliver(chat_app) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "cancelled": 0,
    }


def test_an_unreachable_channel_waits_with_the_reason(chat_app, client, admin_headers, sales):
    from tests.mail_support import free_port

    url = f"http://127.0.0.1:{free_port()}/hook/{SLACK_SECRET}"  # nothing listens there
    set_hook(client, admin_headers, sales.id, "slack", url)
    client.post(f"/api/v1/teams/{sales.id}/chat/slack/test", headers=admin_headers)
    assert deliver(chat_app)["retry"] == 1
    [row] = rows(chat_app)
    assert row.status == "pending" and row.last_error.startswith("Cannot reach Slack:")
    assert "Connection refused" in row.last_error and SLACK_SECRET not in row.last_error


def test_chat_posts_speak_the_company_language_not_the_admins(
    chat_app, client, admin, admin_headers, sales, slack
):
    """A channel has many readers: the company default language (when set), else English, even when
    the admin who triggered the post reads the console in Thai."""
    from server.chat import message, queue_test
    from server.models import Setting

    set_hook(client, admin_headers, sales.id, "slack", slack.url(SLACK_SECRET))
    in_app(chat_app, queue_test, sales, "slack")
    [row] = rows(chat_app)
    with chat_app.test_request_context(headers={"Accept-Language": "th"}):
        with db.connection_context():
            body = message(row)
            assert body["text"] == "Herald is connected"
            assert "Slack channel of Sales" in body["blocks"][-1]["elements"][0]["text"]
            Setting.create(key="default_language", value="ru")
            body = message(row)
    assert body["text"] == "Herald подключён"
    assert "канал Slack команды Sales" in body["blocks"][-1]["elements"][0]["text"]
