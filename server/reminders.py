"""Invitation mail: the invitation itself, automatic reminders to people who have not joined, the welcome.

Reminders go out `reminder_days` after the invitation (default 3 and 7; at most that many), never after the
person joined, was disabled or turned reminders off. Each is an outbox row keyed by invitation and number, so a
tick that runs twice, or on two machines, writes it once.
"""

from __future__ import annotations

from datetime import timedelta

from server import invitations
from server.db import db
from server.models import Invitation, User, utcnow
from server.outbox import enqueue
from server.settings import get_setting


def _expires(invitation: Invitation) -> str:
    return invitation.expires_at.strftime("%d %B %Y")


def queue_invitation(invitation: Invitation, token: str) -> bool:
    """The invitation email for this link (a newer link gets its own message)."""
    inviter = invitation.invited_by
    return enqueue(
        f"invitation:{invitation.id}:{invitation.nonce}",
        "invitation",
        invitation.user.email,
        {
            "invitation_id": invitation.id,
            "url": invitations.invite_url(token),
            "inviter": inviter.name if inviter else None,
            "expires": _expires(invitation),
        },
        user_id=invitation.user_id,
    )


def queue_welcome(user: User) -> bool:
    return enqueue(f"welcome:{user.id}", "welcome", user.email, {}, user_id=user.id)


def queue_due_reminders(now=None) -> int:
    """Write the reminders that are due now; returns how many were written."""
    now = now or utcnow()
    days = sorted(int(d) for d in get_setting("reminder_days") or [])
    written = 0
    for number, after in enumerate(days, start=1):
        due = (
            Invitation.select(Invitation, User)
            .join(User)
            .where(
                Invitation.accepted_at.is_null(),
                Invitation.expires_at > now,
                Invitation.created_at <= now - timedelta(days=after),
                Invitation.reminders_sent < number,
                User.status == "invited",
                User.reminders_stopped_at.is_null(),
                User.email_bounced_at.is_null(),
            )
        )
        for invitation in due:
            try:
                with db.atomic():
                    # A new link (the old one stops working): remind() counts it, the row carries the link.
                    token = invitations.remind(invitation, notify=False)
                    payload = {
                        "invitation_id": invitation.id,
                        "url": invitations.invite_url(token),
                        "days": after,
                        "expires": _expires(invitation),
                    }
                    key = f"reminder:{invitation.id}:{number}"
                    if not enqueue(
                        key, "reminder", invitation.user.email, payload, invitation.user_id
                    ):
                        raise _AlreadyQueued  # another tick wrote it: undo this one's new link
            except _AlreadyQueued:
                continue
            written += 1
    return written


class _AlreadyQueued(Exception):
    pass
