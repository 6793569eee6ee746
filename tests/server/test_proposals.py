"""Employees propose links; admins accept (a draft snippet credited to them) or decline with a reason.

Mail goes through the real outbox and a real SMTP server (aiosmtpd on loopback).
"""

from __future__ import annotations

import pytest

from server.db import db
from server.delivery import deliver_due
from server.models import Outbox, Proposal, Snippet, User
from tests.conftest import make_user
from tests.mail_support import SmtpServer, parts

BASE = "/api/v1/proposals"


@pytest.fixture
def eve(auth, employee):
    return auth.headers("eve@acme.test")


@pytest.fixture
def ada(auth, admin):
    return auth.headers("ada@acme.test")


def propose(client, headers, url="https://acme.test/blog/launch", **fields):
    return client.post(BASE, json={"url": url, **fields}, headers=headers)


def test_an_employee_proposes_a_link_and_sees_it_pending_in_their_list(client, eve):
    resp = propose(client, eve, note="Our launch post, worth sharing", title="Launch")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "pending" and body["duplicate"] is None
    assert body["note"] == "Our launch post, worth sharing" and body["title"] == "Launch"
    mine = client.get(f"{BASE}/mine", headers=eve).get_json()
    assert [(p["url"], p["status"]) for p in mine["items"]] == [
        ("https://acme.test/blog/launch", "pending")
    ]
    assert "proposer" not in mine["items"][0]


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("javascript:alert(1)//https://x", "/url"),
        ("data:text/html,<b>hi</b>", "/url"),
        ("ftp://acme.test/file", "/url"),
        ("https://", "/url"),
        ("http://a", "/url"),  # too short to be a page
        ("https://acme.test/" + "a" * 2000, "/url"),
        ("https://acme.test/with space", "/url"),
        ("https://acme.test/a\\b", "/url"),
    ],
)
def test_bad_urls_are_refused_in_the_one_error_shape(client, eve, url, path):
    resp = propose(client, eve, url=url)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed" and error["message"]
    assert {d["path"] for d in error["details"]} == {path}
    with db.connection_context():
        assert Proposal.select().count() == 0


def test_other_fields_are_validated_too(client, eve):
    resp = client.post(
        BASE, json={"url": "https://acme.test/a", "note": "n" * 501, "draft": "x"}, headers=eve
    )
    assert resp.status_code == 422
    assert {d["path"] for d in resp.get_json()["error"]["details"]} == {"/", "/note"}
    assert client.post(BASE, data="url=x", headers=eve).status_code == 415


def test_proposals_are_rate_limited_per_employee(app, client, eve, auth):
    app.config["PROPOSALS_PER_HOUR"] = 3
    for n in range(3):
        assert propose(client, eve, url=f"https://acme.test/post/{n}").status_code == 201
    resp = propose(client, eve, url="https://acme.test/post/4")
    assert resp.status_code == 429
    assert resp.get_json()["error"]["code"] == "too_many_proposals"
    assert 0 < int(resp.headers["Retry-After"]) <= 3600
    # Another employee is not held back by Eve's.
    make_user("sam@acme.test")
    assert (
        propose(client, auth.headers("sam@acme.test"), url="https://acme.test/x").status_code == 201
    )


def test_a_link_already_in_the_library_is_pointed_out_to_the_employee_and_the_admin(
    client, eve, ada
):
    snippet = client.post(
        "/api/v1/snippets",
        json={
            "title": "Launch day",
            "variants": {"linkedin": ["We launched"]},
            "link_url": "https://acme.test/blog/launch/",
        },
        headers=ada,
    ).get_json()
    # Another spelling of the same page: http, no trailing slash, a fragment.
    resp = propose(client, eve, url="http://ACME.test/blog/launch#top")
    assert resp.status_code == 201
    # A draft: the employee learns it is known, not its unpublished title.
    assert resp.get_json()["duplicate"] == {
        "snippet_id": snippet["id"],
        "status": "draft",
        "title": None,
    }
    queue = client.get(f"{BASE}?status=pending", headers=ada).get_json()
    assert queue["items"][0]["duplicate"]["title"] == "Launch day"
    client.post(f"/api/v1/snippets/{snippet['id']}/approve", headers=ada)
    again = propose(client, eve, url="https://acme.test/blog/launch")
    assert again.get_json()["duplicate"]["title"] == "Launch day"
    # The same employee suggesting the same pending link twice is told so.
    twice = propose(client, eve, url="https://acme.test/blog/launch")
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_proposed"


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), MAIL_FROM="Herald at Acme <herald@acme.test>")
    yield server
    server.stop()


def deliver(app) -> None:
    with app.app_context(), db.connection_context():
        deliver_due()


def test_accepting_makes_a_draft_snippet_credited_to_the_proposer_and_mails_them(
    app, client, eve, ada, smtp, employee
):
    proposal = propose(client, eve, url="https://acme.test/news/q4", title="Q4 news").get_json()
    queue = client.get(BASE, headers=ada).get_json()
    assert queue["items"][0]["proposer"] == {
        "id": employee.id,
        "name": "Eve Employee",
        "email": "eve@acme.test",
    }
    resp = client.post(f"{BASE}/{proposal['id']}/accept", headers=ada)
    assert resp.status_code == 200, resp.get_json()
    accepted = resp.get_json()
    assert accepted["status"] == "accepted" and accepted["accepted_at"]
    snippet = client.get(f"/api/v1/snippets/{accepted['snippet_id']}", headers=ada).get_json()
    assert snippet["status"] == "draft" and snippet["source"] == "employee"
    assert snippet["link_url"] == "https://acme.test/news/q4" and snippet["title"] == "Q4 news"
    assert snippet["proposed_by"] == {"id": employee.id, "name": "Eve Employee"}
    with db.connection_context():  # what a points feature counts
        row = Proposal.get_by_id(proposal["id"])
        assert row.user_id == employee.id and row.accepted_at is not None
    with app.app_context(), db.connection_context():
        from server.proposals import accepted_counts

        assert accepted_counts() == {employee.id: 1}
    mine = client.get(f"{BASE}/mine", headers=eve).get_json()["items"][0]
    assert mine["status"] == "accepted" and mine["snippet_id"] == snippet["id"]
    # Deciding twice is a conflict, and no second snippet.
    again = client.post(f"{BASE}/{proposal['id']}/accept", headers=ada)
    assert again.status_code == 409
    with db.connection_context():
        assert Snippet.select().where(Snippet.source == "employee").count() == 1
    deliver(app)
    [msg] = smtp.sink.to("eve@acme.test")
    assert "accepted" in msg["Subject"]
    text, html = parts(msg)
    assert "https://acme.test/news/q4" in text and "Q4 news" in html
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_declining_shows_the_reason_to_the_employee_and_mails_it(app, client, eve, ada, smtp):
    proposal = propose(client, eve, url="https://rival.test/story").get_json()
    empty = client.post(f"{BASE}/{proposal['id']}/decline", json={"reason": "  "}, headers=ada)
    assert empty.status_code == 422 and empty.get_json()["error"]["details"][0]["path"] == "/reason"
    resp = client.post(
        f"{BASE}/{proposal['id']}/decline",
        json={"reason": "A competitor's story: we don't share those."},
        headers=ada,
    )
    assert resp.status_code == 200 and resp.get_json()["status"] == "declined"
    mine = client.get(f"{BASE}/mine", headers=eve).get_json()["items"][0]
    assert mine["status"] == "declined"
    assert mine["decline_reason"] == "A competitor's story: we don't share those."
    assert mine["snippet_id"] is None
    deliver(app)
    [msg] = smtp.sink.to("eve@acme.test")
    text, _ = parts(msg)
    assert "declined" in msg["Subject"] and "A competitor's story" in text


def test_the_proposal_mail_unsubscribe_stops_it(app, client, eve, ada, smtp, employee):
    first = propose(client, eve, url="https://acme.test/one").get_json()
    client.post(f"{BASE}/{first['id']}/accept", headers=ada)
    deliver(app)
    [msg] = smtp.sink.to("eve@acme.test")
    url = str(msg["List-Unsubscribe"]).strip().strip("<>")
    resp = app.test_client().post(
        url.removeprefix("http://herald.test"), data={"List-Unsubscribe": "One-Click"}
    )
    assert resp.status_code == 204
    second = propose(client, eve, url="https://acme.test/two").get_json()
    client.post(f"{BASE}/{second['id']}/decline", json={"reason": "Old news."}, headers=ada)
    deliver(app)
    assert len(smtp.sink.to("eve@acme.test")) == 1
    with db.connection_context():
        assert User.get_by_id(employee.id).proposal_mail_stopped_at is not None
        row = Outbox.get(Outbox.key == f"proposal:{second['id']}:declined")
        assert row.status == "cancelled"


def test_employees_cannot_review_and_the_queue_filters_by_status(client, eve, ada):
    proposal = propose(client, eve).get_json()
    assert client.post(f"{BASE}/{proposal['id']}/accept", headers=eve).status_code == 403
    assert client.get(BASE, headers=eve).status_code == 403
    assert client.get(f"{BASE}/mine").status_code == 401
    bad = client.get(f"{BASE}?status=maybe", headers=ada)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_failed"
    assert client.get(f"{BASE}?status=declined", headers=ada).get_json()["total"] == 0
    assert client.get(f"{BASE}?status=pending", headers=ada).get_json()["total"] == 1


def test_the_decline_mail_speaks_the_employees_language(app, client, eve, ada, smtp):
    with db.connection_context():
        User.update(language="ru").where(User.email == "eve@acme.test").execute()
    proposal = propose(client, eve, url="https://rival.test/story").get_json()
    client.post(f"{BASE}/{proposal['id']}/decline", json={"reason": "Не наш формат."}, headers=ada)
    deliver(app)
    [msg] = smtp.sink.to("eve@acme.test")
    text, html = parts(msg)
    assert msg["Subject"] == "Herald: предложенная вами ссылка отклонена"
    assert "Спасибо, что предложили ссылку в Herald" in text and "Причина: Не наш формат." in text
    assert "Причина:</strong> Не наш формат." in html and "Declined" not in text
