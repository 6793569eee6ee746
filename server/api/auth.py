"""Sign in, refresh and sign out. Failed sign-ins are throttled per email and per address."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from werkzeug.security import check_password_hash

from server.access import access
from server.errors import APIError
from server.models import LoginFailure, User, db, utcnow
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

# Checked against when the email is unknown, so a miss costs the same time as a wrong password.
_DUMMY_HASH = "scrypt:32768:8:1$k7rCz2sJ0QfLxVdA$" + "0" * 128


def token_response(user: User, refresh_token: str):
    access_token, lifetime = issue_access_token(user)
    return jsonify(
        access_token=access_token,
        refresh_token=refresh_token,
        token_type="Bearer",
        expires_in=lifetime,
        user=user_json(user),
    )


def _throttle_keys(email: str) -> list[str]:
    return [f"email:{email}", f"ip:{request.remote_addr or 'unknown'}"]


def _check_throttle(keys: list[str]) -> None:
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=int(cfg["LOGIN_WINDOW_SECONDS"]))
    for key in keys:
        recent = (
            LoginFailure.select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(int(cfg["LOGIN_MAX_FAILURES"]))
        )
        times = [row.at for row in recent]
        if len(times) >= int(cfg["LOGIN_MAX_FAILURES"]):
            unlock = times[0] + timedelta(seconds=int(cfg["LOGIN_LOCKOUT_SECONDS"]))
            wait = max(1, int((unlock - utcnow()).total_seconds()))
            if unlock > utcnow():
                raise APIError(
                    "too_many_attempts",
                    "Too many failed sign-ins. Wait a few minutes and try again.",
                    429,
                    {"retry_after": wait},
                    headers={"Retry-After": str(wait)},
                )


def authenticate(email: str, password: str) -> User:
    """Shared by the API and the admin console: throttling, constant-time miss, active accounts only."""
    email = email.strip().lower()
    keys = _throttle_keys(email)
    _check_throttle(keys)
    user = User.get_or_none(User.email == email)
    ok = check_password_hash(
        user.password_hash if user and user.password_hash else _DUMMY_HASH, password
    )
    if not ok or user is None or user.status != "active":
        with db.atomic():
            LoginFailure.insert_many([{"key": k, "at": utcnow()} for k in keys]).execute()
        raise APIError("invalid_credentials", "Email or password is wrong.", 401)
    LoginFailure.delete().where(LoginFailure.key == keys[0]).execute()
    User.update(last_login_at=utcnow()).where(User.id == user.id).execute()
    return user


@bp.post("/login")
@access("public")
@accepts("auth/login-request")
@returns("auth/token-response")
def login(body):
    user = authenticate(body["email"], body["password"])
    return token_response(user, issue_refresh_token(user))


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
