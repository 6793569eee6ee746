"""The console's blueprint and its guards: session sign-in, admin check, CSRF tokens, CSP."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _

from server import console_sessions
from server.models import User

bp = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Paths whose state-changing requests need the session's CSRF token (the console and invite page).
CSRF_PREFIXES = ("/admin", "/invite/")


# The API and tracked-link redirects authenticate by bearer token or not at all.
SESSIONLESS_PREFIXES = ("/api/", "/r/")


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """The console's signed cookie session, and none at all for the API.

    The API never reads the console's cookie, so a browser's ambient console session cannot
    authorise an API call (no cross-site request surface there), and the extension's frequent polls
    skip building a cookie signer.
    """

    def open_session(self, app, request):
        if request.path.startswith(SESSIONLESS_PREFIXES):
            return None  # Flask substitutes its null session: always empty, refuses writes
        return super().open_session(app, request)


def csrf_token() -> str:
    """The session's synchronizer token, made on first use; forms and fetch() calls echo it back."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse unsafe requests without the session's token (400 missing, 403 wrong)."""
    if request.method not in UNSAFE_METHODS or not request.path.startswith(CSRF_PREFIXES):
        return
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    expected = session.get("csrf")
    if not sent:
        abort(
            400,
            description=_(
                "This form is missing its security token (CSRF). Reload the page and try again."
            ),
        )
    if not expected or not hmac.compare_digest(sent, expected):
        abort(
            403,
            description=_(
                "This form's security token (CSRF) is not valid any more — perhaps you signed "
                "in again in another tab. Reload the page and try again."
            ),
        )


def signed_in_user() -> User | None:
    """The console session's user, if the server-side session is live and the account active."""
    if "console_user" in g:
        return g.console_user
    user = None
    sid = session.get("sid")
    if isinstance(sid, str):
        user = console_sessions.current_user(
            sid,
            idle_minutes=current_app.config["CONSOLE_IDLE_MINUTES"],
            max_hours=current_app.config["CONSOLE_MAX_HOURS"],
        )
        if user is None:
            # Revoked, timed out, or the account was disabled: the cookie is worth nothing now.
            session.pop("sid", None)
    g.console_user = user
    return user


def sign_in_session(user: User) -> None:
    """A fresh session on sign-in: no fixation, a new server-side session, and a new CSRF token."""
    session.clear()
    session["sid"] = console_sessions.start(user)
    session.permanent = False
    csrf_token()


def sign_out_session() -> None:
    """End this browser's console session on the server, then forget the cookie."""
    sid = session.get("sid")
    if isinstance(sid, str):
        console_sessions.revoke(sid)
    session.clear()


def safe_next(target: str | None) -> str:
    """Only same-site paths under /admin: a crafted ?next= must not send admins elsewhere."""
    if target:
        parsed = urlparse(target)
        if not parsed.scheme and not parsed.netloc and parsed.path.startswith("/admin"):
            return target
    return url_for("admin.dashboard")


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Console pages: anonymous → sign-in page; signed-in non-admins → 403. Declares access "admin"."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = signed_in_user()
        if user is None:
            if request.method == "GET" and not _wants_json():
                return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")))
            abort(401, description=_("Sign in to the console first."))
        if user.role != "admin":
            abort(
                403,
                description=_("The console is for admins. Your account is an employee account."),
            )
        g.user = user
        return view(*args, **kwargs)

    wrapper.access_level = "admin"
    return wrapper


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages anyone may open (sign-in, invite): still declared, like every route."""
    view.access_level = "public"
    return view


def allow_eval() -> None:
    """Brython compiles Python to JS with eval/new Function: only its pages relax script-src."""
    g.csp_allow_eval = True


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy() -> str:
    nonce = csp_nonce()
    script = f"'self' 'nonce-{nonce}'" + (" 'unsafe-eval'" if g.get("csp_allow_eval") else "")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            # Nonce'd <style> only: pygal's inline SVG styles carry the nonce (see charts.py).
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data: https:",  # the program logo may live on another https host
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            # The sign-in page's single sign-on form redirects on to the identity provider.
            "form-action 'self'" + "".join(" " + o for o in g.get("csp_form_targets", ())),
            "frame-ancestors 'none'",
        ]
    )


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.headers.get(CSRF_HEADER) is not None
