"""Admins list, inspect and change users: name, role, teams, and enabling or disabling accounts."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from peewee import fn

from server import audit, search
from server.access import access
from server.errors import APIError, not_found
from server.models import USER_STATUSES, Membership, User, db
from server.pagination import PAGINATION_PARAMETERS, paginate, query_error
from server.people import (
    active_admin_count,
    admin_user_json,
    set_memberships,
    sign_out_everywhere,
    teams_by_ids,
)
from server.request_limits import MAX_INT, strict_int
from server.schemas import accepts, returns

bp = Blueprint("users", __name__, url_prefix="/api/v1/users")


def _get_user(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise not_found("User")
    return user


@bp.get("")
@access("admin")
@returns("users/user-list")
def index():
    """Users by name; filter by `status`, `team` (id) and `q` (part of the name or email)."""
    query = User.select()
    problems = []
    status = request.args.get("status")
    if status:
        if status in USER_STATUSES:
            query = query.where(User.status == status)
        else:
            problems.append(
                {"path": "/status", "message": f"status must be one of {USER_STATUSES}."}
            )
    team = request.args.get("team")
    if team:
        team_id = strict_int(team, 1)
        if team_id is not None:
            query = query.where(
                User.id.in_(Membership.select(Membership.user).where(Membership.team == team_id))
            )
        else:
            problems.append({"path": "/team", "message": "team must be a team id."})
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(search.contains(User.name, q) | search.contains(User.email, q))
    if problems:
        raise query_error(problems)
    return jsonify(paginate(query.order_by(fn.LOWER(User.name), User.id), admin_user_json))


index.query_parameters = {
    **PAGINATION_PARAMETERS,
    "status": {"enum": list(USER_STATUSES)},
    "team": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_INT,
        "description": "Only members of this team.",
    },
    "q": {"type": "string", "description": "Part of the name or email, any case."},
}


@bp.get("/<int:user_id>")
@access("admin")
@returns("users/admin-user")
def show(user_id: int):
    return jsonify(admin_user_json(_get_user(user_id)))


@bp.patch("/<int:user_id>")
@access("admin")
@accepts("users/user-update")
@returns("users/admin-user")
def update(user_id: int, body):
    """Disabling takes effect at once: the user's access and refresh tokens stop working."""
    user = _get_user(user_id)
    teams = teams_by_ids(body["teams"]) if "teams" in body else None
    new_status = body.get("status", user.status)
    new_role = body.get("role", user.role)
    if user.status == "invited" and new_status == "active":
        raise APIError(
            "not_accepted",
            "This person has not accepted their invitation yet; they activate the account themselves.",
            409,
        )
    if user.status == "disabled" and new_status == "active" and not user.password_hash:
        # Never joined: back to waiting for their invitation, as the console does.
        new_status = "invited"
    was_active_admin = user.role == "admin" and user.status == "active"
    if was_active_admin and (new_role != "admin" or new_status != "active"):
        # Someone must always be able to sign in to the console.
        if active_admin_count() <= 1:
            raise APIError(
                "last_admin", "This is the last active admin; promote someone else first.", 409
            )
    if user.id == g.user.id and new_status == "disabled":
        raise APIError("cannot_disable_self", "You cannot disable your own account.", 409)
    before = admin_user_json(user)
    changes = {key: body[key] for key in ("name", "role") if key in body}
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    if new_status != user.status:
        changes["status"] = new_status
    with db.atomic():
        if changes:
            User.update(**changes).where(User.id == user.id).execute()
        if teams is not None:
            set_memberships(user, teams)
        if changes.get("status") == "disabled":
            sign_out_everywhere(user)
        after = admin_user_json(_get_user(user_id))
        action = {"disabled": "user.disable", "active": "user.enable", "invited": "user.enable"}
        audit.record(
            g.user,
            action.get(changes.get("status", ""), "user.update"),
            "user",
            user.id,
            before,
            after,
        )
    return jsonify(after)
