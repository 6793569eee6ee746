"""The console's proposal queue: what the curator sees, accept (to the draft's page) and decline."""

from __future__ import annotations

import html

from server.db import db
from server.models import Outbox, Proposal, Snippet


def proposal(client, auth, url, **fields):
    headers = auth.headers("eve@acme.test")
    resp = client.post("/api/v1/proposals", json={"url": url, **fields}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_the_queue_shows_link_note_proposer_and_duplicates(admin_console, client, auth, employee):
    with db.connection_context():
        Snippet.create(
            title="Spring launch", link_url="https://acme.test/spring", expires_at="2099-01-01"
        )
    proposal(client, auth, "https://acme.test/spring/", note="Big one", title="Spring page")
    proposal(client, auth, "https://acme.test/fresh")
    page = html.unescape(admin_console.page("/admin/proposals"))
    assert 'aria-current="page">Proposals' in page  # the nav marks where we are
    assert "Spring page" in page and "“Big one”" in page and "Eve Employee" in page
    assert "Already in the library: " in page and "Spring launch" in page
    assert page.count("Accept as draft") == 2
    assert 'Pending <span class="count">2</span>' in page


def test_accept_opens_the_new_draft_credited_to_the_proposer(admin_console, client, auth, employee):
    p = proposal(client, auth, "https://acme.test/post", title="A post", note="Please share")
    resp = admin_console.post(f"/admin/proposals/{p['id']}/accept")
    assert resp.status_code == 302
    with db.connection_context():
        row = Proposal.get_by_id(p["id"])
        assert row.status == "accepted" and row.snippet.source == "employee"
        assert resp.location.endswith(f"/admin/snippets/{row.snippet_id}")
    page = html.unescape(admin_console.page(resp.location))
    assert "Proposed by Eve Employee (eve@acme.test): “Please share”" in " ".join(
        page.replace("<strong>", "").replace("</strong>", "").split()
    )
    assert "is a draft snippet now" in page
    accepted = admin_console.page("/admin/proposals?status=accepted")
    assert "Open the draft" in accepted
    assert "No proposals waiting" in admin_console.page("/admin/proposals")


def test_decline_needs_a_reason_and_the_employee_sees_it(admin_console, client, auth, employee):
    p = proposal(client, auth, "https://rival.test/story")
    page = admin_console.post(
        f"/admin/proposals/{p['id']}/decline", {"reason": " "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Nothing changed" in page
    admin_console.post(f"/admin/proposals/{p['id']}/decline", {"reason": "Off topic for us."})
    mine = client.get("/api/v1/proposals/mine", headers=auth.headers("eve@acme.test")).get_json()
    assert mine["items"][0]["decline_reason"] == "Off topic for us."
    declined = admin_console.page("/admin/proposals?status=declined")
    assert "Off topic for us." in declined
    with db.connection_context():
        assert Outbox.get(Outbox.key == f"proposal:{p['id']}:declined").kind == "proposal-declined"
