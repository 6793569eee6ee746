"""Console pages: snippets, people, campaigns, settings, audit log, escaping."""

from __future__ import annotations

import io
from datetime import timedelta

from server.db import db
from server.models import (
    AuditEntry,
    Campaign,
    Invitation,
    Snippet,
    SnippetVariant,
    Team,
    User,
    utcnow,
)
from tests.admin.conftest import add_share, add_snippet

XSS = "<img src=x onerror=alert(1)>"


def test_create_a_snippet_with_variants_then_approve_it(admin_console, app):
    with db.connection_context():
        team = Team.create(name="Engineering")
        campaign = Campaign.create(name="Spring", hashtag="spring")
    resp = admin_console.post(
        "/admin/snippets/new",
        {
            "title": "Spring launch",
            "variant_linkedin": ["We launched spring!", "  "],
            "variant_x": ["Spring is here", "Spring, shorter"],
            "link_url": "https://acme.test/spring",
            "hashtags": "#spring, launch",
            "campaign_id": str(campaign.id),
            "team_ids": [str(team.id)],
        },
    )
    assert resp.status_code == 302
    with db.connection_context():
        snippet = Snippet.get(Snippet.title == "Spring launch")
        texts = [
            (v.network, v.text)
            for v in SnippetVariant.select()
            .where(SnippetVariant.snippet == snippet)
            .order_by(SnippetVariant.network, SnippetVariant.position)
        ]
        assert texts == [
            ("linkedin", "We launched spring!"),
            ("x", "Spring is here"),
            ("x", "Spring, shorter"),
        ]
        assert snippet.hashtags == ["spring", "launch"]
        assert snippet.status == "draft"
    page = admin_console.page(resp.headers["Location"])
    assert "Spring is here" in page and "Approve" in page
    resp = admin_console.post(f"/admin/snippets/{snippet.id}/approve", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "Snippet approved" in page
    # True to the word: an open composer checks with the server when it opens, not at once.
    assert "employees see it the next time they open a composer" in page
    assert "employees see it now" not in page
    assert "Approved by <strong>Ada Admin</strong>" in page
    listing = admin_console.page("/admin/snippets?status=approved")
    assert "Spring launch" in listing and "Ada Admin" in listing
    assert "Spring launch" not in admin_console.page("/admin/snippets?status=draft")
    with db.connection_context():
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["snippet.create", "snippet.approve"]


def test_invalid_snippet_keeps_what_was_typed_and_says_why(admin_console):
    resp = admin_console.post(
        "/admin/snippets/new", {"title": "Too long", "variant_x": ["x" * 300]}
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "The snippet was not saved" in page
    assert "300 weighted characters; X allows 280" in page
    assert 'value="Too long"' in page
    assert "x" * 300 in page  # the text is still there to shorten
    resp = admin_console.post(
        "/admin/snippets/new",
        {"title": "Bad link", "variant_x": ["ok"], "link_url": "javascript:alert(1)"},
    )
    assert resp.status_code == 422
    assert "/link_url" in resp.get_data(as_text=True)


def test_snippet_filters(admin_console):
    add_snippet("Soon gone", expires_at=utcnow() + timedelta(days=3))
    add_snippet("Long lived", expires_at=utcnow() + timedelta(days=90))
    add_snippet("Still a draft", status="draft")
    expiring = admin_console.page("/admin/snippets?expiring=1")
    assert "Soon gone" in expiring and "Long lived" not in expiring
    drafts = admin_console.page("/admin/snippets?status=draft")
    assert "Still a draft" in drafts and "Soon gone" not in drafts


def test_a_hostile_title_is_text_everywhere(admin_console, employee):
    resp = admin_console.post("/admin/snippets/new", {"title": XSS, "variant_linkedin": ["Hello"]})
    assert resp.status_code == 302
    with db.connection_context():
        snippet = Snippet.get(Snippet.title == XSS)
    add_share(employee, "linkedin", utcnow(), snippet)
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for url in ("/admin/snippets", f"/admin/snippets/{snippet.id}", "/admin/", "/admin/audit"):
        page = admin_console.page(url)
        assert XSS not in page, url
        assert (
            escaped in page
            or "&#34;title&#34;: &#34;&lt;img" in page
            or escaped.replace("&lt;", "&lt;") in page
        ), url


def test_invite_by_form_shows_the_link_and_audits(admin_console):
    resp = admin_console.post(
        "/admin/people/invite", {"email": "Nia@Acme.test", "name": "Nia"}, follow_redirects=True
    )
    page = resp.get_data(as_text=True)
    assert "Invited nia@acme.test" in page
    assert "http://herald.test/invite/" in page
    with db.connection_context():
        assert User.get(User.email == "nia@acme.test").status == "invited"
        assert AuditEntry.get(AuditEntry.action == "user.invite").after["email"] == "nia@acme.test"


def test_csv_upload_without_javascript_reports_each_row(admin_console, employee):
    csv_text = (
        "email,name,role,teams\n"
        "a1@acme.test,A One,employee,Engineering;Design\n"
        "eve@acme.test,Eve Again,employee,\n"
        "not-an-email,Nobody,employee,\n"
        "b2@acme.test,B Two,boss,\n"
        '"c3@acme.test","=HYPERLINK(""x"")",admin,Sales\n'
    )
    resp = admin_console.post(
        "/admin/people/import",
        {"file": (io.BytesIO(csv_text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "2 done, 3 skipped." in page
    assert "already has an account" in page
    assert "not a valid email address" in page
    assert "unknown role &#39;boss&#39;" in page
    with db.connection_context():
        a1 = User.get(User.email == "a1@acme.test")
        assert sorted(t.team.name for t in a1.memberships) == ["Design", "Engineering"]
        assert User.get(User.email == "c3@acme.test").role == "admin"


def test_csv_chunks_from_fetch_get_a_json_report(admin_console):
    rows = [{"email": f"p{i}@acme.test", "name": f"P{i}"} for i in range(3)] + [
        {"email": "p0@acme.test"}
    ]
    resp = admin_console.client.post(
        "/admin/people/import",
        json={"rows": rows, "first_line": 102},
        headers={"X-CSRF-Token": admin_console.token(), "Accept": "application/json"},
    )
    results = resp.get_json()["results"]
    assert [(r["line"], r["outcome"]) for r in results] == [
        (102, "created"),
        (103, "created"),
        (104, "created"),
        (105, "skipped"),
    ]
    assert results[3]["reason"].startswith("already invited")


def test_remind_sends_a_fresh_link(admin_console):
    admin_console.post("/admin/people/invite", {"email": "late@acme.test", "name": "Late"})
    with db.connection_context():
        invitation = Invitation.get()
    resp = admin_console.post(f"/admin/invitations/{invitation.id}/remind", follow_redirects=True)
    assert "New link for late@acme.test" in resp.get_data(as_text=True)
    with db.connection_context():
        assert Invitation.get_by_id(invitation.id).reminders_sent == 1
    resp = admin_console.post("/admin/invitations/remind-all")
    assert "late@acme.test" in resp.get_data(as_text=True)


def test_disable_an_account_signs_it_out(admin_console, client, auth, employee):
    headers = auth.headers(employee.email)
    resp = admin_console.post(f"/admin/people/{employee.id}/disable", follow_redirects=True)
    assert "eve@acme.test is disabled" in resp.get_data(as_text=True)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    with db.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "user.disable")
    assert (entry.before["status"], entry.after["status"]) == ("active", "disabled")


def test_admins_cannot_disable_themselves(admin_console, admin):
    resp = admin_console.post(f"/admin/people/{admin.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in resp.get_data(as_text=True)


def test_teams_and_campaigns(admin_console):
    admin_console.post("/admin/teams", {"name": "Design"})
    assert "<td>Design</td>" in admin_console.page("/admin/people")
    admin_console.post(
        "/admin/campaigns",
        {
            "name": "Autumn",
            "hashtag": "#autumn",
            "starts_at": "2025-09-01T00:00",
            "ends_at": "2025-10-01T00:00",
        },
    )
    page = admin_console.page("/admin/campaigns")
    assert "Autumn" in page and "#autumn" in page
    with db.connection_context():
        campaign = Campaign.get(Campaign.name == "Autumn")
    admin_console.post(
        f"/admin/campaigns/{campaign.id}", {"name": "Autumn 2025", "hashtag": "autumn"}
    )
    assert "Autumn 2025" in admin_console.page("/admin/campaigns")
    bad = admin_console.post(
        "/admin/campaigns",
        {"name": "Backwards", "starts_at": "2025-10-01T00:00", "ends_at": "2025-09-01T00:00"},
        follow_redirects=True,
    )
    assert "must end after it starts" in bad.get_data(as_text=True)


def test_settings_reach_the_extension_and_the_audit_log(admin_console, client):
    form = {
        "program_name": "Acme Voices",
        "program_logo_url": "https://cdn.acme.test/logo.png",
        "program_tagline": "Say it your way",
        "default_expiry_days": "30",
        "extension_origins": "chrome-extension://abcdefghijklmnopabcdefghijklmnop\n",
        "emv_currency": "eur",
        "linkedin_cpm": "25",
        "linkedin_cpc": "3",
        "linkedin_avg_audience": "600",
        "x_cpm": "5",
        "x_cpc": "1",
        "x_avg_audience": "250",
    }
    resp = admin_console.post("/admin/settings", form, follow_redirects=True)
    assert "Settings saved." in resp.get_data(as_text=True)
    program = client.get("/api/v1/program").get_json()
    assert program["name"] == "Acme Voices"
    assert program["logo_url"] == "https://cdn.acme.test/logo.png"
    with db.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "settings.update")
    assert entry.before["program_name"] == "Herald"
    assert entry.after["emv_rates"]["linkedin"] == {"cpm": 25.0, "cpc": 3.0, "avg_audience": 600}
    # The saved origin is allowed for the API right away, next to HERALD_CORS_ORIGINS.
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    cors = client.get("/api/v1/program", headers={"Origin": origin})
    assert cors.headers.get("Access-Control-Allow-Origin") == origin
    other = client.get("/api/v1/program", headers={"Origin": "chrome-extension://zzzz"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_invalid_settings_are_explained(admin_console):
    resp = admin_console.post(
        "/admin/settings",
        {
            "program_name": "",
            "program_logo_url": "javascript:alert(1)",
            "default_expiry_days": "0",
            "extension_origins": "ftp://x",
            "linkedin_cpm": "-1",
            "linkedin_cpc": "a",
            "linkedin_avg_audience": "1",
            "x_cpm": "1",
            "x_cpc": "1",
            "x_avg_audience": "1",
        },
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    for text in (
        "The program needs a name.",
        "must be an https:// address",
        "between 1 and 3650",
        "is not an extension origin",
        "must not be negative",
        "linkedin cpc must be a number",
    ):
        assert text in page, text


def test_audit_log_is_paginated_newest_first(admin_console, admin):
    with db.connection_context():
        for i in range(60):
            AuditEntry.create(
                actor=admin,
                action="team.create",
                object_type="team",
                object_id=str(i),
                after={"name": f"T{i}"},
                at=utcnow() - timedelta(minutes=60 - i),
            )
    first = admin_console.page("/admin/audit")
    assert "60 entries" in first
    assert "team #59" in first and "team #5<" not in first
    assert "Page 1 of 2" in first
    second = admin_console.page("/admin/audit?page=2")
    assert "team #5<" in second or "team #5\n" in second or "#5</td>" in second


def test_invite_page_sets_the_password(admin_console, client):
    resp = admin_console.post(
        "/admin/people/invite", {"email": "new@acme.test", "name": "New Person"}
    )
    link = resp.headers["Location"].split("link=")[1]
    from urllib.parse import unquote

    path = unquote(link).replace("http://herald.test", "")
    visitor = client.application.test_client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Welcome, New Person" in page.get_data(as_text=True)
    with visitor.session_transaction() as session:
        token = session["csrf"]
    short = visitor.post(
        path, data={"password": "short", "password_again": "short", "csrf_token": token}
    )
    assert short.status_code == 422
    done = visitor.post(
        path,
        data={
            "password": "a good long one",
            "password_again": "a good long one",
            "csrf_token": token,
        },
    )
    assert "You're in, New Person" in done.get_data(as_text=True)
    assert (
        visitor.post(
            "/api/v1/auth/login", json={"email": "new@acme.test", "password": "a good long one"}
        ).status_code
        == 200
    )
    assert visitor.get(path).status_code == 410


def test_second_sign_in_rotates_the_csrf_token(console, admin):
    console.sign_in(admin.email)
    first = console.token()
    console.sign_in(admin.email)
    assert console.token() != first


def test_unknown_snippet_is_a_404_page(admin_console):
    resp = admin_console.client.get("/admin/snippets/424242", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "Snippet not found." in resp.get_data(as_text=True)
