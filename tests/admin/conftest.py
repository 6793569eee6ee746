"""Console fixtures: a signed-in test client, known analytics data, and a live server for Playwright."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from server.db import db
from server.models import Click, Share, Snippet, SnippetVariant, TrackedLink, utcnow
from tests.browser_harness import BROWSER_FLAGS
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


# --- live server for Playwright ------------------------------------------------------------------

ADMIN_EMAIL = "console-lead@acme.test"  # not a demo account: its password is ours
EMPLOYEE_EMAIL = "console-employee@acme.test"


def seed_demo() -> None:
    """Demo data for the live server: `server.demo.load_demo` when it exists, plus known accounts
    and four weeks of activity so the dashboard has something to show."""
    import random

    from server.models import Team, User

    try:
        from server.demo import load_demo
    except ModuleNotFoundError:
        load_demo = None
    try:
        from server.policy_store import load_starter_policy

        load_starter_policy()
    except ModuleNotFoundError:
        pass
    if load_demo is not None:
        load_demo()
    if User.get_or_none(User.email == ADMIN_EMAIL) is None:
        make_user(ADMIN_EMAIL, role="admin", name="Lea Lead")
    if User.get_or_none(User.email == EMPLOYEE_EMAIL) is None:
        make_user(
            EMPLOYEE_EMAIL, teams=("Engineering",), name="Sam Sharer", leaderboard_opt_in=True
        )
    if Share.select().count() > 40:
        return  # the demo loader brought its own activity
    rng = random.Random(7)  # fixed seed: the same screenshot every run
    teams = ["Engineering", "Sales", "Marketing", "Support"]
    people = []
    for i in range(24):
        email = f"demo{i}@acme.test"
        user = User.get_or_none(User.email == email) or make_user(
            email,
            teams=(teams[i % 4],),
            name=f"{['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay'][i % 6]} {['Ortiz', 'Berg', 'Ito', 'Khan'][i // 6]}",
            leaderboard_opt_in=i % 3 == 0,
            follower_count=rng.choice([None, None, 350, 1200, 4000]),
        )
        people.append(user)
    with db.connection_context():
        for i in range(6):
            User.create(email=f"invitee{i}@acme.test", name=f"Invitee {i}", status="invited")
        Team.get_or_create(name="Legal")
    snippets = [
        add_snippet(t)
        for t in (
            "Q3 product launch",
            "Hiring: platform engineers",
            "Customer story: Globex",
            "Conference talk recap",
        )
    ]
    now = utcnow()
    for day in range(28):
        for _ in range(rng.randint(2, 9)):
            user = rng.choice(people[:18])
            snippet = rng.choice(snippets + [None])
            at = now - timedelta(days=day, hours=rng.randint(0, 20))
            add_share(user, rng.choice(["linkedin", "linkedin", "x"]), at, snippet)
            if snippet is not None and rng.random() < 0.6:
                add_clicks(
                    user,
                    snippet,
                    at + timedelta(hours=1),
                    rng.randint(1, 6),
                    rng.choice(["lnkd.in", "t.co", None]),
                )


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, databases):
    """The whole app on a real port (werkzeug, threaded) with a temp SQLite DB and demo data."""
    import threading

    from werkzeug.serving import make_server

    from server import create_app
    from server.db import create_tables

    base = tmp_path_factory.mktemp("live")
    database_url = databases.new()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live-test-secret-key-long-enough-for-hs256",
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": None,
        }
    )
    app.instance_path = str(base / "instance")
    with app.app_context():
        create_tables()
        with db.connection_context():
            seed_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    databases.drop(database_url)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright; never a downloaded browser."""
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            args=BROWSER_FLAGS,
        )
        yield browser
        browser.close()
