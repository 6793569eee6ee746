"""Content mix: how much of the live library, and of what employees shared, is the company's own
content, third-party content (curated from feeds marked third-party) or proposed by employees,
against the target mix the admin sets (Settings; the parts sum to 100 %).

A snippet's kind is decided in one place, `kind_of`: `source` "employee" (a proposal) wins, then
the third-party flag of the feed entry it came from, else it is the company's. Posts in the
employee's own words (no snippet) are not library content: they are counted beside the mix.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from peewee import SQL, fn

from server.models import Campaign, FeedEntry, Share, Snippet, utcnow
from server.settings import get_setting

KINDS = ("company", "third_party", "employee")
LABELS = {"company": "Company", "third_party": "Third-party", "employee": "Employee-proposed"}
SHARED_DAYS = 30


def kind_of(source: str | None, third_party: bool) -> str:
    if source == "employee":
        return "employee"
    if third_party:
        return "third_party"
    return "company"


def target_errors(target: Any) -> list[str]:
    """Why a target mix cannot be saved: its schema (settings/content-mix-target: a whole
    percentage per kind), then the one rule a schema cannot say: together they make 100 %."""
    from server.schemas import errors_for

    problems = errors_for("settings/content-mix-target", target)
    if problems:
        named = []
        for problem in problems:
            kind = problem["path"].strip("/")
            label = LABELS.get(kind)
            named.append(
                f"{label}: a whole percentage from 0 to 100." if label else problem["message"]
            )
        return sorted(set(named))
    total = sum(target.values())
    if total != 100:
        return [f"The target mix must add up to 100 % (these add up to {total} %)."]
    return []


def target() -> dict[str, int]:
    saved = get_setting("content_mix_target") or {}
    return {kind: int(saved.get(kind, 0)) for kind in KINDS}


def _third_party_ids() -> set[int]:
    """Snippets drafted from a feed marked third-party (a set: plain queries stay portable)."""
    return {
        sid
        for (sid,) in FeedEntry.select(FeedEntry.snippet)
        .where(FeedEntry.third_party == True, FeedEntry.snippet.is_null(False))  # noqa: E712
        .tuples()
    }


def _mix(counts: Counter) -> dict[str, Any]:
    total = sum(counts.values())
    return {
        "total": total,
        "counts": {kind: counts.get(kind, 0) for kind in KINDS},
        "percent": {
            kind: round(100 * counts.get(kind, 0) / total, 1) if total else 0.0 for kind in KINDS
        },
    }


def content_mix(now: datetime | None = None) -> dict[str, Any]:
    """The live library (approved, inside its schedule and its campaign's window: what the
    extension can suggest now) and the counted shares of the last 30 days, by kind
    (schema: analytics/content-mix)."""
    now = now or utcnow()
    third_party = _third_party_ids()
    in_window = Snippet.campaign.is_null() | fn.EXISTS(
        Campaign.select(SQL("1")).where(
            Campaign.id == Snippet.campaign,
            Campaign.starts_at.is_null() | (Campaign.starts_at <= now),
            Campaign.ends_at.is_null() | (Campaign.ends_at > now),
        )
    )
    library: Counter = Counter()
    rows = Snippet.select(Snippet.id, Snippet.source).where(
        (Snippet.status == "approved")
        & (Snippet.starts_at <= now)
        & (Snippet.expires_at > now)
        & in_window
    )
    for sid, source in rows.tuples():
        library[kind_of(source, sid in third_party)] += 1

    since = now - timedelta(days=SHARED_DAYS)
    shared: Counter = Counter()
    counted = (Share.shared_at >= since) & (Share.shared_at < now) & Share.suspect_reason.is_null()
    rows = (
        Share.select(Snippet.id, Snippet.source, fn.COUNT(Share.id))
        .join(Snippet)
        .where(counted)
        .group_by(Snippet.id, Snippet.source)
    )
    for sid, source, n in rows.tuples():
        shared[kind_of(source, sid in third_party)] += n
    own_words = Share.select().where(counted & Share.snippet.is_null()).count()
    return {
        "target": target(),
        "library": _mix(library),
        "shared": {**_mix(shared), "days": SHARED_DAYS, "own_words": own_words},
    }
