"""Site health (issue 13 §3): the extension's counts arrive once per batch, add up in hourly buckets, turn a site
red past the threshold on the console's health page, and alert admins by email (a real aiosmtpd sink) and chat (a
real loopback webhook receiver) once per site and day."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from server import health_alerts, site_health
from server.db import db
from server.models import HealthCount, Membership, Team, utcnow
from tests.chat_support import Receiver
from tests.conftest import issued_secrets, make_user
from tests.mail_support import SmtpServer, parts
from tests.server.test_chat import deliver, set_hook
from tests.server.test_mail import console_login

URL = "/api/v1/health-reports"
SLACK_SECRET = "T0009/B0009/healthsecretABC1"


def hour(delta_hours: int = 0) -> str:
    return (site_health.hour_of(utcnow()) - timedelta(hours=delta_hours)).strftime(
        "%Y-%m-%dT%H:00:00Z"
    )


def report(counts, *, version="0.1.0", batch_id=None) -> dict:
    return {
        "batch_id": batch_id or str(uuid.uuid4()),
        "extension_version": version,
        "counts": counts,
    }


def count(counter, n, *, site="linkedin", adapter=1, ago=0) -> dict:
    return {
        "hour": hour(ago),
        "site": site,
        "adapter_version": adapter,
        "counter": counter,
        "count": n,
    }


@pytest.fixture
def headers(auth, employee):
    return auth.headers(employee.email)


def send(client, headers, body):
    return client.post(URL, json=body, headers=headers)


def stored(app) -> dict:
    with app.app_context(), db.connection_context():
        return {
            (r.site, r.adapter_version, r.extension_version, r.counter): r.count
            for r in HealthCount.select()
        }


def in_app(app, fn, *args):
    with app.app_context(), db.connection_context():
        return fn(*args)


# --- receiving ------------------------------------------------------------------------------------


def test_counts_add_up_and_a_resent_batch_counts_once(app, client, headers):
    body = report([count("composer_opened", 3), count("insert_failed", 1)])
    first = send(client, headers, body)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"batch_id": body["batch_id"], "outcome": "created"}
    again = send(client, headers, body)  # the answer was lost: the extension sends it again
    assert again.get_json()["outcome"] == "duplicate"
    send(client, headers, report([count("composer_opened", 2), count("composer_opened", 4)]))
    assert stored(app) == {
        ("linkedin", 1, "0.1.0", "composer_opened"): 9,
        ("linkedin", 1, "0.1.0", "insert_failed"): 1,
    }


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda b: b["counts"][0].update(counter="typed_text"), "/counts/0/counter"),
        (lambda b: b["counts"][0].update(text="my draft"), "/counts/0"),
        (lambda b: b.update(url="https://www.linkedin.com/feed/"), "/"),
        (lambda b: b["counts"][0].update(hour="2026-12-03T19:42:00Z"), "/counts/0/hour"),
        (lambda b: b["counts"][0].update(count=0), "/counts/0/count"),
        (lambda b: b["counts"][0].update(hour="2026-13-45T10:00:00Z"), "/counts/0/hour"),
        (lambda b: b["counts"][0].update(hour="0000-00-00T00:00:00Z"), "/counts/0/hour"),
        (lambda b: b.update(batch_id="not-a-uuid"), "/batch_id"),
        (lambda b: b.update(counts=[]), "/counts"),
    ],
)
def test_bad_reports_get_one_error_shape_and_count_nothing(app, client, headers, mutate, path):
    body = report([count("composer_opened", 1)])
    mutate(body)
    resp = send(client, headers, body)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert path in [d["path"] for d in error["details"]]
    assert stored(app) == {}


def test_any_version_an_adapter_may_have_is_counted(app, client, headers):
    """Admins may version adapters by date or timestamp (sites/adapter allows up to 2^31-1): their
    counts must arrive, or the console stays blind exactly when a served adapter is in use."""
    top = 2_147_483_647
    resp = send(client, headers, report([count("composer_opened", 1, adapter=top)]))
    assert resp.status_code == 200, resp.get_json()
    assert stored(app) == {("linkedin", top, "0.1.0", "composer_opened"): 1}


def test_reports_need_a_signed_in_employee_and_json(app, client, headers):
    assert send(client, {}, report([count("composer_opened", 1)])).status_code == 401
    resp = client.post(URL, data="x", headers={**headers, "Content-Type": "text/plain"})
    assert resp.status_code == 415
    assert resp.get_json()["error"]["code"] == "unsupported_media_type"


def test_a_fast_clock_counts_in_the_current_hour(app, client, headers):
    send(client, headers, report([count("composer_opened", 2, ago=-5)]))
    with app.app_context(), db.connection_context():
        (row,) = HealthCount.select()
        assert row.hour == site_health.hour_of(utcnow())


# --- windows and the red threshold ----------------------------------------------------------------


def test_windows_cover_24_hours_and_7_days_by_version(app, client, headers):
    send(client, headers, report([count("composer_opened", 10), count("post_detected", 4)]))
    send(client, headers, report([count("composer_opened", 5, adapter=2, ago=23)], version="0.2.0"))
    send(client, headers, report([count("composer_opened", 7, ago=24)]))  # outside 24 h
    send(client, headers, report([count("composer_opened", 100, ago=24 * 7)]))  # outside both
    day = {s.site: s for s in in_app(app, site_health.summary, "24h")}
    week = {s.site: s for s in in_app(app, site_health.summary, "7d")}
    assert day["linkedin"].total.counts["composer_opened"] == 15
    assert week["linkedin"].total.counts["composer_opened"] == 22
    assert [(e, a, t.counts["composer_opened"]) for e, a, t in day["linkedin"].versions] == [
        ("0.2.0", 2, 5),
        ("0.1.0", 1, 10),
    ]


def test_a_site_turns_red_at_the_rate_with_the_minimum_count(app, client, headers):
    # 4 not found of 100 attempts: 4 %, under 5 %.
    send(client, headers, report([count("composer_opened", 96), count("composer_not_found", 4)]))
    assert not in_app(app, site_health.red_sites)
    # 5 of 101: 4.95 %: still green.
    send(client, headers, report([count("composer_not_found", 1)]))
    assert not in_app(app, site_health.red_sites)
    # 6 of 102: 5.9 %: red.
    send(client, headers, report([count("composer_not_found", 1)]))
    assert [s.red_by for s in in_app(app, site_health.red_sites)] == [["composer_not_found"]]
    # Few opens: 4 failed inserts of 4 opens is 100 % but under the minimum count of 5.
    send(
        client,
        headers,
        report([count("composer_opened", 4, site="x"), count("insert_failed", 4, site="x")]),
    )
    assert [s.site for s in in_app(app, site_health.red_sites)] == ["linkedin"]


def test_console_health_page_shows_green_and_red_sites_and_saves_the_threshold(
    app, client, headers, admin
):
    send(client, headers, report([count("composer_opened", 40), count("insert_failed", 6)]))
    send(
        client,
        headers,
        report([count("composer_opened", 50, site="x"), count("post_detected", 9, site="x")]),
    )
    csrf = console_login(client)
    page = client.get("/admin/health").get_data(as_text=True)
    assert 'data-site="linkedin" data-status="red"' in page
    assert 'data-site="x" data-status="green"' in page
    assert "Needs attention: Insert failed 15 %" in page
    assert "reaches 5 % of composer opens" in page
    resp = client.post(
        "/admin/health/thresholds",
        data={"health_red_rate": "20", "health_min_count": "5", "csrf_token": csrf},
    )
    assert resp.status_code == 302
    page = client.get("/admin/health").get_data(as_text=True)
    assert 'data-site="linkedin" data-status="red"' not in page
    assert "reaches 20 % of composer opens" in page


# --- alerts ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), MAIL_FROM="Herald <herald@acme.test>")
    yield server
    server.stop()


@pytest.fixture
def slack(app):
    app.config.update(FEED_ALLOW_PRIVATE="1", FEED_TIMEOUT_SECONDS=2)
    issued_secrets.append(SLACK_SECRET)
    receiver = Receiver("slack-message", ok=200).start()
    yield receiver
    receiver.stop()


def test_a_red_site_alerts_admins_by_mail_and_chat_once_a_day(
    app, client, auth, headers, admin, smtp, slack
):
    other = make_user("otto@acme.test", role="admin", name="Otto Admin")
    with db.connection_context():
        ops = Team.create(name="Ops")
        Membership.create(user=admin, team=ops)
    assert (
        set_hook(
            client, auth.headers(admin.email), ops.id, "slack", slack.url(SLACK_SECRET)
        ).status_code
        == 200
    )
    # Green: nothing goes out.
    send(client, headers, report([count("composer_opened", 100, site="x")]))
    assert in_app(app, health_alerts.run) == 0
    # X turns red: one mail per admin, one post in the admins' team channel.
    send(client, headers, report([count("composer_not_found", 12, site="x")]))
    assert in_app(app, health_alerts.run) == 3
    deliver(app)
    assert smtp.sink.per_recipient() == {admin.email: 1, other.email: 1}
    text, html = parts(smtp.sink.to(admin.email)[0])
    assert "Herald is failing on X" in smtp.sink.to(admin.email)[0]["Subject"]
    assert "Not found: 12 times, 10.7 % of composer opens" in text
    assert "http://herald.test/admin/health" in html
    (hit,) = slack.delivered()
    assert "Herald is failing on X" in str(hit.body)
    # Still red an hour later, and more reports: no second alert the same day.
    send(client, headers, report([count("composer_not_found", 5, site="x")]))
    assert in_app(app, health_alerts.run) == 0
    deliver(app)
    assert smtp.sink.count() == 2 and len(slack.delivered()) == 1


def test_a_broken_adapter_version_turns_the_site_red_before_it_drowns_in_the_total(
    app, client, headers, admin
):
    send(client, headers, report([count("composer_opened", 1000, site="x")]))
    broken = [
        count("composer_opened", 60, site="x", adapter=2),
        count("composer_not_found", 9, site="x", adapter=2),
    ]
    send(client, headers, report(broken, version="0.1.1"))
    # 9 of 1,069 attempts overall (0.8 %), but 9 of 69 with adapter v2 (13 %).
    (x,) = in_app(app, site_health.red_sites)
    assert [(r.counter, r.extension, r.adapter) for r in x.reasons] == [
        ("composer_not_found", "0.1.1", 2)
    ]
    console_login(client)
    page = client.get("/admin/health").get_data(as_text=True)
    assert 'data-site="x" data-status="red"' in page
    assert "Needs attention: Not found 13 % (0.1.1, v2)" in page
