"""Access tokens (short-lived JWTs) and refresh tokens (opaque, rotating, revoked by family on reuse)."""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
import uuid
from datetime import UTC, timedelta

import jwt
from flask import current_app
from peewee import BooleanField, DateTimeField

from server.errors import APIError
from server.models import RefreshToken, User, db, utcnow
from server.raw_sql import as_datetime

ALGORITHM = "HS256"


def issue_access_token(user: User) -> tuple[str, int]:
    lifetime = int(current_app.config["ACCESS_TOKEN_MINUTES"]) * 60
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "role": user.role,
        # Fractional iat: logout revokes tokens issued before it, even within the same second.
        "iat": _epoch(now),
        "exp": int(_epoch(now)) + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM), lifetime


def _epoch(naive_utc) -> float:
    return naive_utc.replace(tzinfo=UTC).timestamp()


def decode_access_token(token: str) -> dict | None:
    """The token's claims if its signature, algorithm and expiry check out; otherwise None."""
    try:
        claims = _verified_claims(token, current_app.config["SECRET_KEY"])
    except jwt.PyJWTError:
        return None
    if claims["exp"] <= time.time():  # remembered claims expire like fresh ones
        return None
    return claims


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, key: str) -> dict:
    """Remembered per exact token and key: the extension presents one token on every poll for its
    whole lifetime, and verifying it costs a third of a suggestions request. Failures raise, so
    they are never remembered. Callers must not modify the dict."""
    return jwt.decode(
        token,
        key,
        # A fixed list: `alg: none` and key-confusion tokens are refused.
        algorithms=[ALGORITHM],
        options={"require": ["exp", "iat", "sub", "jti"]},
    )


def user_from_bearer(header: str | None) -> User | None:
    if not header or not header.startswith("Bearer "):
        return None
    claims = decode_access_token(header.removeprefix("Bearer ").strip())
    if claims is None:
        return None
    if not str(claims["sub"]).isdigit():
        return None
    user = _active_user(int(claims["sub"]))
    if user is None:
        return None
    if user.tokens_valid_after and claims["iat"] < _epoch(user.tokens_valid_after):
        return None
    return user


def _active_user(user_id: int) -> User | None:
    """The user's row, read on every request so that logout and disabling take effect at once.

    Raw SQL and a direct model construction: peewee's row wrapper and date parsing cost more than
    the query itself here.
    """
    sql, names, converters = _user_row_plan(db.param)
    row = db.execute_sql(sql, (user_id,)).fetchone()
    if row is None:
        return None
    user = User(
        __no_default__=True, **{n: c(v) for n, c, v in zip(names, converters, row, strict=True)}
    )
    user._dirty.clear()  # as loaded, nothing to save
    return user if user.status == "active" else None


def _same(value):
    return value


def _boolean(value):
    return None if value is None else bool(value)


@functools.cache
def _user_row_plan(param: str) -> tuple[str, tuple[str, ...], tuple]:
    """(SQL selecting every column of one user, field names, one converter per column)."""
    sql, _ = User.select().where(User.id == 0).sql()
    fields = User._meta.sorted_fields
    converters = tuple(
        as_datetime
        if isinstance(f, DateTimeField)
        else _boolean
        if isinstance(f, BooleanField)
        else _same
        for f in fields
    )
    return sql, tuple(f.name for f in fields), converters


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_refresh_token(user: User, family: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    RefreshToken.create(
        token_hash=_hash(token),
        family=family or uuid.uuid4().hex,
        user=user,
        expires_at=utcnow() + timedelta(days=int(current_app.config["REFRESH_TOKEN_DAYS"])),
    )
    return token


def rotate_refresh_token(token: str) -> tuple[User, str]:
    """Trade a refresh token for a new one in the same family; a reused one revokes the family.

    Do not call this inside a transaction: a reuse revokes the family and then raises, and an
    enclosing transaction would roll the revocation back.
    """
    now = utcnow()
    record = RefreshToken.get_or_none(RefreshToken.token_hash == _hash(token))
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        raise APIError(
            "invalid_refresh_token", "This refresh token is not valid. Sign in again.", 401
        )
    if record.rotated_at is not None:
        revoke_family(record.family)
        raise APIError(
            "refresh_reused",
            "This refresh token was already used; every session it belonged to is signed out.",
            401,
        )
    user = record.user
    if user.status != "active":
        raise APIError("invalid_refresh_token", "This account is not active.", 401)
    # Rotation is one transaction; revocations stay outside it, so raising never rolls them back.
    with db.atomic():
        updated = (
            RefreshToken.update(rotated_at=now)
            .where(RefreshToken.id == record.id, RefreshToken.rotated_at.is_null())
            .execute()
        )
        new_token = issue_refresh_token(user, family=record.family) if updated == 1 else None
    if new_token is None:  # lost a race with a concurrent refresh of the same token: reuse too
        revoke_family(record.family)
        raise APIError("refresh_reused", "This refresh token was already used.", 401)
    return user, new_token


def revoke_family(family: str) -> None:
    RefreshToken.update(revoked_at=utcnow()).where(
        RefreshToken.family == family, RefreshToken.revoked_at.is_null()
    ).execute()


def revoke_refresh_token(token: str) -> None:
    record = RefreshToken.get_or_none(RefreshToken.token_hash == _hash(token))
    if record is not None:
        revoke_family(record.family)
