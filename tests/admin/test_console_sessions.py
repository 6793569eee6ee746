"""Console sessions live on the server: signing out, "sign out everywhere" and disabling end them, and
a copied cookie stops working; idle and absolute timeouts come from the configuration."""

from __future__ import annotations

from datetime import timedelta

from server.config import from_environment
from server.db import db
from server.models import ConsoleSession, utcnow
from tests.admin.conftest import Console
from tests.conftest import make_user


def cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, value: str):
    """Another browser (an attacker's) with a copy of the cookie: what does /admin/ give it?"""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief.get("/admin/")


def test_a_copied_cookie_stops_working_after_sign_out(app, admin_console):
    copied = cookie(admin_console.client)
    assert replay(app, copied).status_code == 200  # the copy works while the session is live
    resp = admin_console.post("/admin/sign-out")
    assert resp.status_code == 302
    gone = replay(app, copied)
    assert gone.status_code == 302
    assert gone.headers["Location"].startswith("/admin/sign-in")


def test_sign_out_everywhere_ends_every_browser_and_the_extension(app, admin, auth):
    laptop, phone = Console(app.test_client()), Console(app.test_client())
    assert laptop.sign_in(admin.email).status_code == 302
    assert phone.sign_in(admin.email).status_code == 302
    copied = cookie(phone.client)
    tokens = auth.login(admin.email).get_json()
    page = laptop.page("/admin/")
    assert "Sign out everywhere" in page
    resp = laptop.post("/admin/sign-out-everywhere", follow_redirects=True)
    assert resp.status_code == 200
    assert "signed out everywhere" in resp.get_data(as_text=True)
    assert laptop.client.get("/admin/").status_code == 302
    assert phone.client.get("/admin/").status_code == 302
    assert replay(app, copied).status_code == 302
    # The extension's refresh token is revoked too.
    refreshed = app.test_client().post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


def test_disabling_an_admin_ends_their_console_session(app, admin_console):
    other = make_user("bo@acme.test", role="admin", name="Bo Admin")
    bo = Console(app.test_client())
    assert bo.sign_in(other.email).status_code == 302
    copied = cookie(bo.client)
    assert bo.client.get("/admin/").status_code == 200
    resp = admin_console.post(f"/admin/people/{other.id}/disable")
    assert resp.status_code == 302
    assert bo.client.get("/admin/").status_code == 302
    with db.connection_context():
        rows = list(ConsoleSession.select().where(ConsoleSession.user == other.id))
    assert rows and all(r.revoked_at is not None for r in rows)
    # Enabling the account again does not bring the old session back.
    admin_console.post(f"/admin/people/{other.id}/enable")
    assert replay(app, copied).status_code == 302


def test_an_idle_session_ends(app, admin_console):
    app.config["CONSOLE_IDLE_MINUTES"] = 30
    assert admin_console.client.get("/admin/").status_code == 200
    with db.connection_context():
        ConsoleSession.update(last_seen_at=utcnow() - timedelta(minutes=31)).execute()
    assert admin_console.client.get("/admin/").status_code == 302


def test_recent_use_keeps_a_session_alive_until_the_absolute_limit(app, admin_console):
    app.config["CONSOLE_IDLE_MINUTES"] = 30
    app.config["CONSOLE_MAX_HOURS"] = 8
    with db.connection_context():
        ConsoleSession.update(
            created_at=utcnow() - timedelta(hours=7, minutes=50),
            last_seen_at=utcnow() - timedelta(minutes=20),
        ).execute()
    assert admin_console.client.get("/admin/").status_code == 200
    with db.connection_context():
        ConsoleSession.update(created_at=utcnow() - timedelta(hours=8, minutes=1)).execute()
        assert ConsoleSession.get().last_seen_at > utcnow() - timedelta(minutes=1)  # just used
    assert admin_console.client.get("/admin/").status_code == 302


def test_timeouts_come_from_the_environment():
    values = from_environment(
        {"HERALD_CONSOLE_IDLE_MINUTES": "15", "HERALD_CONSOLE_MAX_HOURS": "4"}
    )
    assert values == {"CONSOLE_IDLE_MINUTES": 15, "CONSOLE_MAX_HOURS": 4}
