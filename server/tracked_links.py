"""Tracked links: one unguessable code per (employee, snippet), pointing at the snippet's link."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, request

from server.db import db
from server.models import TrackedLink


def public_base() -> str:
    """Where /r/<code> is reachable: PUBLIC_BASE_URL, else the host the request came to."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/")


def tracked_url(code: str, base: str | None = None) -> str:
    return f"{base or public_base()}/r/{code}"


def new_code() -> str:
    return secrets.token_urlsafe(8)


def ensure_links(user_id: int, targets: dict[int, str]) -> dict[int, str]:
    """Codes for {snippet_id: target_url}, creating missing links in bulk (two or three queries).

    Concurrent requests may insert the same (user, snippet) pair: the unique index keeps one,
    the loser's insert is ignored, and the final select reads whichever won.
    """
    if not targets:
        return {}
    ids = list(targets)

    def existing() -> dict[int, str]:
        rows = (
            TrackedLink.select(TrackedLink.snippet, TrackedLink.code)
            .where(TrackedLink.user == user_id, TrackedLink.snippet.in_(ids))
            .tuples()
        )
        return dict(rows)

    codes = existing()
    for _attempt in range(3):  # a retry only if a fresh code collided with another link's code
        missing = [sid for sid in ids if sid not in codes]
        if not missing:
            break
        rows = [
            {"code": new_code(), "user": user_id, "snippet": sid, "target_url": targets[sid]}
            for sid in missing
        ]
        with db.atomic():
            TrackedLink.insert_many(rows).on_conflict_ignore().execute()
        codes = existing()
    return codes


_BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "preview",
    "curl",
    "wget",
    "python-requests",
    "headless",
)


def ua_family(user_agent: str | None) -> str:
    """Coarse browser family only: enough for a chart, too little to fingerprint anyone."""
    ua = (user_agent or "").lower()
    if not ua:
        return "other"
    if any(marker in ua for marker in _BOT_MARKERS):
        return "bot"
    if "edg/" in ua or "edga/" in ua or "edgios/" in ua:
        return "edge"
    if "firefox/" in ua or "fxios/" in ua:
        return "firefox"
    if "chrome/" in ua or "crios/" in ua or "chromium/" in ua:
        return "chrome"
    if "safari/" in ua:
        return "safari"
    return "other"


def referrer_host(referrer: str | None) -> str | None:
    """The referring site's host name, never its path or query (those can identify people)."""
    if not referrer:
        return None
    try:
        host = urlsplit(referrer).hostname
    except ValueError:
        return None
    return host[:255] if host else None
