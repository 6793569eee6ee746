"""Console fixtures: a signed-in test client, known analytics data, and a live server for Playwright."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from server.db import db
from server.models import Click, Share, Snippet, SnippetVariant, TrackedLink, utcnow
from tests.conftest import PASSWORD, make_user


class Console:
    """Drives the console like a browser: forms carry the CSRF token the page gave them."""

    def __init__(self, client):
        self.client = client

    def csrf(self) -> str:
        page = self.client.get("/admin/sign-in")
        if page.status_code == 302:  # already signed in: the session holds the token
            return self.token()
        match = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True))
        assert match, "every console page carries its CSRF token"
        return match.group(1)

    def sign_in(self, email: str, password: str = PASSWORD, follow_redirects: bool = False):
        return self.client.post(
            "/admin/sign-in",
            data={"email": email, "password": password, "csrf_token": self.csrf()},
            follow_redirects=follow_redirects,
        )

    def token(self) -> str:
        with self.client.session_transaction() as session:
            return session["csrf"]

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kwargs)

    def page(self, url: str) -> str:
        resp = self.client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        return resp.get_data(as_text=True)


@pytest.fixture
def console(client):
    return Console(client)


@pytest.fixture
def admin_console(console, admin):
    resp = console.sign_in(admin.email)
    assert resp.status_code == 302
    return console


def add_snippet(title: str = "Launch day", status: str = "approved", **fields) -> Snippet:
    with db.connection_context():
        now = utcnow()
        snippet = Snippet.create(
            title=title,
            status=status,
            starts_at=fields.pop("starts_at", now - timedelta(days=60)),
            expires_at=fields.pop("expires_at", now + timedelta(days=60)),
            link_url=fields.pop("link_url", "https://acme.test/launch"),
            **fields,
        )
        SnippetVariant.create(snippet=snippet, network="linkedin", text=f"{title} on LinkedIn")
        SnippetVariant.create(snippet=snippet, network="x", text=f"{title} on X")
    return snippet


def add_share(user, network: str, at: datetime, snippet=None, **fields) -> Share:
    with db.connection_context():
        return Share.create(
            event_id=fields.pop(
                "event_id",
                f"{user.id}-{network}-{at.isoformat()}-{id(fields)}-{Share.select().count()}",
            ),
            user=user,
            network=network,
            snippet=snippet,
            shared_at=at,
            **fields,
        )


def add_clicks(user, snippet, at: datetime, count: int, referrer: str | None = None) -> TrackedLink:
    with db.connection_context():
        link, _ = TrackedLink.get_or_create(
            user=user,
            snippet=snippet,
            defaults={"code": f"c{user.id}s{snippet.id}", "target_url": snippet.link_url},
        )
        for _ in range(count):
            Click.create(link=link, at=at, referrer_host=referrer)
    return link


__all__ = ["Console", "PASSWORD", "add_clicks", "add_share", "add_snippet", "make_user"]
