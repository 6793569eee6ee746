"""Signed one-click unsubscribe links: they work without signing in, for one person and one kind of mail.

The token carries (user id, topic) signed with the app secret; it does not expire (an old digest's link must
still work) and changes nothing but the setting it names. The options page's switch changes the same setting.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext
from itsdangerous import BadSignature, URLSafeSerializer

from server.models import User, db, utcnow

SALT = "herald.unsubscribe.v1"
# topic -> what the link stops; each is one setting the person can also change elsewhere.
# Lazy: rendered in the reader's language on the unsubscribe page.
TOPICS = {
    "digest": lazy_gettext("the weekly digest email"),
    "reminders": lazy_gettext("reminders about your invitation"),
    "proposals": lazy_gettext("emails about the links you suggest"),
    "recognition": lazy_gettext(
        "the weekly recognition email (you stay on the leaderboards you opted in to)"
    ),
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(user_id: int, topic: str) -> str:
    if topic not in TOPICS:
        raise ValueError(topic)
    return _serializer().dumps([user_id, topic])


def url(user_id: int, topic: str) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base:
        raise RuntimeError(
            "Set HERALD_PUBLIC_BASE_URL: mail links need the server's public address."
        )
    return f"{base}/unsubscribe/{token(user_id, topic)}"


def resolve(raw: str) -> tuple[User, str] | None:
    """(user, topic) behind a token, or None when it is forged, damaged or the person is gone."""
    try:
        user_id, topic = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if topic not in TOPICS:
        return None
    user = User.get_or_none(User.id == user_id)
    return None if user is None else (user, topic)


def apply(user: User, topic: str) -> None:
    """Stop that kind of mail for `user` (idempotent)."""
    with db.atomic():
        if topic == "digest":
            User.update(digest_opt_in=False).where(User.id == user.id).execute()
        elif topic == "reminders":
            User.update(reminders_stopped_at=utcnow()).where(User.id == user.id).execute()
        elif topic == "proposals":
            User.update(proposal_mail_stopped_at=utcnow()).where(User.id == user.id).execute()
        elif topic == "recognition":
            User.update(recognition_mail_stopped_at=utcnow()).where(
                User.id == user.id, User.recognition_mail_stopped_at.is_null()
            ).execute()
