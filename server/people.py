"""Users and teams as admins manage them, shared by the API and the admin console."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from server.errors import APIError
from server.models import Membership, RefreshToken, Team, User, db, iso, utcnow
from server.names import name_key
from server.serialize import user_json


def admin_user_json(user: User) -> dict:
    """The profile plus the account dates admins need to follow up on people."""
    data = user_json(user)
    data.update(
        created_at=iso(user.created_at),
        invited_at=iso(user.invited_at),
        last_login_at=iso(user.last_login_at),
    )
    return data


def normalize_email(email: str) -> str:
    """Emails are stored lower-cased (Python's Unicode lower(), not SQL's ASCII LOWER()) and in
    NFC, so sign-in and the unique index ignore case and how an accent was typed."""
    return unicodedata.normalize("NFC", email.strip()).lower()


def teams_by_ids(ids: Iterable[int], path: str = "/teams") -> list[Team]:
    """The teams with these ids; a 422 naming the unknown ones, so a typo never drops a membership."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {team.id: team for team in Team.select().where(Team.id.in_(wanted))}
    missing = [team_id for team_id in wanted if team_id not in found]
    if missing:
        raise APIError(
            "validation_failed",
            "Some teams do not exist.",
            422,
            [{"path": path, "message": f"Unknown team ids: {missing}"}],
        )
    return [found[team_id] for team_id in wanted]


def teams_by_names(names: Iterable[str], create: bool = True) -> list[Team]:
    """Teams by name (case-insensitive), created when missing: CSV invites name teams, not ids."""
    teams: list[Team] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        team = Team.get_or_none(Team.name_key == name_key(name))
        if team is None:
            if not create:
                raise APIError("not_found", f"Team {name!r} not found.", 404)
            team = Team.create(name=name)
        if team not in teams:
            teams.append(team)
    return teams


def set_memberships(user: User, teams: Iterable[Team]) -> None:
    """Make the user's teams exactly `teams`."""
    wanted = {team.id for team in teams}
    with db.atomic():
        stale = Membership.delete().where(Membership.user == user)
        if wanted:
            stale = stale.where(Membership.team.not_in(wanted))
        stale.execute()
        have = {
            m.team_id for m in Membership.select(Membership.team).where(Membership.user == user)
        }
        rows = [{"user": user.id, "team": team_id} for team_id in sorted(wanted - have)]
        if rows:
            Membership.insert_many(rows).execute()


def sign_out_everywhere(user: User) -> None:
    """Access tokens issued until now stop working, every refresh token and console session is revoked."""
    from server import console_sessions

    now = utcnow()
    with db.atomic():
        User.update(tokens_valid_after=now).where(User.id == user.id).execute()
        RefreshToken.update(revoked_at=now).where(
            RefreshToken.user == user, RefreshToken.revoked_at.is_null()
        ).execute()
        console_sessions.revoke_all(user)


def active_admin_count() -> int:
    return User.select().where(User.role == "admin", User.status == "active").count()
