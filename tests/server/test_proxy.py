"""Behind a reverse proxy (docs/DEPLOY.md): HERALD_PROXY_HOPS=1 makes links say what the proxy
serves (https, its host); without it, forwarded headers are ignored so clients cannot spoof them."""

from __future__ import annotations

import pytest

from server import create_app
from server.db import db
from server.snippets import create_snippet, transition
from tests.conftest import make_user

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "herald.example.com"}


@pytest.fixture(params=[0, 1], ids=["direct", "behind-nginx"])
def proxied(request, database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": None,  # links take the request's scheme and host
            "PROXY_HOPS": request.param,
        }
    )
    yield app, request.param
    if not db.is_closed():
        db.close()


def test_links_follow_the_proxy_only_when_it_is_trusted(proxied):
    app, hops = proxied
    admin = make_user("ada@acme.test", role="admin")
    make_user("eve@acme.test", teams=("Engineering",))
    with app.app_context(), db.connection_context():
        snippet = create_snippet(
            admin,
            {"title": "Launch", "variants": {"x": ["Read"]}, "link_url": "https://acme.test/a"},
        )
        transition(admin, snippet, "approve")
    client = app.test_client()
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "eve@acme.test", "password": "correct horse battery"},
        headers=FORWARDED,
    )
    token = login.get_json()["access_token"]
    resp = client.get(
        "/api/v1/suggestions?network=x",
        headers={**FORWARDED, "Authorization": f"Bearer {token}"},
    )
    link = resp.get_json()["items"][0]["link"]
    expected = "https://herald.example.com/" if hops else "http://localhost/"
    assert link.startswith(expected), link
