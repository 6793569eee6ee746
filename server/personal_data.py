"""An employee's own records, as the server holds them (GET /api/v1/me/data), and what names them.

The options page shows this and offers it as a JSON download, so what Herald records about a person
is something they can read, not a promise. The export columns below are the console's CSV headers
(server.admin.exports uses these lists), so the page can never describe an export that differs
from the real one.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from peewee import JOIN, fn

from server import analytics
from server.models import (
    AdapterReport,
    Click,
    Proposal,
    Share,
    Snippet,
    TrackedLink,
    User,
    iso,
    utcnow,
)
from server.proposals import proposal_json
from server.serialize import user_json
from server.tracked_links import tracked_url

SHARES_HEADER = [
    "shared_at",
    "email",
    "name",
    "network",
    "snippet_id",
    "snippet_title",
    "variant",
    "edited",
    "edit_distance",
    "findings",
    "event_id",
    "suspect_reason",  # set: kept but counted nowhere (server.share_validation)
]
CLICKS_HEADER = [
    "clicked_at",
    "link_code",
    "email",
    "snippet_id",
    "snippet_title",
    "target_url",
    "referrer_host",
    "browser",
    "counted",
]


def admin_exports(user: User) -> list[dict[str, Any]]:
    """What an admin can download or see that names this employee."""
    return [
        {
            "name": "shares.csv",
            "names_you": True,
            "columns": SHARES_HEADER,
            "what": "one row per share event you sent, with your email and name",
        },
        {
            "name": "clicks.csv",
            "names_you": True,
            "columns": CLICKS_HEADER,
            "what": "one row per visit to your tracked links, with your email (never the visitor's address)",
        },
        {
            "name": "proposals queue",
            "names_you": True,
            "columns": ["url", "title", "note", "status", "proposer name", "proposer email"],
            "what": "the links you suggested, with your name and email, until an admin decides",
        },
        {
            "name": "dashboard leaderboard",
            "names_you": bool(user.leaderboard_opt_in),
            "columns": ["rank", "name", "shares", "clicks"],
            "what": "your name and counts, only while you opt in to the leaderboard",
        },
    ]


def my_data(user: User) -> dict[str, Any]:
    """Everything the server keeps that is tied to `user`: profile, shares, links, standing."""
    shares = [
        {
            "event_id": s.event_id,
            "network": s.network,
            "snippet_id": s.snippet_id,
            "snippet_title": s.snippet.title if s.snippet_id else None,
            "variant": s.variant,
            "edited": s.edited,
            "edit_distance": s.edit_distance,
            "findings": list(s.findings or []),
            "shared_at": iso(s.shared_at),
            "received_at": iso(s.received_at),
            "counted": s.suspect_reason is None,
            "suspect_reason": s.suspect_reason,
        }
        for s in Share.select(Share, Snippet)
        .join(Snippet, JOIN.LEFT_OUTER)
        .where(Share.user == user.id)
        .order_by(Share.shared_at.desc(), Share.id.desc())
    ]
    counts: dict[int, dict[str, int]] = {}
    for link_id, bot, repeat, n in (
        Click.select(Click.link, Click.bot, Click.repeat, fn.COUNT(Click.id))
        .join(TrackedLink)
        .where(TrackedLink.user == user.id)
        .group_by(Click.link, Click.bot, Click.repeat)
        .tuples()
    ):
        entry = counts.setdefault(link_id, {"counted": 0, "repeats": 0, "bots": 0})
        entry["bots" if bot else "repeats" if repeat else "counted"] += n
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    links = [
        {
            "url": tracked_url(link.code, base.rstrip("/")),
            "snippet_id": link.snippet_id,
            "snippet_title": link.snippet.title,
            "target_url": link.target_url,
            "created_at": iso(link.created_at),
            "clicks": counts.get(link.id, {"counted": 0, "repeats": 0, "bots": 0}),
        }
        for link in TrackedLink.select(TrackedLink, Snippet)
        .join(Snippet)
        .where(TrackedLink.user == user.id)
        .order_by(TrackedLink.created_at.desc(), TrackedLink.id.desc())
    ]
    period = analytics.parse_period(None, None)
    in_period = analytics.counted_shares(period) & (Share.user == user.id)
    rank = (
        analytics.leaderboard_rank(period, user.id)
        if user.leaderboard_opt_in and user.status != "disabled"
        else None
    )
    counted_clicks = (
        Click.select()
        .join(TrackedLink)
        .where(
            (TrackedLink.user == user.id)
            & (Click.at >= period.lower)
            & (Click.at < period.upper)
            & (Click.bot == False)  # noqa: E712
            & (Click.repeat == False)  # noqa: E712
        )
        .count()
    )
    return {
        "generated_at": iso(utcnow()),
        "profile": user_json(user),
        "shares": shares,
        "tracked_links": links,
        "proposals": [
            proposal_json(p)
            for p in Proposal.select()
            .where(Proposal.user == user.id)
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        ],
        "installations": [
            {
                "installation": r.installation,
                "extension_version": r.extension_version,
                "adapters": dict(r.adapters or {}),
                "refused": r.refused,
                "first_seen_at": iso(r.first_seen_at),
                "last_seen_at": iso(r.last_seen_at),
            }
            for r in AdapterReport.select()
            .where(AdapterReport.user == user.id)
            .order_by(AdapterReport.last_seen_at.desc(), AdapterReport.id.desc())
        ],
        "standing": {
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "shares": Share.select().where(in_period).count(),
            "clicks": counted_clicks,
            "leaderboard_opt_in": bool(user.leaderboard_opt_in),
            "on_leaderboard": rank is not None,
            "rank": rank,
        },
        "admin_exports": admin_exports(user),
    }
