"""Is a share event something its employee could have done? Checked against what they could see then.

The extension reports shares, so an employee could also forge them: claim a draft, a snippet aimed
at other teams, a variant that does not exist, a time in 1970. Such an event is still stored
(nothing is lost, and its employee sees it with the reason), but it carries `suspect_reason` and
counts nowhere: not in points, analytics, the leaderboard or "colleagues shared" counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from peewee import fn

from server.models import Membership, Snippet, SnippetTeam, SnippetVariant

# Clocks disagree: a browser's may run a few minutes apart from the server's.
CLOCK_SKEW = timedelta(minutes=5)
# The extension's queue holds events while offline; older than this is no queued share.
MAX_AGE = timedelta(days=30)

REASONS = {
    "implausible_time": "shared_at is before the snippet existed or too long ago",
    "snippet_not_approved": "the snippet was not approved when it was shared",
    "outside_schedule": "the snippet was not live (before its start or after its expiry)",
    "not_targeted": "the snippet is aimed at teams the employee is not in",
    "unknown_variant": "the snippet has no such variant for this network",
}


def suspect_reasons(
    user_id: int, events: list[tuple[dict[str, Any], datetime]], now: datetime
) -> list[str | None]:
    """One reason (a key of REASONS) or None per (event, shared_at), in order. Four queries at most."""
    ids = {e.get("snippet_id") for e, _ in events if e.get("snippet_id") is not None}
    snippets: dict[int, Snippet] = {}
    variants: dict[tuple[int, str], int] = {}
    targets: dict[int, set[int]] = defaultdict(set)
    teams: set[int] = set()
    if ids:
        snippets = {s.id: s for s in Snippet.select().where(Snippet.id.in_(list(ids)))}
        rows = (
            SnippetVariant.select(
                SnippetVariant.snippet, SnippetVariant.network, fn.COUNT(SnippetVariant.id)
            )
            .where(SnippetVariant.snippet.in_(list(ids)))
            .group_by(SnippetVariant.snippet, SnippetVariant.network)
            .tuples()
        )
        variants = {(sid, network): n for sid, network, n in rows}
        targeted = [sid for sid, s in snippets.items() if s.targeted]
        if targeted:
            for sid, team in (
                SnippetTeam.select(SnippetTeam.snippet, SnippetTeam.team)
                .where(SnippetTeam.snippet.in_(targeted))
                .tuples()
            ):
                targets[sid].add(team)
            teams = {
                t
                for (t,) in Membership.select(Membership.team)
                .where(Membership.user == user_id)
                .tuples()
            }
    return [_reason(e, at, now, snippets, variants, targets, teams) for e, at in events]


def _reason(
    event: dict[str, Any],
    shared_at: datetime,
    now: datetime,
    snippets: dict[int, Snippet],
    variants: dict[tuple[int, str], int],
    targets: dict[int, set[int]],
    teams: set[int],
) -> str | None:
    if shared_at < now - MAX_AGE:
        return "implausible_time"
    snippet_id, variant = event.get("snippet_id"), event.get("variant")
    if snippet_id is None:
        # Written from scratch: nothing to check but the time; a variant needs a snippet.
        return None if variant is None else "unknown_variant"
    snippet = snippets.get(snippet_id)
    if snippet is None:  # the endpoint rejects unknown ids before this
        return "snippet_not_approved"
    if shared_at < snippet.created_at - CLOCK_SKEW:
        return "implausible_time"
    # Approved at some point before the share (it may have gone back to review or been archived
    # since), and not shared after it was archived.
    if snippet.approved_at is None or shared_at < snippet.approved_at - CLOCK_SKEW:
        return "snippet_not_approved"
    if snippet.archived_at is not None and shared_at > snippet.archived_at + CLOCK_SKEW:
        return "snippet_not_approved"
    if snippet.status == "draft" and shared_at > snippet.updated_at + CLOCK_SKEW:
        return "snippet_not_approved"  # sent back to review before this share
    if not (snippet.starts_at - CLOCK_SKEW <= shared_at <= snippet.expires_at + CLOCK_SKEW):
        return "outside_schedule"
    if snippet.targeted and not targets.get(snippet_id, set()) & teams:
        return "not_targeted"
    if variant is not None and variant >= variants.get((snippet_id, event["network"]), 0):
        return "unknown_variant"
    return None


def flag_suspects(user_id: int, rows: list[tuple], columns: tuple, now: datetime) -> list[tuple]:
    """Rows as server.api.shares builds them (values in the order of `columns`, the Share
    fields), each with its suspect reason (or None) appended."""
    at = {field.name: i for i, field in enumerate(columns)}
    events = [
        (
            {
                "network": r[at["network"]],
                "snippet_id": r[at["snippet"]],
                "variant": r[at["variant"]],
            },
            r[at["shared_at"]],
        )
        for r in rows
    ]
    reasons = suspect_reasons(user_id, events, now) if rows else []
    return [(*row, reason) for row, reason in zip(rows, reasons, strict=True)]
