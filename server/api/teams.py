"""Teams: who sees which suggestions. Admins create, rename and delete them and manage members."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from peewee import JOIN, IntegrityError, fn

from server import audit, search
from server.access import access
from server.errors import APIError, not_found
from server.models import Membership, Team, User, db, iso, name_fields
from server.names import name_key
from server.pagination import PAGINATION_PARAMETERS, paginate
from server.schemas import accepts, returns

bp = Blueprint("teams", __name__, url_prefix="/api/v1/teams")


def _with_counts():
    return (
        Team.select(Team, fn.COUNT(Membership.user).alias("member_count"))
        .join(Membership, JOIN.LEFT_OUTER)
        .group_by(Team.id, Team.name, Team.created_at)
    )


def team_json(team: Team) -> dict:
    return {
        "id": team.id,
        "name": team.name,
        "member_count": int(getattr(team, "member_count", 0) or 0),
        "created_at": iso(team.created_at),
    }


def team_detail_json(team_id: int) -> dict:
    team = _with_counts().where(Team.id == team_id).get()
    members = (
        User.select(User.id, User.email, User.name, User.status)
        .join(Membership)
        .where(Membership.team == team_id)
        .order_by(fn.LOWER(User.name), User.id)
    )
    data = team_json(team)
    data["members"] = [
        {"id": u.id, "email": u.email, "name": u.name, "status": u.status} for u in members
    ]
    return data


def _get_team(team_id: int) -> Team:
    team = Team.get_or_none(Team.id == team_id)
    if team is None:
        raise not_found("Team")
    return team


def _check_name_free(name: str, except_id: int | None = None) -> None:
    """Team names are unique regardless of case, so "Sales" and "sales" never both exist."""
    clash = Team.select().where(Team.name_key == name_key(name))
    if except_id is not None:
        clash = clash.where(Team.id != except_id)
    if clash.exists():
        raise APIError(
            "team_exists",
            f"A team named {name!r} already exists.",
            409,
            [{"path": "/name", "message": "Choose another name."}],
        )


@bp.get("")
@access("admin")
@returns("teams/team-list")
def index():
    """Teams by name with their member counts; `q` filters by part of the name."""
    query = _with_counts()
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(search.contains(Team.name, q))
    return jsonify(paginate(query.order_by(fn.LOWER(Team.name), Team.id), team_json))


index.query_parameters = {
    **PAGINATION_PARAMETERS,
    "q": {"type": "string", "description": "Part of the team name, any case."},
}


@bp.post("")
@access("admin")
@accepts("teams/team-create")
@returns("teams/team-detail", status=201)
def create(body):
    name = body["name"].strip()
    _check_name_free(name)
    try:
        with db.atomic():
            team = Team.create(name=name)
            audit.record(
                g.user, "team.create", "team", team.id, None, {"id": team.id, "name": name}
            )
    except IntegrityError:  # created by someone else since the check
        _check_name_free(name)
        raise
    return jsonify(team_detail_json(team.id)), 201


@bp.get("/<int:team_id>")
@access("admin")
@returns("teams/team-detail")
def show(team_id: int):
    return jsonify(team_detail_json(_get_team(team_id).id))


@bp.patch("/<int:team_id>")
@access("admin")
@accepts("teams/team-update")
@returns("teams/team-detail")
def rename(team_id: int, body):
    team = _get_team(team_id)
    name = body["name"].strip()
    _check_name_free(name, except_id=team.id)
    try:
        with db.atomic():
            Team.update(**name_fields(name)).where(Team.id == team.id).execute()
            audit.record(
                g.user, "team.rename", "team", team.id, {"name": team.name}, {"name": name}
            )
    except IntegrityError:
        _check_name_free(name, except_id=team.id)
        raise
    return jsonify(team_detail_json(team.id))


@bp.delete("/<int:team_id>")
@access("admin")
def delete(team_id: int):
    """Members stay; they just stop belonging to this team (and seeing its targeted suggestions)."""
    team = _get_team(team_id)
    before = team_detail_json(team.id)
    with db.atomic():
        # recursive: memberships and snippet targets go too, whether or not the database cascades.
        team.delete_instance(recursive=True)
        audit.record(g.user, "team.delete", "team", team_id, before, None)
    return "", 204


delete.response_status = 204


@bp.post("/<int:team_id>/members")
@access("admin")
@accepts("teams/members-add")
@returns("teams/team-detail")
def add_members(team_id: int, body):
    """Adding someone who is already a member is not an error: the result is the same."""
    team = _get_team(team_id)
    wanted = body["user_ids"]
    known = {u.id for u in User.select(User.id).where(User.id.in_(wanted))}
    missing = [user_id for user_id in wanted if user_id not in known]
    if missing:
        raise APIError(
            "validation_failed",
            "Some users do not exist.",
            422,
            [{"path": "/user_ids", "message": f"Unknown user ids: {missing}"}],
        )
    with db.atomic():
        have = {
            m.user_id
            for m in Membership.select(Membership.user).where(
                Membership.team == team, Membership.user.in_(wanted)
            )
        }
        rows = [{"user": user_id, "team": team.id} for user_id in wanted if user_id not in have]
        if rows:
            Membership.insert_many(rows).execute()
            added = [row["user"] for row in rows]
            audit.record(g.user, "team.members_add", "team", team.id, None, {"user_ids": added})
    return jsonify(team_detail_json(team.id))


@bp.delete("/<int:team_id>/members/<int:user_id>")
@access("admin")
def remove_member(team_id: int, user_id: int):
    team = _get_team(team_id)
    with db.atomic():
        removed = (
            Membership.delete().where(Membership.team == team, Membership.user == user_id).execute()
        )
        if not removed:
            raise not_found("Membership")
        audit.record(g.user, "team.member_remove", "team", team.id, {"user_ids": [user_id]}, None)
    return "", 204


remove_member.response_status = 204
