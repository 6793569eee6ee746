"""The weekly digest: what each employee gets, when it is due, and the run that writes one outbox row each.

A run streams employees in id order, a chunk at a time (memory stays flat in the number of employees), and
writes `digest:<user>:<iso-week>` rows; `JobRun.progress` remembers the last id written, so a run killed
midway resumes after it and the unique keys make re-writing a chunk harmless. Delivery is the outbox's job.
What a row carries is decided at write time (snippet ids, the week's numbers), so a retry sends the same digest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from peewee import fn

from server.db import db
from server.models import (
    Click,
    JobRun,
    Membership,
    Outbox,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    TrackedLink,
    User,
    utcnow,
)
from server.outbox import enqueue_many
from server.recognition import points_for
from server.settings import get_setting
from server.tracked_links import counted_click

CHUNK = 500
WINDOW = timedelta(days=7)


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def due_week(now_utc: datetime) -> str | None:
    """The ISO week (company time zone) whose digest is due at `now_utc`, or None before this week's slot."""
    return slot_week(now_utc) if get_setting("digest_enabled") else None


def slot_week(now_utc: datetime) -> str | None:
    """The ISO week (company time zone) once this week's weekly slot (digest day and hour) has come."""
    tz = ZoneInfo(get_setting("timezone") or "UTC")
    local = now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
    weekday, hour = int(get_setting("digest_weekday")), int(get_setting("digest_hour"))
    if (local.isoweekday(), local.hour) >= (weekday, hour):
        return iso_week(local)
    return None


def recipients_after(last_id: int) -> Iterator[list[User]]:
    """Employees who get a digest, a chunk at a time: active, opted in, address not bounced."""
    while True:
        chunk = list(
            User.select(User.id, User.email, User.language)
            .where(
                User.id > last_id,
                User.status == "active",
                User.digest_opt_in == True,  # noqa: E712 - peewee expression
                User.email_bounced_at.is_null(),
            )
            .order_by(User.id)
            .limit(CHUNK)
        )
        if not chunk:
            return
        yield chunk
        last_id = chunk[-1].id


class Candidates:
    """Live approved snippets of the last few weeks, loaded once per run: each employee's pick is a filter."""

    def __init__(self, now: datetime, oldest: datetime):
        self.rows = list(
            Snippet.select(
                Snippet.id,
                Snippet.language,
                Snippet.featured,
                Snippet.targeted,
                Snippet.approved_at,
            )
            .where(
                Snippet.status == "approved",
                Snippet.starts_at <= now,
                Snippet.expires_at > now,
                Snippet.approved_at > oldest,
            )
            .order_by(Snippet.featured.desc(), Snippet.approved_at.desc(), Snippet.id.desc())
        )
        self.teams: dict[int, set[int]] = defaultdict(set)
        targeted = [s.id for s in self.rows if s.targeted]
        if targeted:
            for sid, tid in (
                SnippetTeam.select(SnippetTeam.snippet, SnippetTeam.team)
                .where(SnippetTeam.snippet.in_(targeted))
                .tuples()
            ):
                self.teams[sid].add(tid)

    def pick(self, language: str, teams: set[int], since: datetime, limit: int) -> list[int]:
        picked = []
        for s in self.rows:
            if s.approved_at <= since or s.language != language:
                continue
            if s.targeted and not (self.teams[s.id] & teams):
                continue
            picked.append(s.id)
            if len(picked) == limit:
                break
        return picked


def human_clicks_by_user(user_ids: list[int], start: datetime, end: datetime) -> dict[int, int]:
    """Counted clicks on each person's tracked links in [start, end) (server.tracked_links.counted_click:
    no bots, no same-day repeats), as the dashboard and the employee's own data count them."""
    rows = (
        TrackedLink.select(TrackedLink.user, fn.COUNT(Click.id))
        .join(Click)
        .where(
            TrackedLink.user.in_(user_ids),
            Click.at >= start,
            Click.at < end,
            counted_click(),
        )
        .group_by(TrackedLink.user)
        .tuples()
    )
    return dict(rows)


def shares_by_user(user_ids: list[int], start: datetime, end: datetime) -> dict[int, int]:
    rows = (
        Share.select(Share.user, fn.COUNT(Share.id))
        .where(Share.user.in_(user_ids), Share.shared_at >= start, Share.shared_at < end)
        .group_by(Share.user)
        .tuples()
    )
    return dict(rows)


def _last_digest_by_user(user_ids: list[int]) -> dict[int, datetime]:
    rows = (
        Outbox.select(Outbox.user, fn.MAX(Outbox.created_at))
        .where(Outbox.kind == "digest", Outbox.user.in_(user_ids), Outbox.status == "sent")
        .group_by(Outbox.user)
        .tuples()
    )
    return dict(rows)


def _teams_by_user(user_ids: list[int]) -> dict[int, set[int]]:
    teams: dict[int, set[int]] = defaultdict(set)
    for uid, tid in (
        Membership.select(Membership.user, Membership.team)
        .where(Membership.user.in_(user_ids))
        .tuples()
    ):
        teams[uid].add(tid)
    return teams


def payloads(users: list[User], week: str, now: datetime, candidates: Candidates) -> list[dict]:
    """One digest's content per user of a chunk (a few grouped queries per chunk, none per user)."""
    ids = [u.id for u in users]
    start = now - WINDOW
    teams = _teams_by_user(ids)
    last = _last_digest_by_user(ids)
    shares = shares_by_user(ids, start, now)
    clicks = human_clicks_by_user(ids, start, now)
    points = points_for(ids, start, now)  # opted-in people only: the others get no points line
    limit = int(get_setting("digest_max_snippets"))
    result = []
    for user in users:
        since = max(last.get(user.id, start), start - WINDOW)
        result.append(
            {
                "week": week,
                "snippets": candidates.pick(user.language, teams[user.id], since, limit),
                "shares": shares.get(user.id, 0),
                "clicks": clicks.get(user.id, 0),
            }
            | ({"points": points[user.id]} if user.id in points else {})
        )
    return result


def run_key(week: str) -> str:
    return f"digest:{week}"


def run_week(week: str, now: datetime | None = None) -> int:
    """Write this week's digest rows (resuming an interrupted run); returns how many users were covered now."""
    now = now or utcnow()
    with db.atomic():
        JobRun.insert(key=run_key(week)).on_conflict_ignore().execute()
    run = JobRun.get(JobRun.key == run_key(week))
    if run.finished_at is not None:
        return 0
    candidates = Candidates(now, now - 5 * WINDOW)
    covered = 0
    for users in recipients_after(run.progress):
        rows = [
            {
                "key": f"digest:{user.id}:{week}",
                "kind": "digest",
                "recipient": user.email,
                "user": user.id,
                "payload": payload,
            }
            for user, payload in zip(users, payloads(users, week, now, candidates), strict=True)
        ]
        with db.atomic():
            enqueue_many(rows)
            _create_tracked_links(rows)
            JobRun.update(progress=users[-1].id).where(JobRun.id == run.id).execute()
        covered += len(users)
    from server.chat import queue_week

    queue_week(week, now)  # each team channel's summary (unique keys: a resumed run writes it once)
    JobRun.update(finished_at=utcnow()).where(JobRun.id == run.id).execute()
    return covered


def _create_tracked_links(rows: list[dict]) -> None:
    """Each person's tracked link for each post in their digest, in bulk: sending then only reads them."""
    from server.tracked_links import new_code

    wanted = {sid for row in rows for sid in row["payload"]["snippets"]}
    if not wanted:
        return
    links = dict(
        Snippet.select(Snippet.id, Snippet.link_url)
        .where(Snippet.id.in_(list(wanted)), Snippet.link_url.is_null(False))
        .tuples()
    )
    new = [
        {"code": new_code(), "user": row["user"], "snippet": sid, "target_url": links[sid]}
        for row in rows
        for sid in row["payload"]["snippets"]
        if sid in links
    ]
    for start in range(0, len(new), 300):
        TrackedLink.insert_many(new[start : start + 300]).on_conflict_ignore().execute()


def unfinished_weeks() -> list[str]:
    return [
        run.key.removeprefix("digest:")
        for run in JobRun.select(JobRun.key).where(
            JobRun.finished_at.is_null(), JobRun.key.startswith("digest:")
        )
    ]


# --- Rendering ----------------------------------------------------------------------------------------------


def _share_links(snippet: Snippet, text: str, tracked: str | None) -> list[dict]:
    """Links that open each network's composer with the post (the extension's panel takes over there)."""
    x_params = {"text": text} | ({"url": tracked} if tracked else {})
    links = [{"label": "X", "url": "https://x.com/intent/post?" + urlencode(x_params)}]
    if tracked:
        linkedin = "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(tracked, safe="")
    else:
        linkedin = "https://www.linkedin.com/feed/?shareActive=true&text=" + quote(text, safe="")
    return [{"label": "LinkedIn", "url": linkedin}, *links]


def live_snippets(snippet_ids: list[int], cache: dict) -> list[int]:
    """The ids of `snippet_ids` still approved, loading each snippet and its suggested text once per
    delivery batch (`cache`): a digest run sends the same few posts to thousands of people."""
    missing = [sid for sid in snippet_ids if sid not in cache]
    if missing:
        texts: dict[int, str] = {}
        for sid, text in (
            SnippetVariant.select(SnippetVariant.snippet, SnippetVariant.text)
            .where(SnippetVariant.snippet.in_(missing), SnippetVariant.network == "linkedin")
            .order_by(SnippetVariant.position.desc())
            .tuples()
        ):
            texts[sid] = text  # position 0 last: the first variant wins
        for s in Snippet.select().where(Snippet.id.in_(missing), Snippet.status == "approved"):
            cache[s.id] = (s, texts.get(s.id, s.title))
        for sid in missing:
            cache.setdefault(sid, None)  # withdrawn since the row was written: not asked again
    return [sid for sid in snippet_ids if cache[sid] is not None]


def link_codes(user_id: int, live: list[int], cache: dict) -> dict[int, str]:
    """{snippet id: this person's tracked-link code} for the posts of `live` that have a link."""
    from server.tracked_links import ensure_links

    return ensure_links(
        user_id, {sid: cache[sid][0].link_url for sid in live if cache[sid][0].link_url}
    )


def share_items(live: list[int], codes: dict[int, str], cache: dict) -> list[dict]:
    """The digest's entries: title, suggested text, share links carrying the tracked link."""
    from server.tracked_links import tracked_url

    base = _base_url()
    items = []
    for sid in live:
        snippet, text = cache[sid]
        tracked = tracked_url(codes[sid], base) if sid in codes else None
        items.append(
            {
                "title": snippet.title,
                "text": text,
                "featured": snippet.featured,
                "tracked_url": tracked,
                "shares": _share_links(snippet, text, tracked),
            }
        )
    return items


def items_for(user_id: int, snippet_ids: list[int], cache: dict) -> list[dict]:
    """The digest's entries for one person: title, suggested text, share links with their tracked link."""
    live = live_snippets(snippet_ids, cache)
    return share_items(live, link_codes(user_id, live, cache), cache)


def _base_url() -> str:
    from flask import current_app

    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base:
        raise RuntimeError(
            "Set HERALD_PUBLIC_BASE_URL: mail links need the server's public address."
        )
    return base


def preview_payload(user: User, now: datetime | None = None) -> dict:
    """What `user` would get if the digest ran now (the console's preview)."""
    now = now or utcnow()
    candidates = Candidates(now, now - 5 * WINDOW)
    return payloads([user], iso_week(now), now, candidates)[0]
