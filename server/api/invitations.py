"""Invite people (admins), and accept an invitation (the invitee, before having a password)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from server import audit, invitations
from server.access import access
from server.api.auth import token_response
from server.errors import not_found
from server.models import Invitation, User, db
from server.pagination import PAGINATION_PARAMETERS, paginate, query_error
from server.people import admin_user_json, teams_by_ids
from server.schemas import accepts, returns
from server.tokens import issue_refresh_token

bp = Blueprint("invitations", __name__, url_prefix="/api/v1/invitations")


def _sent(invitation: Invitation, token: str, status: int):
    body = {
        "invitation": invitations.invitation_json(invitation),
        "invite_url": invitations.invite_url(token),
    }
    return jsonify(body), status


@bp.get("")
@access("admin")
@returns("invitations/invitation-list")
def index():
    """Invitations, newest sent first; `pending=1`: only those not accepted yet (expired ones too)."""
    pending = request.args.get("pending", "")
    if pending not in ("", "0", "1"):
        raise query_error([{"path": "/pending", "message": "pending must be 0 or 1."}])
    query = Invitation.select(Invitation, User).join(User, on=Invitation.user)
    if pending == "1":
        query = query.where(Invitation.accepted_at.is_null())
    query = query.order_by(Invitation.last_sent_at.desc(), Invitation.id.desc())
    return jsonify(paginate(query, invitations.invitation_json))


index.query_parameters = {
    **PAGINATION_PARAMETERS,
    "pending": {"enum": ["0", "1"], "description": "1: only invitations not accepted yet."},
}


@bp.post("")
@access("admin")
@accepts("invitations/invitation-create")
@returns("invitations/invitation-sent", status=201)
def create(body):
    teams = teams_by_ids(body.get("teams", []))
    with db.atomic():
        invitation, token = invitations.invite(
            body["email"],
            body["name"],
            role=body.get("role", "employee"),
            teams=teams,
            invited_by=g.user,
        )
        audit.record(
            g.user,
            "user.invite",
            "user",
            invitation.user_id,
            None,
            admin_user_json(invitation.user),
        )
    return _sent(invitation, token, 201)


@bp.post("/<int:invitation_id>/remind")
@access("admin")
@returns("invitations/invitation-sent")
def remind(invitation_id: int):
    """A new link for someone who lost or let expire the first one."""
    invitation = Invitation.get_or_none(Invitation.id == invitation_id)
    if invitation is None:
        raise not_found("Invitation")
    with db.atomic():
        token = invitations.remind(invitation)
        audit.record(
            g.user,
            "invitation.remind",
            "invitation",
            invitation.id,
            None,
            {"email": invitation.user.email},
        )
    return _sent(invitation, token, 200)


@bp.post("/accept")
@access("public")  # the invitee has no account yet: the signed token is the credential
@accepts("invitations/invitation-accept")
@returns("auth/token-response")
def accept(body):
    user = invitations.accept(body["token"], body["password"])
    return token_response(user, issue_refresh_token(user))
