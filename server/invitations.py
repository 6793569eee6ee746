"""Invitations: create or refresh an invited user, sign a link, and turn the link into an active account.

Shared by the API (`server/api/invitations.py`) and the admin console's form and CSV invites.
The link carries only the Invitation's nonce, signed with the app secret; a reminder issues a new
nonce, so an older link stops working once a newer one was sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from server.credentials import check_password, normalized_email
from server.errors import APIError
from server.models import Invitation, Team, User, db, iso, utcnow
from server.passwords import hash_password
from server.people import admin_user_json, set_memberships

SALT = "herald.invitation.v1"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["INVITATION_DAYS"]))


def _new_nonce() -> str:
    return secrets.token_urlsafe(24)


def sign(invitation: Invitation) -> str:
    return _serializer().dumps(invitation.nonce)


def invite_url(token: str) -> str:
    """The console's accept page for `token`, on PUBLIC_BASE_URL or else the host of this request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        if not has_request_context():
            raise RuntimeError("Set PUBLIC_BASE_URL to build invite links outside a request.")
        base = request.host_url
    return f"{base.rstrip('/')}/invite/{token}"


def invite(
    email: str,
    name: str,
    role: str = "employee",
    teams: Iterable[Team] = (),
    invited_by: User | None = None,
) -> tuple[Invitation, str]:
    """Invite someone; returns the invitation and its signed token.

    A new address becomes an invited user. Inviting an already invited user again updates their
    name, role and teams and replaces their earlier pending link. Active and disabled accounts are
    refused with 409: an invitation must never reset the password of an account someone uses, and
    a disabled one is re-enabled on purpose, not by a side effect.
    """
    email = normalized_email(email)
    if role not in ("admin", "employee"):
        raise APIError(
            "validation_failed", "Unknown role.", 422, [{"path": "/role", "message": role}]
        )
    now = utcnow()
    with db.atomic():
        user = User.get_or_none(User.email == email)
        if user is not None and user.status == "active":
            raise APIError("already_active", f"{email} already has an active account.", 409)
        if user is not None and user.status == "disabled":
            raise APIError(
                "user_disabled",
                f"{email} belongs to a disabled account. Re-enable it instead of inviting again.",
                409,
            )
        if user is None:
            user = User.create(email=email, name=name.strip(), role=role, status="invited")
        else:
            user.name, user.role = name.strip(), role
        user.invited_at = now
        user.save()
        set_memberships(user, teams)
        # One pending link per person: the newest invitation is the only one that works.
        Invitation.delete().where(
            Invitation.user == user, Invitation.accepted_at.is_null()
        ).execute()
        invitation = Invitation.create(
            user=user,
            nonce=_new_nonce(),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + _lifetime(),
            last_sent_at=now,
        )
        token = sign(invitation)
        _email(invitation, token)
    _nudge()
    return invitation, token


def _email(invitation: Invitation, token: str) -> None:
    """The invitation email goes through the outbox; the console still shows the link to copy."""
    from server.reminders import queue_invitation

    queue_invitation(invitation, token)


def _nudge() -> None:
    """Ask the worker to deliver now rather than at its next minute tick."""
    from server.jobs import nudge

    nudge()


def remind(invitation: Invitation, notify: bool = True) -> str:
    """Send again: a new link (the old one stops working), a fresh expiry, one more reminder counted.

    `notify`: email the new link (automatic reminders write their own message instead).
    """
    if invitation.accepted_at is not None:
        raise APIError("invitation_used", "This invitation was already accepted.", 409)
    if invitation.user.status != "invited":
        raise APIError("not_invited", "This person is no longer waiting for an invitation.", 409)
    now = utcnow()
    invitation.nonce = _new_nonce()
    invitation.expires_at = now + _lifetime()
    invitation.last_sent_at = now
    invitation.reminders_sent += 1
    with db.atomic():
        invitation.save()
        token = sign(invitation)
        if notify:
            _email(invitation, token)
    if notify:
        _nudge()
    return token


def resolve(token: str) -> Invitation:
    """The pending invitation behind `token`, or an error that tells the invitee what to do next."""
    try:
        nonce = _serializer().loads(token, max_age=int(_lifetime().total_seconds()))
    except SignatureExpired as exc:
        raise APIError(
            "invitation_expired", "This invitation has expired. Ask an admin to send it again.", 410
        ) from exc
    except BadSignature as exc:
        raise APIError(
            "invalid_invitation",
            "This invitation link is not valid. Check that it is complete.",
            400,
        ) from exc
    invitation = Invitation.get_or_none(Invitation.nonce == nonce)
    if invitation is None:
        raise APIError(
            "invitation_superseded",
            "This invitation link was replaced by a newer one or withdrawn. Use the latest link.",
            410,
        )
    if invitation.accepted_at is not None:
        raise APIError("invitation_used", "This invitation was already used. Sign in instead.", 410)
    if invitation.expires_at <= utcnow():
        raise APIError(
            "invitation_expired", "This invitation has expired. Ask an admin to send it again.", 410
        )
    if invitation.user.status != "invited":
        raise APIError("not_invited", "This account cannot be activated with an invitation.", 403)
    return invitation


def accept(token: str, password: str) -> User:
    """Activate the invited account with its first password; the link works once."""
    with db.atomic():
        invitation = resolve(token)
        check_password(password, email=invitation.user.email, name=invitation.user.name)
        now = utcnow()
        # Conditional update: of two concurrent accepts of one link, only one activates.
        claimed = (
            Invitation.update(accepted_at=now)
            .where(Invitation.id == invitation.id, Invitation.accepted_at.is_null())
            .execute()
        )
        if claimed != 1:
            raise APIError("invitation_used", "This invitation was already used.", 410)
        User.update(
            status="active",
            password_hash=hash_password(password),
            joined_at=now,
            last_login_at=now,
        ).where(User.id == invitation.user_id).execute()
        user = User.get_by_id(invitation.user_id)
        from server.reminders import queue_welcome

        queue_welcome(user)
    _nudge()
    return user


def status(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    return "expired" if invitation.expires_at <= utcnow() else "pending"


def invitation_json(invitation: Invitation) -> dict:
    inviter = invitation.invited_by
    return {
        "id": invitation.id,
        "user": admin_user_json(invitation.user),
        "invited_by": None if inviter is None else {"id": inviter.id, "name": inviter.name},
        "status": status(invitation),
        "created_at": iso(invitation.created_at),
        "expires_at": iso(invitation.expires_at),
        "accepted_at": iso(invitation.accepted_at),
        "reminders_sent": invitation.reminders_sent,
        "last_sent_at": iso(invitation.last_sent_at),
    }
