"""A small recognition world shared by the API, mail and console tests.

Eve (Engineering, opted in): 2 shares, and on her tracked link 3 people's clicks, a repeat by one of
them the same day and 2 link-preview bots (LinkedInBot, Twitterbot), all through /r/ (record_click).
Sal (Sales, opted in): 1 share and 1 suspect share. Nora (Engineering, NOT opted in): 5 shares and
4 clicks, more than anyone: she must appear nowhere. Default points: share 10, click 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.db import db
from server.models import Share, Snippet, TrackedLink, User, utcnow
from tests.conftest import make_user

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
BOTS = (
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
)
HIDDEN = "Nora Hidden"


@dataclass
class World:
    eve: User
    sal: User
    nora: User
    snippet: Snippet


def share(user: User, at: datetime, suspect: str | None = None, n: list[int] = [0]) -> None:  # noqa: B006
    n[0] += 1
    Share.create(
        event_id=f"ev-{user.id}-{n[0]}",
        user=user,
        network="linkedin",
        shared_at=at,
        suspect_reason=suspect,
    )


def click(client, code: str, address: str, agent: str = BROWSER) -> None:
    resp = client.get(
        f"/r/{code}", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}
    )
    assert resp.status_code == 302


def build(client, at: datetime | None = None, click_now: bool = True) -> World:
    """Shares at `at` (default now); clicks through the real /r/ endpoint (they are stamped now)."""
    at = at or utcnow()
    eve = make_user(
        "eve@acme.test", teams=("Engineering",), name="Eve Employee", leaderboard_opt_in=True
    )
    sal = make_user("sal@acme.test", teams=("Sales",), name="Sal Sales", leaderboard_opt_in=True)
    nora = make_user("nora@acme.test", teams=("Engineering",), name=HIDDEN)
    with db.connection_context():
        snippet = Snippet.create(
            title="Launch day",
            link_url="https://acme.test/launch",
            status="approved",
            starts_at=at,
            expires_at=datetime(2100, 1, 1),
        )
        for _ in range(2):
            share(eve, at)
        share(sal, at)
        share(sal, at, suspect="implausible_time")
        for _ in range(5):
            share(nora, at)
        TrackedLink.create(code="eve-link", user=eve, snippet=snippet, target_url=snippet.link_url)
        TrackedLink.create(
            code="nora-link", user=nora, snippet=snippet, target_url=snippet.link_url
        )
    if click_now:
        for i in range(3):
            click(client, "eve-link", f"198.51.100.{i + 1}")
        click(client, "eve-link", "198.51.100.1")  # the same visitor again today: a repeat
        for bot in BOTS:
            click(client, "eve-link", "203.0.113.50", bot)
        for i in range(4):
            click(client, "nora-link", f"192.0.2.{i + 1}")
    return World(eve, sal, nora, snippet)
