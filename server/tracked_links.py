"""Tracked links: one unguessable code per (employee, snippet), pointing at the snippet's link."""

from __future__ import annotations

import functools
import secrets
import threading
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from flask import current_app, request

from server.db import db
from server.models import Click, TrackedLink, utcnow
from server.raw_sql import column, placeholders, table
from server.visitors import visitor_hash


def public_base() -> str:
    """Where /r/<code> is reachable: PUBLIC_BASE_URL, else the host the request came to."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/")


def tracked_url(code: str, base: str | None = None) -> str:
    return f"{base or public_base()}/r/{code}"


@functools.lru_cache(maxsize=32)
def _codes_sql(count: int, param: str) -> str:
    """(snippet, code) of one person's links, as text once per IN-list length: the digest reads
    them once per message, and composing the query through peewee cost more than running it."""
    return (
        f"SELECT {column(TrackedLink.snippet)}, {column(TrackedLink.code)} FROM {table(TrackedLink)} "
        f"WHERE {column(TrackedLink.user)} = {param} "
        f"AND {column(TrackedLink.snippet)} IN ({placeholders(count, param)})"
    )


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
        return dict(db.execute_sql(_codes_sql(len(ids), db.param), (user_id, *ids)).fetchall())

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


_detector = CrawlerDetect()
_detector_lock = threading.Lock()  # CrawlerDetect keeps its last match on the instance


@functools.lru_cache(maxsize=4096)
def is_bot(user_agent: str | None) -> bool:
    """A crawler, link-preview fetcher or script, by crawlerdetect's maintained list.

    LinkedIn's and X's preview fetchers open every shared link: counted, they would credit the
    sharer with clicks nobody made. An empty user agent is no browser either.
    """
    if not user_agent or not user_agent.strip():
        return True
    with _detector_lock:
        return bool(_detector.isCrawler(user_agent[:1000]))


def counted_click():
    """The clicks that count (dashboard, digest, points, the employee's own data): no bots, and a
    visitor's same-day repeat on one link counts once (record_click)."""
    return (Click.bot == False) & (Click.repeat == False)  # noqa: E712 - peewee expression


def ua_family(user_agent: str | None) -> str:
    """Coarse browser family only: enough for a chart, too little to fingerprint anyone."""
    ua = (user_agent or "").lower()
    if not ua:
        return "other"
    if is_bot(user_agent):
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


def record_click(
    link_id: int,
    address: str | None,
    user_agent: str | None,
    referrer: str | None,
    rate_per_minute: int,
    now: datetime | None = None,
) -> str:
    """Store one visit to /r/ and say how it counts: "counted", "repeat", "bot" or "limited".

    Bots are stored flagged (the dashboard shows them apart) and never counted. A visitor's second
    visit to the same link on the same UTC day is stored as a repeat, not counted. Past
    `rate_per_minute` visits from one visitor nothing more is stored that minute: a loop or a
    script cannot grow the table, and the reader is still sent on (the caller always redirects).
    """
    now = now or utcnow()
    row = {
        "link": link_id,
        "at": now,
        "referrer_host": referrer_host(referrer),
        "ua_family": ua_family(user_agent),
    }
    if is_bot(user_agent):
        Click.create(**row, bot=True)
        return "bot"
    visitor = visitor_hash(address, user_agent, now)
    recent = (
        Click.select()
        .where((Click.visitor == visitor) & (Click.at > now - timedelta(minutes=1)))
        .limit(rate_per_minute)
        .count()
    )
    if recent >= rate_per_minute:
        return "limited"
    day_start = datetime.combine(now.date(), time.min)
    seen = (
        Click.select(Click.id)
        .where((Click.link == link_id) & (Click.visitor == visitor) & (Click.at >= day_start))
        .exists()
    )
    Click.create(**row, visitor=visitor, repeat=seen)
    return "repeat" if seen else "counted"
