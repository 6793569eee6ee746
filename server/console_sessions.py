"""Server-side console sessions: the signed cookie names a session, this table decides if it is live.

A cookie alone cannot be revoked (a copy keeps working until it expires), so the cookie carries only a
random session id and the database keeps its SHA-256 with the user, when it started, when it was last
used and when it was revoked. Signing out revokes one row; "sign out everywhere" and disabling an
account revoke all of a user's rows. Idle and absolute timeouts are checked on every use.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from server.db import db
from server.models import ConsoleSession, User, utcnow

# Refresh last_seen_at at most this often: a write per page view would cost more than it tells.
_TOUCH_EVERY = timedelta(seconds=60)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for `user`; returns the id for the cookie (only its hash is stored)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    ConsoleSession.create(id_hash=_hash(sid), user=user.id, created_at=now, last_seen_at=now)
    return sid


def current_user(sid: str, *, idle_minutes: int, max_hours: int) -> User | None:
    """The session's user when it is live and the account active; expired sessions are revoked."""
    row = ConsoleSession.get_or_none(ConsoleSession.id_hash == _hash(sid))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > timedelta(minutes=idle_minutes) or now - row.created_at > timedelta(
        hours=max_hours
    ):
        revoke(sid)
        return None
    user = User.get_or_none(User.id == row.user_id)
    if user is None or user.status != "active":
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        ConsoleSession.update(last_seen_at=now).where(
            ConsoleSession.id_hash == row.id_hash
        ).execute()
    return user


def session_user_id(sid: str | None) -> int | None:
    """Whose session `sid` is, live or not (tests and audits; current_user decides access)."""
    if not sid:
        return None
    row = ConsoleSession.get_or_none(ConsoleSession.id_hash == _hash(sid))
    return None if row is None else row.user_id


def revoke(sid: str) -> None:
    ConsoleSession.update(revoked_at=utcnow()).where(
        ConsoleSession.id_hash == _hash(sid), ConsoleSession.revoked_at.is_null()
    ).execute()


def revoke_all(user: User) -> int:
    """End every console session of `user` (sign out everywhere, disabling). Returns how many."""
    with db.atomic():
        return (
            ConsoleSession.update(revoked_at=utcnow())
            .where(ConsoleSession.user == user.id, ConsoleSession.revoked_at.is_null())
            .execute()
        )
