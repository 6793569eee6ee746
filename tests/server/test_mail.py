"""Email through a real SMTP server (aiosmtpd on loopback): what arrives, when, and what never does.

Delivery runs in-process here (server.delivery.deliver_due, what the worker's tasks call); tests/server/
test_worker.py drives the same through `herald worker` processes, kill -9 and a mail server that is down.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.db import db
from server.delivery import deliver_due
from server.models import (
    Click,
    Invitation,
    Outbox,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    Team,
    TrackedLink,
    User,
    utcnow,
)
from tests.conftest import make_user
from tests.mail_support import SmtpServer, parts


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(
        server.config(),
        MAIL_FROM="Herald at Acme <herald@acme.test>",
        MAIL_REPLY_TO="comms@acme.test",
        OUTBOX_RETRY_BASE_SECONDS=60,
    )
    yield server
    server.stop()


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def deliver(app) -> dict:
    with app.app_context(), db.connection_context():
        return deliver_due()


def run(app, fn, *args, **kwargs):
    with app.app_context(), db.connection_context():
        return fn(*args, **kwargs)


def invite(client, headers, email="nia@acme.test"):
    resp = client.post(
        "/api/v1/invitations", json={"email": email, "name": "Nia Newcomer"}, headers=headers
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_invitation_email_arrives_with_both_parts_the_link_and_what_is_recorded(
    app, client, smtp, admin_headers
):
    body = invite(client, admin_headers)
    link = body["invite_url"]  # the copy-the-link path stays

    assert deliver(app)["sent"] == 1
    [msg] = smtp.sink.to("nia@acme.test")
    assert msg["From"] == "Herald at Acme <herald@acme.test>"
    assert msg["Reply-To"] == "comms@acme.test"
    assert msg["Subject"] == "You are invited to Herald"
    assert msg["Content-Language"] == "en"
    assert msg.get_content_type() == "multipart/alternative"
    assert "List-Unsubscribe" not in msg  # an invitation is the message itself, not a mailing
    text, html = parts(msg)
    for part in (text, html):
        assert link in part
        assert "Ada Admin invited you" in part
        assert "extension" in part
        assert "What is recorded" in part
    assert f'href="{link}"' in html


def test_delivering_twice_sends_once_and_a_new_link_sends_a_new_message(
    app, client, smtp, admin_headers
):
    invite(client, admin_headers)
    deliver(app)
    deliver(app)
    assert len(smtp.sink.to("nia@acme.test")) == 1
    second = invite(client, admin_headers)  # inviting again replaces the link: a new message
    deliver(app)
    msgs = smtp.sink.to("nia@acme.test")
    assert len(msgs) == 2
    assert second["invite_url"] in parts(msgs[1])[0]


def test_joining_sends_a_welcome(app, client, smtp, admin_headers):
    body = invite(client, admin_headers)
    token = body["invite_url"].rsplit("/invite/", 1)[1]
    resp = client.post(
        "/api/v1/invitations/accept", json={"token": token, "password": "a long password"}
    )
    assert resp.status_code == 200
    deliver(app)
    subjects = [m["Subject"] for m in smtp.sink.to("nia@acme.test")]
    # The invitation was still waiting when she joined through the copied link: it is cancelled, not sent.
    assert subjects == ["Welcome to Herald"]
    text, _ = parts(smtp.sink.to("nia@acme.test")[0])
    assert "sign in with nia@acme.test" in text
    with db.connection_context():
        assert Outbox.get(Outbox.kind == "invitation").status == "cancelled"


def _age_invitation(email: str, days: float) -> None:
    with db.connection_context():
        inv = Invitation.select().join(User).where(User.email == email).get()
        Invitation.update(created_at=utcnow() - timedelta(days=days)).where(
            Invitation.id == inv.id
        ).execute()


def test_reminders_after_3_and_7_days_at_most_two_with_a_new_link_and_unsubscribe(
    app, client, smtp, admin_headers
):
    from server.reminders import queue_due_reminders

    first = invite(client, admin_headers)["invite_url"]
    deliver(app)
    _age_invitation("nia@acme.test", 2)
    assert run(app, queue_due_reminders) == 0
    _age_invitation("nia@acme.test", 3.1)
    assert run(app, queue_due_reminders) == 1
    assert run(app, queue_due_reminders) == 0  # a second tick writes nothing
    deliver(app)
    reminder = smtp.sink.to("nia@acme.test")[-1]
    assert reminder["Subject"] == "Reminder: your invitation to Herald"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder["List-Unsubscribe"].startswith("<http://herald.test/unsubscribe/")
    text, html = parts(reminder)
    new_link = text.split("works until", 1)[1].split("\n")[1].strip()
    assert new_link.startswith("http://herald.test/invite/") and new_link != first
    assert new_link in html
    assert (
        client.get(first.removeprefix("http://herald.test")).status_code == 410
    )  # old link replaced
    _age_invitation("nia@acme.test", 7.5)
    assert run(app, queue_due_reminders) == 1
    _age_invitation("nia@acme.test", 12)
    assert run(app, queue_due_reminders) == 0  # at most two
    deliver(app)
    assert [m["Subject"] for m in smtp.sink.to("nia@acme.test")].count(
        "Reminder: your invitation to Herald"
    ) == 2


def test_no_reminder_after_joining_when_disabled_or_unsubscribed(app, client, smtp, admin_headers):
    from server.reminders import queue_due_reminders

    for email in ("joined@acme.test", "off@acme.test", "stop@acme.test"):
        invite(client, admin_headers, email)
        _age_invitation(email, 4)
    deliver(app)
    with db.connection_context():
        User.update(status="active").where(User.email == "joined@acme.test").execute()
        User.update(status="disabled").where(User.email == "off@acme.test").execute()
    # stop@ uses a reminder's unsubscribe link (from an earlier reminder run) before this one.
    with app.app_context(), db.connection_context():
        from server import unsubscribe

        stop = User.get(User.email == "stop@acme.test")
        url = unsubscribe.url(stop.id, "reminders")
    assert client.post(url.removeprefix("http://herald.test")).status_code == 200
    assert run(app, queue_due_reminders) == 0
    deliver(app)
    for email in ("joined@acme.test", "off@acme.test", "stop@acme.test"):
        assert [m["Subject"] for m in smtp.sink.to(email)] == ["You are invited to Herald"]


def test_a_bounced_address_is_marked_and_gets_no_more_mail(app, client, smtp, admin_headers):
    smtp.sink.refuse.add("nia@acme.test")
    invite(client, admin_headers)
    outcome = deliver(app)
    assert outcome["failed"] == 1
    with db.connection_context():
        row = Outbox.get(Outbox.recipient == "nia@acme.test")
        user = User.get(User.email == "nia@acme.test")
    assert row.status == "failed" and "550" in row.last_error
    assert user.email_bounced_at is not None and "user unknown" in user.email_bounce_reason
    smtp.sink.refuse.clear()
    invite(client, admin_headers)  # a new link: still nothing goes to a bounced address
    assert deliver(app)["cancelled"] == 1
    assert smtp.sink.to("nia@acme.test") == []


def test_mail_server_down_means_waiting_with_the_error_then_sending(
    app, client, smtp, admin_headers
):
    smtp.stop()
    invite(client, admin_headers)
    assert deliver(app)["retry"] == 1
    with db.connection_context():
        row = Outbox.get(Outbox.kind == "invitation")
    assert row.status == "pending" and row.attempts == 1
    assert "Cannot reach the mail server" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)  # backoff: not hammered
    smtp.start()
    assert deliver(app)["sent"] == 0  # not due yet
    with db.connection_context():
        Outbox.update(next_attempt_at=utcnow()).execute()
    assert deliver(app)["sent"] == 1
    assert len(smtp.sink.to("nia@acme.test")) == 1


# --- Digest ---------------------------------------------------------------------------------------------


def _snippet(title: str, *, featured=False, language="en", teams=(), days_ago=1.0, link=True):
    now = utcnow()
    s = Snippet.create(
        title=title,
        link_url=f"https://acme.test/{title.lower().replace(' ', '-')}" if link else None,
        status="approved",
        featured=featured,
        language=language,
        targeted=bool(teams),
        starts_at=now - timedelta(days=30),
        expires_at=now + timedelta(days=30),
        approved_at=now - timedelta(days=days_ago),
    )
    SnippetVariant.create(snippet=s, network="linkedin", position=0, text=f"{title}: read this")
    SnippetVariant.create(snippet=s, network="x", position=0, text=f"{title} (x)")
    for name in teams:
        SnippetTeam.create(snippet=s, team=Team.get_or_create(name=name)[0])
    return s


def _digest_for(app, week="2026-W49"):
    from server.digest import run_week

    run(app, run_week, week)
    return deliver(app)


def test_digest_picks_new_posts_for_the_persons_teams_and_language_must_see_first(
    app, smtp, employee
):
    make_user("sam@acme.test", teams=("Sales",))
    with db.connection_context():
        _snippet("Old news", days_ago=9)
        _snippet("Engineering blog", teams=("Engineering",), days_ago=2)
        _snippet("Sales deck", teams=("Sales",))
        _snippet("Greek post", language="el")
        _snippet("Launch day", featured=True, days_ago=3)
        _snippet("No link post", link=False, days_ago=0.5)
    _digest_for(app)
    [msg] = smtp.sink.to("eve@acme.test")
    text, html = parts(msg)
    assert msg["Subject"] == "Herald: 3 new posts to share this week"
    titles = [t for t in ("Launch day", "No link post", "Engineering blog") if t in text]
    assert titles == ["Launch day", "No link post", "Engineering blog"]
    assert text.index("Launch day") < text.index("No link post") < text.index("Engineering blog")
    for absent in ("Old news", "Sales deck", "Greek post"):
        assert absent not in text and absent not in html
    assert "Must-see" in html
    with db.connection_context():
        code = TrackedLink.select().join(Snippet).where(Snippet.title == "Launch day").get().code
    tracked = f"http://herald.test/r/{code}"
    assert (
        "https://www.linkedin.com/sharing/share-offsite/?url="
        + tracked.replace(":", "%3A").replace("/", "%2F")
        in text
    )
    assert "https://x.com/intent/post?text=" in text
    # Sam (Sales) gets the Sales deck and nothing aimed at Engineering.
    sam_text, _ = parts(smtp.sink.to("sam@acme.test")[0])
    assert "Sales deck" in sam_text and "Engineering blog" not in sam_text


def test_digest_shows_the_persons_own_week_and_nothing_about_colleagues(app, smtp, employee):
    colleague = make_user("carl@acme.test", name="Carl Colleague", teams=("Engineering",))
    with db.connection_context():
        s = _snippet("Launch day")
        link = TrackedLink.create(code="eve1", user=employee.id, snippet=s, target_url="https://a")
        for i in range(3):
            Share.create(
                event_id=f"e{i}",
                user=employee.id,
                network="linkedin",
                snippet=s,
                shared_at=utcnow(),
            )
        Share.create(
            event_id="old", user=employee.id, network="x", shared_at=utcnow() - timedelta(days=20)
        )
        Share.create(event_id="c1", user=colleague.id, network="x", shared_at=utcnow())
        for ua in ("chrome", "firefox", "bot"):  # the bot's click is not counted
            Click.create(link=link, ua_family=ua, bot=ua == "bot")  # as record_click stores it
    _digest_for(app)
    text, html = parts(smtp.sink.to("eve@acme.test")[0])
    assert "Your week: 3 shares, 2 clicks on your links." in text
    assert "3 shares · 2 clicks on your links" in html
    assert "Carl" not in text and "Carl" not in html
    carl_text, _ = parts(smtp.sink.to("carl@acme.test")[0])
    assert "Your week: 1 share, 0 clicks on your links." in carl_text


def test_digest_goes_once_per_week_never_to_those_who_opted_out(app, client, smtp, employee, auth):
    make_user("quiet@acme.test", digest_opt_in=False)
    make_user("gone@acme.test", status="disabled")
    with db.connection_context():
        _snippet("Launch day")
    _digest_for(app)
    _digest_for(app)  # the same week again: nothing new
    assert smtp.sink.per_recipient() == {"eve@acme.test": 1}
    # Switching the digest off in the options page (PATCH /me) stops next week's.
    headers = auth.headers("eve@acme.test")
    assert (
        client.patch("/api/v1/me", json={"digest_opt_in": False}, headers=headers).status_code
        == 200
    )
    _digest_for(app, "2026-W50")
    assert smtp.sink.per_recipient() == {"eve@acme.test": 1}


def test_one_click_unsubscribe_from_the_digest_without_signing_in(
    app, client, smtp, employee, auth
):
    with db.connection_context():
        _snippet("Launch day")
    _digest_for(app)
    [msg] = smtp.sink.to("eve@acme.test")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(msg["List-Unsubscribe"]).strip().strip("<>")  # may be folded onto a second line
    text, html = parts(msg)
    assert url in text and url in html
    path = url.removeprefix("http://herald.test")
    anonymous = app.test_client()
    page = anonymous.get(path)  # link scanners open it: GET changes nothing
    assert page.status_code == 200 and b"Stop the weekly digest email for" in page.data
    with db.connection_context():
        assert User.get_by_id(employee.id).digest_opt_in is True
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, no cookie, no CSRF token.
    resp = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})
    assert resp.status_code == 204
    me = client.get("/api/v1/me", headers=auth.headers("eve@acme.test")).get_json()
    assert me["digest_opt_in"] is False  # the options page shows the same setting
    _digest_for(app, "2026-W50")
    assert len(smtp.sink.to("eve@acme.test")) == 1
    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert anonymous.post(tampered).status_code == 404


def test_digest_is_due_at_the_admins_day_and_hour_in_the_company_time_zone(app):
    from datetime import datetime

    from server.digest import due_week
    from server.settings import set_setting

    with app.app_context(), db.connection_context():
        set_setting("timezone", "Asia/Bangkok")  # UTC+7
        set_setting("digest_weekday", 2)  # Tuesday
        set_setting("digest_hour", 9)
        # Tuesday 2026-12-01 01:59 UTC is 08:59 in Bangkok: not yet; 02:00 UTC is 09:00: due.
        assert due_week(datetime(2026, 12, 1, 1, 59)) is None
        assert due_week(datetime(2026, 12, 1, 2, 0)) == "2026-W49"
        assert due_week(datetime(2026, 11, 30, 23, 0)) is None  # Monday in Bangkok


# --- Console ---------------------------------------------------------------------------------------------


def console_login(client, email="ada@acme.test"):
    from tests.conftest import PASSWORD

    client.get("/admin/sign-in")
    with client.session_transaction() as sess:
        token = sess.get("csrf")
    resp = client.post(
        "/admin/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302, resp.data
    with client.session_transaction() as sess:
        return sess["csrf"]


def test_console_queue_shows_counts_per_kind_failures_with_retry(
    app, client, smtp, admin, admin_headers
):
    smtp.sink.refuse.add("bad@acme.test")
    invite(client, admin_headers, "nia@acme.test")
    invite(client, admin_headers, "bad@acme.test")
    deliver(app)
    csrf = console_login(client)
    page = client.get("/admin/queue").get_data(as_text=True)
    assert '<th scope="row">Invitation</th><td data-status="pending">0</td>' in page
    assert '<td data-status="sent">1</td>' in page and '<td data-status="failed">1</td>' in page
    assert "bad@acme.test" in page and "550" in page and ">Retry</button>" in page
    assert "Password</dt><dd>not set" in page
    with db.connection_context():
        row = Outbox.get(Outbox.recipient == "bad@acme.test")
    resp = client.post(f"/admin/queue/{row.id}/retry", data={"csrf_token": csrf})
    assert resp.status_code == 302
    with db.connection_context():
        assert Outbox.get_by_id(row.id).status == "pending"


def test_console_settings_never_show_the_smtp_password(app, client, smtp, admin):
    app.config["SMTP_PASSWORD"] = "s3cret-smtp-pass"
    app.config["SMTP_USER"] = "mailer"
    console_login(client)
    page = client.get("/admin/queue").get_data(as_text=True)
    assert "s3cret-smtp-pass" not in page
    assert "set (from the environment, not shown)" in page and "mailer" in page


def test_console_previews_any_employees_digest(app, client, admin, employee):
    with db.connection_context():
        _snippet("Launch day", featured=True)
    console_login(client)
    page = client.get(f"/admin/digest?user={employee.id}").get_data(as_text=True)
    assert "Herald: 1 new post to share this week" in page
    assert "Launch day" in page  # the plain-text part
    html = client.get(f"/admin/digest/{employee.id}/email.html")
    assert html.status_code == 200 and b"Must-see" in html.data
    assert "frame-ancestors 'self'" in html.headers["Content-Security-Policy"]


def test_console_settings_set_the_digest_schedule_and_reminder_days(app, client, admin):
    from server.settings import get_setting

    csrf = console_login(client)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Weekly digest email" in page and 'name="reminder_days" value="3, 7"' in page
    form = {
        "csrf_token": csrf,
        "program_name": "Herald",
        "default_expiry_days": "180",
        "emv_currency": "USD",
        **{f"{n}_{k}": "1" for n in ("linkedin", "x") for k in ("cpm", "cpc", "avg_audience")},
        "digest_weekday": "5",
        "digest_hour": "16",
        "timezone": "Europe/Rome",
        "digest_max_snippets": "3",
        "reminder_days": "2, 5",
    }
    resp = client.post("/admin/settings", data=form)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context(), db.connection_context():
        assert get_setting("digest_enabled") is False  # the box was left unticked
        assert (get_setting("digest_weekday"), get_setting("digest_hour")) == (5, 16)
        assert get_setting("timezone") == "Europe/Rome"
        assert get_setting("reminder_days") == [2, 5]
    bad = client.post(
        "/admin/settings", data={**form, "timezone": "Mars/Olympus", "digest_hour": "25"}
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "is not a time zone" in text and "between 0 and 23" in text


def test_a_long_post_on_one_line_and_non_latin_text_arrive_intact(app, smtp):
    """SMTP refuses lines over 1,000 bytes; LinkedIn posts may be 3,000 characters without a line break."""
    make_user("somchai@acme.test", name="สมชาย ใจดี", language="th")
    long_text = "ข่าวดี " + "a very long sentence about what we shipped " * 70
    with db.connection_context():
        s = _snippet("ข่าวเปิดตัว", language="th")
        SnippetVariant.update(text=long_text).where(
            SnippetVariant.snippet == s, SnippetVariant.network == "linkedin"
        ).execute()
    assert _digest_for(app)["sent"] == 1
    [msg] = smtp.sink.to("somchai@acme.test")
    text, html = parts(msg)
    assert long_text in text
    # In Somchai's language (Thai greets without a comma) and in one piece.
    assert "สวัสดีคุณสมชาย ใจดี" in text and "ข่าวเปิดตัว" in html


def test_writing_a_message_twice_keeps_one_row_and_says_so(app):
    from server.outbox import enqueue

    with app.app_context(), db.connection_context():
        assert enqueue("other:1", "welcome", "b@acme.test") is True
        assert enqueue("welcome:42", "welcome", "a@acme.test") is True  # not the first id
        enqueue("other:2", "welcome", "c@acme.test")  # a later row: a last-insert id moves on
        assert enqueue("welcome:42", "welcome", "a@acme.test") is False
        assert Outbox.select().where(Outbox.key == "welcome:42").count() == 1


def test_digests_rendered_once_per_group_carry_each_persons_own_name_links_and_language(app, smtp):
    """Same posts and week in numbers: the body is rendered once and each person's parts put in.

    Every message must equal what rendering it alone gives (names with HTML specials escaped in the HTML part
    and kept as written in the text, each person's own unsubscribe link and tracked links)."""
    from server import unsubscribe
    from server.digest import link_codes, live_snippets
    from server.i18n import language
    from server.mail_messages import _digest_render

    people = [
        make_user("zoe@acme.test", name="Zoë <O'Brien & Co>"),
        make_user("ann@acme.test", name="Ann"),
        make_user("bo@acme.test", name="Bo"),
        make_user("ivan@acme.test", name="Иван", language="ru"),
    ]
    with db.connection_context():
        _snippet("Launch day", featured=True)
        _snippet("Field notes")
    _digest_for(app)
    with app.app_context(), db.connection_context():
        for person in people:
            [msg] = smtp.sink.to(person.email)
            row = Outbox.get(Outbox.user == person.id, Outbox.kind == "digest")
            user = User.get_by_id(person.id)
            with language(user.language):
                cache: dict = {}
                live = live_snippets(row.payload["snippets"], cache)
                stats = {"shares": 0, "clicks": 0, "points": None}
                unsub = unsubscribe.url(user.id, "digest")
                alone = _digest_render(
                    row,
                    user,
                    live,
                    link_codes(user.id, live, cache),
                    stats,
                    cache,
                    user.name,
                    unsub,
                )
            got = [part.replace("\r\n", "\n") for part in parts(msg)]
            assert [msg["Subject"], *got] == [alone.subject, alone.text, alone.html]
            assert msg["List-Unsubscribe"] == f"<{unsub}>"
    zoe_text, zoe_html = parts(smtp.sink.to("zoe@acme.test")[0])
    assert "Hello Zoë <O'Brien & Co>," in zoe_text
    assert "Zoë &lt;O&#39;Brien &amp; Co&gt;" in zoe_html
    ivan_text, _ = parts(smtp.sink.to("ivan@acme.test")[0])
    assert "Иван" in ivan_text and "Hello" not in ivan_text


def test_console_company_language_speaks_chat_posts_and_mail_to_people_in_other_languages(
    app, client, smtp, admin, admin_headers
):
    """The settings page's company language: only the five Herald speaks; chat posts use it, and so does
    mail to someone whose own language Herald does not offer (a Portuguese speaker gets Italian)."""
    from server.chat import chat_language
    from server.settings import get_setting

    csrf = console_login(client)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert '<option value="th" lang="th" >ไทย</option>' in page
    form = {
        "csrf_token": csrf,
        "program_name": "Herald",
        "default_expiry_days": "180",
        "emv_currency": "USD",
        **{f"{n}_{k}": "1" for n in ("linkedin", "x") for k in ("cpm", "cpc", "avg_audience")},
    }
    bad = client.post("/admin/settings", data={**form, "default_language": "pt"})
    assert bad.status_code == 422
    assert "Company language: one of English, Русский, Ελληνικά, Italiano, ไทย." in bad.get_data(
        as_text=True
    )
    resp = client.post("/admin/settings", data={**form, "default_language": "it"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert 'value="it" lang="it" selected' in client.get("/admin/settings").get_data(as_text=True)
    with app.app_context(), db.connection_context():
        assert get_setting("default_language") == "it" and chat_language() == "it"
    make_user("paulo@acme.test", name="Paulo", language="pt")
    make_user("eve@acme.test", name="Eve", language="el")
    with db.connection_context():
        _snippet("Launch day")
    _digest_for(app)
    [paulo] = smtp.sink.to("paulo@acme.test")
    assert paulo["Content-Language"] == "it"
    assert parts(paulo)[0].startswith("Ciao Paulo,")
    [eve] = smtp.sink.to("eve@acme.test")
    assert eve["Content-Language"] == "el"  # her own language wins over the company's


def test_the_queue_says_why_a_message_failed_in_the_admins_language(app, client, smtp, admin):
    """Notes are stored as a code and its parameters and translated for whoever reads the queue; the mail
    server's own answer is shown as it came."""
    from server.outbox import enqueue, note_text

    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    smtp.sink.refuse.add("bad@acme.test")
    with app.app_context(), db.connection_context():
        enqueue("welcome:bad", "welcome", "bad@acme.test", user_id=make_user("bad@acme.test").id)
    deliver(app)
    smtp.stop()
    with app.app_context(), db.connection_context():
        enqueue("welcome:nia", "welcome", "nia@acme.test", user_id=make_user("nia@acme.test").id)
        deliver_due()
        enqueue("welcome:old", "welcome", "old@acme.test")
        Outbox.update(status="failed", last_error="Written before notes.").where(
            Outbox.key == "welcome:old"
        ).execute()
        gave_up = Outbox.get(Outbox.key == "welcome:nia")
        assert gave_up.last_error.startswith("Gave up after 1 attempts. Last error: Cannot reach")
        assert gave_up.note["code"] == "gave_up" and note_text(gave_up.note) == gave_up.last_error
    csrf = console_login(client)
    client.post("/admin/language", data={"language": "ru", "next": "/admin/", "csrf_token": csrf})
    page = client.get("/admin/queue").get_data(as_text=True)
    assert "Почтовый сервер отказал: 550" in page  # the bounce, with the server's own words
    assert (
        "Попыток: 1, больше не пытаемся. Последняя ошибка: Не удаётся связаться с почтовым" in page
    )
    assert "Written before notes." in page  # a row from before notes: its text as it was
    assert "The mail server refused" not in page and "Gave up" not in page
    assert "<td>Приветствие</td>" in page and "<td>welcome</td>" not in page
