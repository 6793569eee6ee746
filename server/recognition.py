"""Recognition: points, leaderboards and the weekly thank-you mail, for people who opted in only.

Opt-in is `User.leaderboard_opt_in` (off by default, switched in the extension's options page). Everything
here starts from opted-in, non-disabled people: someone who did not opt in is never read into a
leaderboard, a rank, a mail or a count, not even as "anonymous", so no surface can leak them.

Points = share points x counted shares + click points x counted clicks + proposal points x accepted
proposals. Counted shares leave out suspect events (server.share_validation); counted clicks are
the click counting's own rule (server.tracked_links.counted_click: no bots, no same-day repeats).
Periods are UTC: this week (from Monday), this month, all time.

The weekly thank-you mail (at the digest's day and hour, for the ISO week before) goes to the top
`recognition_top_n` and to first-time sharers, both only among people who opted in: a first-share
thank-you is recognition too, and recognition is what they chose or did not. It never mentions
anyone else, nor who did not share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import fn

from server.db import db
from server.errors import APIError
from server.models import (
    Click,
    JobRun,
    Membership,
    Proposal,
    Share,
    Team,
    TrackedLink,
    User,
    utcnow,
)
from server.outbox import enqueue_many
from server.settings import get_setting
from server.tracked_links import counted_click

PERIODS = ("week", "month", "all")
POINT_KINDS = ("share", "click", "accepted_proposal")
TEMPLATE_KINDS = ("top", "first_share")
PLACEHOLDERS = ("name", "program", "points", "rank", "shares", "clicks", "week")
LEADERBOARD_SIZE = 20
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def points_values() -> dict[str, int]:
    """What each counted action is worth, every kind present whatever an admin saved."""
    saved = get_setting("recognition_points") or {}
    return {kind: int(saved.get(kind, 0)) for kind in POINT_KINDS}


def period_start(period: str, now: datetime) -> datetime | None:
    """The first instant of `period` (UTC) that contains `now`; None for all time."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return midnight - timedelta(days=now.weekday())
    if period == "month":
        return midnight.replace(day=1)
    if period == "all":
        return None
    raise APIError(
        "invalid_period", "`period` must be week, month or all.", 422, {"field": "period"}
    )


def _opted_in(team_id: int | None = None):
    """The people recognition may name: opted in, not disabled, optionally of one team."""
    query = User.select(User.id).where(
        (User.leaderboard_opt_in == True) & (User.status != "disabled")  # noqa: E712
    )
    if team_id is not None:
        query = query.join(Membership).where(Membership.team == team_id)
    return query


def _between(field, start: datetime | None, end: datetime):
    return (field < end) if start is None else ((field >= start) & (field < end))


def shares_by_user(people, start: datetime | None, end: datetime) -> dict[int, int]:
    rows = (
        Share.select(Share.user, fn.COUNT(Share.id))
        .where(
            Share.user.in_(people),
            Share.suspect_reason.is_null(),
            _between(Share.shared_at, start, end),
        )
        .group_by(Share.user)
        .tuples()
    )
    return dict(rows)


def clicks_by_user(people, start: datetime | None, end: datetime) -> dict[int, int]:
    rows = (
        TrackedLink.select(TrackedLink.user, fn.COUNT(Click.id))
        .join(Click)
        .where(TrackedLink.user.in_(people), counted_click(), _between(Click.at, start, end))
        .group_by(TrackedLink.user)
        .tuples()
    )
    return dict(rows)


def accepted_proposals_by_user(people, start: datetime | None, end: datetime) -> dict[int, int]:
    """Accepted proposals per proposer in the period (server.proposals: `user` proposed it,
    `accepted_at` is when an admin accepted it)."""
    rows = (
        Proposal.select(Proposal.user, fn.COUNT(Proposal.id))
        .where(
            Proposal.user.in_(people),
            Proposal.accepted_at.is_null(False),
            _between(Proposal.accepted_at, start, end),
        )
        .group_by(Proposal.user)
        .tuples()
    )
    return dict(rows)


def accepted_proposal_points(user: User, since: datetime | None) -> int:
    """Points `user` earned from proposals accepted since `since` (None: ever), at the admin's rate.

    Counts proposals through accepted_proposals_by_user.
    """
    count = accepted_proposals_by_user([user.id], since, utcnow() + timedelta(seconds=1))
    return count.get(user.id, 0) * points_values()["accepted_proposal"]


@dataclass
class Standing:
    user_id: int
    name: str
    shares: int
    clicks: int
    proposals: int
    points: int
    rank: int = 0

    def json(self, viewer_id: int | None = None) -> dict[str, Any]:
        out = {
            "rank": self.rank,
            "name": self.name,
            "points": self.points,
            "shares": self.shares,
            "clicks": self.clicks,
            "accepted_proposals": self.proposals,
        }
        if viewer_id is not None:
            out["you"] = self.user_id == viewer_id
        return out


def standings(start: datetime | None, end: datetime, team_id: int | None = None) -> list[Standing]:
    """Everyone opted in with points in [start, end), best first; ties share a rank (1, 2, 2, 4)."""
    people = _opted_in(team_id)
    values = points_values()
    shares = shares_by_user(people, start, end)
    clicks = clicks_by_user(people, start, end)
    proposals = accepted_proposals_by_user(people, start, end)
    ids = set(shares) | set(clicks) | set(proposals)
    names = (
        dict(User.select(User.id, User.name).where(User.id.in_(list(ids))).tuples()) if ids else {}
    )
    rows = []
    for uid in ids:
        s, c, p = shares.get(uid, 0), clicks.get(uid, 0), proposals.get(uid, 0)
        points = s * values["share"] + c * values["click"] + p * values["accepted_proposal"]
        if points > 0:
            rows.append(Standing(uid, names[uid], s, c, p, points))
    rows.sort(key=lambda r: (-r.points, r.name.casefold(), r.user_id))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and rows[i - 1].points == row.points else i + 1
    return rows


def own_team(user: User, raw_team: str | None) -> Team | None:
    """The team the viewer asked to see, which must be one of their own teams."""
    if raw_team in (None, ""):
        return None
    team = None
    if str(raw_team).isascii() and str(raw_team).isdigit() and len(str(raw_team)) < 12:
        team = (
            Team.select()
            .join(Membership)
            .where(Team.id == int(raw_team), Membership.user == user.id)
            .first()
        )
    if team is None:
        raise APIError(
            "team_not_found",
            "You can see the leaderboard of your own teams.",
            404,
            {"team": raw_team},
        )
    return team


def leaderboard(viewer: User, period: str, team: Team | None, now: datetime | None = None) -> dict:
    """The top of the period and the viewer's own place (schema: recognition/leaderboard). Someone who
    did not opt in sees no one: leaderboards are shared among those who chose to be on them."""
    now = now or utcnow()
    start = period_start(period, now)
    if not viewer.leaderboard_opt_in:
        return {
            "opted_in": False,
            "period": period,
            "from": None if start is None else start.date().isoformat(),
            "team": None,
            "teams": [],
            "points_per": points_values(),
            "entries": [],
            "me": None,
        }
    rows = standings(start, now + timedelta(seconds=1), team.id if team else None)
    mine = next((r for r in rows if r.user_id == viewer.id), None)
    teams = (
        Team.select(Team.id, Team.name)
        .join(Membership)
        .where(Membership.user == viewer.id)
        .order_by(Team.name)
    )
    return {
        "opted_in": True,
        "period": period,
        "from": None if start is None else start.date().isoformat(),
        "team": None if team is None else {"id": team.id, "name": team.name},
        "teams": [{"id": t.id, "name": t.name} for t in teams],
        "points_per": points_values(),
        "entries": [r.json(viewer.id) for r in rows[:LEADERBOARD_SIZE]],
        "me": _me_json(mine),
    }


def _me_json(mine: Standing | None) -> dict:
    if mine is None:
        return {"rank": None, "points": 0, "shares": 0, "clicks": 0, "accepted_proposals": 0}
    return {k: v for k, v in mine.json().items() if k != "name"}


def my_standing(user: User, now: datetime | None = None) -> dict:
    """The panel's line: rank and points per period, only for someone who opted in (schema:
    recognition/me)."""
    if not user.leaderboard_opt_in or user.status == "disabled":
        return {"opted_in": False, "periods": None}
    now = now or utcnow()
    periods = {}
    for period in PERIODS:
        rows = standings(period_start(period, now), now + timedelta(seconds=1))
        periods[period] = _me_json(next((r for r in rows if r.user_id == user.id), None))
    return {"opted_in": True, "periods": periods}


def points_for(user_ids: list[int], start: datetime, end: datetime) -> dict[int, int]:
    """Points of each opted-in person among `user_ids` in [start, end): the digest's "your week".
    People who did not opt in are absent (the digest then shows no points line)."""
    people = _opted_in().where(User.id.in_(user_ids))
    values = points_values()
    shares = shares_by_user(people, start, end)
    clicks = clicks_by_user(people, start, end)
    proposals = accepted_proposals_by_user(people, start, end)
    opted = [uid for (uid,) in people.tuples()]
    return {
        uid: shares.get(uid, 0) * values["share"]
        + clicks.get(uid, 0) * values["click"]
        + proposals.get(uid, 0) * values["accepted_proposal"]
        for uid in opted
    }


# --- Settings -----------------------------------------------------------------------------------------------


def template_problems(templates: dict) -> list[str]:
    """Placeholders other than PLACEHOLDERS would reach people as literal braces: refused.

    In the reader's language (the admin's in the console, the request's in the API): whole sentences per
    template and part, since a translation cannot be glued together from "top contributors'" and "subject"."""
    problems = []
    available = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    for kind in TEMPLATE_KINDS:
        for part in ("subject", "body"):
            text = str((templates.get(kind) or {}).get(part) or "")
            empty, uses = _problem_texts()[(kind, part)]
            if not text.strip():
                problems.append(empty)
            unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
            if unknown:
                used = ", ".join("{" + u + "}" for u in unknown)
                problems.append(uses % {"unknown": used, "available": available})
    return problems


def _problem_texts() -> dict[tuple[str, str], tuple[str, str]]:
    from flask_babel import gettext as _

    return {
        ("top", "subject"): (
            _("The top contributors' subject must not be empty."),
            _("The top contributors' subject uses %(unknown)s; available: %(available)s."),
        ),
        ("top", "body"): (
            _("The top contributors' body must not be empty."),
            _("The top contributors' body uses %(unknown)s; available: %(available)s."),
        ),
        ("first_share", "subject"): (
            _("The first share subject must not be empty."),
            _("The first share subject uses %(unknown)s; available: %(available)s."),
        ),
        ("first_share", "body"): (
            _("The first share body must not be empty."),
            _("The first share body uses %(unknown)s; available: %(available)s."),
        ),
    }


def fill(text: str, values: dict[str, Any]) -> str:
    """Replace {placeholder}s by their values; nothing else in the text is interpreted."""
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )


def settings_json() -> dict:
    return {
        "points": points_values(),
        "mail_enabled": bool(get_setting("recognition_mail_enabled")),
        "top_n": int(get_setting("recognition_top_n")),
        "templates": {
            kind: {
                "subject": (get_setting("recognition_templates").get(kind) or {}).get(
                    "subject", ""
                ),
                "body": (get_setting("recognition_templates").get(kind) or {}).get("body", ""),
            }
            for kind in TEMPLATE_KINDS
        },
    }


def settings_values(body: dict) -> dict[str, Any]:
    """Settings rows from a validated recognition/settings body (the API and the console share it)."""
    problems = template_problems(body["templates"])
    if problems:
        raise APIError(
            "validation_failed",
            "The recognition settings are not valid.",
            422,
            [{"path": "/templates", "message": p} for p in problems],
        )
    return {
        "recognition_points": {k: int(body["points"][k]) for k in POINT_KINDS},
        "recognition_mail_enabled": bool(body["mail_enabled"]),
        "recognition_top_n": int(body["top_n"]),
        "recognition_templates": {
            kind: {
                "subject": body["templates"][kind]["subject"],
                "body": body["templates"][kind]["body"],
            }
            for kind in TEMPLATE_KINDS
        },
    }


# --- The weekly recognition mail ----------------------------------------------------------------------------


def due_week(now_utc: datetime) -> str | None:
    """The ISO week whose recognition mail is due: at the digest's slot (day, hour, time zone),
    whether or not the digest itself is on."""
    from server.digest import slot_week

    return slot_week(now_utc) if get_setting("recognition_mail_enabled") else None


def week_window(week: str) -> tuple[datetime, datetime]:
    """The full ISO week before `week` (UTC): what a mail sent in `week` thanks people for."""
    this_monday = datetime.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return this_monday - timedelta(days=7), this_monday


def _mailable(ids: list[int]) -> dict[int, User]:
    """Opted in, active, address not bounced, recognition mail not stopped."""
    if not ids:
        return {}
    return {
        u.id: u
        for u in User.select().where(
            User.id.in_(ids),
            User.leaderboard_opt_in == True,  # noqa: E712
            User.status == "active",
            User.email_bounced_at.is_null(),
            User.recognition_mail_stopped_at.is_null(),
        )
    }


def first_time_sharers(start: datetime, end: datetime) -> list[int]:
    """Opted-in people whose first counted share ever falls in [start, end)."""
    first = fn.MIN(Share.shared_at)
    rows = (
        Share.select(Share.user)
        .where(Share.user.in_(_opted_in()), Share.suspect_reason.is_null())
        .group_by(Share.user)
        .having((first >= start) & (first < end))
        .tuples()
    )
    return [uid for (uid,) in rows]


def recognition_rows(week: str) -> list[dict]:
    """One outbox row per person to thank this week: the top `recognition_top_n` (by rank, ties
    included) and first-time sharers. One mail per person per week; "top" wins over "first share"."""
    start, end = week_window(week)
    top_n = int(get_setting("recognition_top_n"))
    ranked = [r for r in standings(start, end) if r.rank <= top_n]
    by_id = {r.user_id: r for r in ranked}
    firsts = [uid for uid in first_time_sharers(start, end) if uid not in by_id]
    people = _mailable(list(by_id) + firsts)
    first_counts = {}
    if firsts:
        first_counts = shares_by_user(firsts, start, end)
    rows = []
    for uid, user in people.items():
        if uid in by_id:
            s = by_id[uid]
            payload = {"reason": "top", "rank": s.rank, "points": s.points}
            payload |= {"shares": s.shares, "clicks": s.clicks}
        else:
            payload = {"reason": "first_share", "rank": None, "points": None}
            payload |= {"shares": first_counts.get(uid, 0), "clicks": 0}
        rows.append(
            {
                "key": f"recognition:{uid}:{week}",
                "kind": "recognition",
                "recipient": user.email,
                "user": uid,
                "payload": {"week": week, **payload},
            }
        )
    return sorted(rows, key=lambda r: r["user"])


def run_week(week: str) -> int:
    """Write this week's recognition rows once (JobRun + unique keys: a second tick or machine
    writes nothing); returns how many were written by this call."""
    key = f"recognition:{week}"
    with db.atomic():
        JobRun.insert(key=key).on_conflict_ignore().execute()
        run = JobRun.get(JobRun.key == key)
        if run.finished_at is not None:
            return 0
        rows = recognition_rows(week)
        enqueue_many(rows)
        JobRun.update(finished_at=utcnow()).where(JobRun.id == run.id).execute()
    return len(rows)


def run_due(now: datetime | None = None) -> int:
    week = due_week(now or utcnow())
    return run_week(week) if week else 0


def mail_texts(payload: dict, name: str, program: str, templates: dict | None = None) -> dict:
    """Subject and body of one recognition mail from the admin's templates (the preview uses it too)."""
    templates = templates or get_setting("recognition_templates")
    template = templates[payload["reason"]]
    values = {
        "name": name,
        "program": program,
        "points": payload.get("points") or 0,
        "rank": payload.get("rank") or "",
        "shares": payload.get("shares") or 0,
        "clicks": payload.get("clicks") or 0,
        "week": payload.get("week", ""),
    }
    body = fill(template["body"], values)
    return {
        "subject": fill(template["subject"], values).replace("\n", " ").strip(),
        "paragraphs": [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()],
    }
