"""The weekly recognition email through a real SMTP server (aiosmtpd): once per person per week, only to
people who opted in, the admin's wording, a one-click unsubscribe that stops only this email."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from server.db import db
from server.delivery import deliver_due
from server.models import Outbox, User, utcnow
from tests.conftest import make_user
from tests.mail_support import SmtpServer, parts
from tests.recognition_support import HIDDEN, build, share


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), MAIL_FROM="Herald at Acme <herald@acme.test>")
    yield server
    server.stop()


def this_week() -> tuple[str, datetime]:
    year, week, _ = utcnow().isocalendar()
    return f"{year}-W{week:02d}", datetime.fromisocalendar(year, week, 1)


def tick(app) -> None:
    """The worker's periodic task, run in-process: recognition is written when the slot has come."""
    with app.app_context():
        app.extensions["herald_tasks"]["tick"].call_local()


def test_recognition_mail_arrives_once_per_week_per_person(app, client, smtp, admin):
    week, monday = this_week()
    # Last week's activity; the clicks made now fall in this week and count next time.
    world = build(client, at=monday - timedelta(days=3))
    newcomer = make_user("nia@acme.test", name="Nia Newcomer", leaderboard_opt_in=True)
    quiet = make_user("quinn@acme.test", name="Quinn Quiet", leaderboard_opt_in=True)
    with db.connection_context():
        share(newcomer, monday - timedelta(days=2))  # her first share ever, last week
        share(quiet, monday - timedelta(days=30))  # shared before, not last week: no mail
    from server.settings import set_setting

    with app.app_context(), db.connection_context():
        set_setting("recognition_top_n", 1)
        set_setting("digest_weekday", 1)  # Monday 00:00 UTC: the slot has come whenever this runs
        set_setting("digest_hour", 0)
        set_setting("digest_enabled", False)  # recognition keeps the slot with the digest off

    for _ in range(2):  # two ticks (or two machines): one mail each
        tick(app)
    with app.app_context(), db.connection_context():
        deliver_due()
        tick(app)
        deliver_due()

    # Eve tops last week (2 shares: 20); Sal and Nia shared for the first time ever; Quinn shared
    # long ago and not last week; Nora out-shared everyone but did not opt in.
    assert smtp.sink.per_recipient() == {"eve@acme.test": 1, "sal@acme.test": 1, "nia@acme.test": 1}
    [top] = smtp.sink.to("eve@acme.test")
    text, html = parts(top)
    assert top["Subject"] == "Thank you, Eve Employee: you were among last week's top contributors"
    assert (
        "Last week you placed #1 in Herald, with a score of 20 (shares: 2, clicks on your links: 0)."
        in text
    )
    assert "Eve Employee" in html and "{" not in text
    [first] = smtp.sink.to("nia@acme.test")
    assert first["Subject"] == "Thank you for your first share, Nia Newcomer"
    assert "for the first time" in parts(first)[0]
    with db.connection_context():
        keys = sorted(o.key for o in Outbox.select().where(Outbox.kind == "recognition"))
    assert keys == sorted(f"recognition:{u.id}:{week}" for u in (world.eve, world.sal, newcomer))
    for absent in (HIDDEN, "Quinn"):
        assert all(absent not in m.as_string() for m in smtp.sink.messages)

    # Sal stops the recognition email with one click (RFC 8058); she stays opted in to recognition.
    [sal_mail] = smtp.sink.to("sal@acme.test")
    url = str(sal_mail["List-Unsubscribe"]).strip().strip("<>")
    assert sal_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    anonymous = app.test_client()
    assert b"weekly recognition email" in anonymous.get(url.removeprefix("http://herald.test")).data
    resp = anonymous.post(
        url.removeprefix("http://herald.test"), data={"List-Unsubscribe": "One-Click"}
    )
    assert resp.status_code == 204
    with db.connection_context():
        assert User.get_by_id(world.sal.id).leaderboard_opt_in is True

    # Next week: this week's activity (Sal's new share: 10; Eve's 3 people's clicks: 3) is thanked
    # once more, under next week's key; Sal, ranked first, gets nothing after unsubscribing.
    from server.recognition import run_week

    with db.connection_context():
        share(world.sal, utcnow())
    year, number, _ = (monday + timedelta(days=7)).isocalendar()
    with app.app_context(), db.connection_context():
        set_setting("recognition_top_n", 2)
        assert run_week(f"{year}-W{number:02d}") == 1
        assert run_week(f"{year}-W{number:02d}") == 0
        deliver_due()
    assert smtp.sink.per_recipient() == {"eve@acme.test": 2, "sal@acme.test": 1, "nia@acme.test": 1}
    second = smtp.sink.to("eve@acme.test")[1]
    assert "placed #2" in parts(second)[0] and "score of 3 " in parts(second)[0]


def test_the_digests_own_week_has_points_only_for_people_who_opted_in(app, client, smtp, admin):
    """Eve (opted in) reads her points in "Your week"; Nora (not opted in) reads no points at all."""
    from server.digest import run_week

    build(client)  # this week: Eve 2 shares and 3 people's clicks (23 points); Nora 5 shares
    with app.app_context(), db.connection_context():
        run_week("2026-W49", now=utcnow() + timedelta(seconds=1))
        deliver_due()
    eve_text, eve_html = parts(smtp.sink.to("eve@acme.test")[0])
    assert "Your week: 2 shares, 3 clicks on your links, 23 points." in eve_text
    assert "2 shares · 3 clicks on your links · 23 points" in eve_html
    nora_text, nora_html = parts(smtp.sink.to("nora@acme.test")[0])
    assert "Your week: 5 shares, 4 clicks on your links." in nora_text
    assert "point" not in nora_text and "point" not in nora_html
