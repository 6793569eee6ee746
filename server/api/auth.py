"""Sign in, refresh and sign out. Failed sign-ins are throttled per account, per account and address,
and (with a much higher ceiling) per address."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from peewee import PostgresqlDatabase

from server import languages
from server.access import access
from server.db import write_transaction
from server.errors import APIError
from server.models import LoginFailure, User, db, utcnow
from server.names import name_key
from server.passwords import password_matches
from server.people import normalize_email
from server.schemas import accepts, returns
from server.serialize import user_json
from server.tokens import (
    issue_access_token,
    issue_refresh_token,
    revoke_refresh_token,
    rotate_refresh_token,
    user_from_bearer,
)

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


def token_response(user: User, refresh_token: str):
    access_token, lifetime = issue_access_token(user)
    return jsonify(
        access_token=access_token,
        refresh_token=refresh_token,
        token_type="Bearer",
        expires_in=lifetime,
        user=user_json(user),
    )


def _throttle_limits(email: str) -> dict[str, int]:
    """Failure counters this sign-in is judged by, each with its ceiling within the window.

    Per account and address: the usual lock, after a few wrong passwords. Per account from any
    address: guessing spread over many machines. Per address: a password spray over many accounts
    from one place. The address ceiling is much higher because a whole company can sit behind one
    NAT or TLS proxy address: a few wrong passwords must never lock every colleague out.
    """
    cfg = current_app.config
    account = name_key(email)
    address = request.remote_addr or "unknown"
    return {
        f"pair:{account}|{address}": int(cfg["LOGIN_MAX_FAILURES"]),
        f"account:{account}": int(cfg["LOGIN_ACCOUNT_MAX_FAILURES"]),
        f"address:{address}": int(cfg["LOGIN_ADDRESS_MAX_FAILURES"]),
    }


def _serialize_attempts(account_key: str) -> None:
    """SQLite: write_transaction() already holds the database's write lock. PostgreSQL: a
    transaction-scoped advisory lock per account, so concurrent guesses are counted one by one."""
    if isinstance(db.obj, PostgresqlDatabase):
        digest = hashlib.blake2b(account_key.encode(), digest_size=8).digest()
        db.execute_sql(
            "SELECT pg_advisory_xact_lock(%s)", (int.from_bytes(digest, "big", signed=True),)
        )


def _locked_for(limits: dict[str, int], now) -> int | None:
    """Seconds until the first lock among `limits` lifts, or None when none is locked."""
    cfg = current_app.config
    since = now - timedelta(seconds=int(cfg["LOGIN_WINDOW_SECONDS"]))
    for key, limit in limits.items():
        times = [
            at
            for (at,) in LoginFailure.select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
            .tuples()
        ]
        if len(times) >= limit:
            unlock = times[0] + timedelta(seconds=int(cfg["LOGIN_LOCKOUT_SECONDS"]))
            if unlock > now:
                return max(1, int((unlock - now).total_seconds()))
    return None


def _reserve_attempt(limits: dict[str, int]) -> list[int]:
    """Check the counters and, in the same write transaction, count this attempt as a failure.

    Counting before the (slow) password check is what makes concurrent guesses count: checking
    first and recording afterwards let 40 simultaneous guesses all pass a check that saw none of
    the others. A successful sign-in takes its reservation back (`_forget_failures`).
    """
    now = utcnow()
    window = timedelta(seconds=int(current_app.config["LOGIN_WINDOW_SECONDS"]))
    with write_transaction():
        _serialize_attempts(next(iter(limits)))
        wait = _locked_for(limits, now)
        if wait is not None:
            raise APIError(
                "too_many_attempts",
                "Too many failed sign-ins. Wait a few minutes and try again.",
                429,
                {"retry_after": wait},
                headers={"Retry-After": str(wait)},
            )
        # Failures older than the window never count again.
        LoginFailure.delete().where(
            LoginFailure.key.in_(list(limits)), LoginFailure.at <= now - window
        ).execute()
        return [LoginFailure.insert(key=key, at=now).execute() for key in limits]


def _forget_failures(limits: dict[str, int], reserved: list[int]) -> None:
    """The owner proved the password: this attempt and the account's earlier failures are
    forgotten; the address keeps its other failures (they may be someone else's)."""
    account_keys = [key for key in limits if not key.startswith("address:")]
    with write_transaction():
        LoginFailure.delete().where(
            LoginFailure.id.in_(reserved) | LoginFailure.key.in_(account_keys)
        ).execute()


def authenticate(email: str, password: str) -> User:
    """The password sign-in, shared by the API and the admin console: throttling, constant-time
    miss, active accounts only. Only this path is throttled: other ways in (SSO, a mailed link)
    stay open to the owner of an account that guessers have locked."""
    limits = _throttle_limits(email)
    reserved = _reserve_attempt(limits)
    user = User.get_or_none(User.email == normalize_email(email))
    ok = password_matches(user.password_hash if user else None, password)
    if not ok or user is None or user.status != "active":
        raise APIError("invalid_credentials", "Email or password is wrong.", 401)
    _forget_failures(limits, reserved)
    User.update(last_login_at=utcnow()).where(User.id == user.id).execute()
    return user


@bp.post("/login")
@access("public")
@accepts("auth/login-request")
@returns("auth/token-response")
def login(body):
    user = authenticate(body["email"], body["password"])
    languages.default_at_sign_in(user, body.get("browser_language"))
    return token_response(user, issue_refresh_token(user))


login.throttled = True  # 429 with Retry-After


@bp.post("/refresh")
@access("public")
@accepts("auth/refresh-request")
@returns("auth/token-response")
def refresh(body):
    user, new_token = rotate_refresh_token(body["refresh_token"])  # transactional inside
    return token_response(user, new_token)


@bp.post("/logout")
@access("public")  # an expired access token must not stop anyone from signing out
@accepts("auth/logout-request")
def logout(body):
    if body.get("refresh_token"):
        revoke_refresh_token(body["refresh_token"])
    user = user_from_bearer(request.headers.get("Authorization"))
    if user is not None:  # access tokens already handed out stop working too
        User.update(tokens_valid_after=utcnow()).where(User.id == user.id).execute()
    return "", 204


logout.response_status = 204  # no body: documented as such in the OpenAPI document
