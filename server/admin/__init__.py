"""The admin console at /admin: server-rendered pages over the same functions the API uses."""

from __future__ import annotations

import importlib

from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from server.admin.core import (
    ConsoleSessionInterface,
    admin_required,
    bp,
    check_csrf,
    content_security_policy,
    csp_nonce,
    csrf_token,
    signed_in_user,
)
from server.errors import APIError

__all__ = ["admin_required", "bp", "init_app"]

# Page modules register their routes on `bp` when imported.
_PAGES = (
    "auth_views",
    "dashboard",
    "snippet_views",
    "guideline_views",
    "people",
    "campaign_views",
    "feed_views",
    "settings_views",
    "audit_views",
    "exports",
    "assets",
    "outbox_views",
    "chat_views",
    "proposal_views",
    "language_views",
    "site_views",
    "health_views",
)


def _titles() -> dict[int, str]:
    """Error page titles in the reader's language (HTTP's own names stay English otherwise)."""
    return {
        400: _("Bad request"),
        401: _("Unauthorized"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        410: _("Gone"),
        413: _("Too large"),
        422: _("Not valid"),
        429: _("Too many requests"),
        500: _("Server error"),
        503: _("Service unavailable"),
    }


def _console_user():
    return signed_in_user() if request.path.startswith("/admin") else None


@bp.errorhandler(APIError)
def _console_api_error(err: APIError):
    """Domain functions raise APIError (e.g. an unknown snippet): a page for pages, JSON for fetch()."""
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return err.response()
    body = render_template(
        "admin/error.html",
        code=err.status,
        title=_titles().get(err.status, _("Error")),
        message=err.message,
        user=signed_in_user(),
    )
    return make_response(body, err.status)


def init_app(app: Flask) -> None:
    app.session_interface = ConsoleSessionInterface()
    for name in _PAGES:
        importlib.import_module(f"server.admin.{name}")
    app.register_blueprint(bp)
    from server.admin.invite import invite_bp

    app.register_blueprint(invite_bp)
    from server.admin.unsubscribe import unsubscribe_bp

    app.register_blueprint(unsubscribe_bp)

    app.before_request(check_csrf)
    from server.admin import cors

    cors.init_app(app)

    @app.after_request
    def _console_headers(resp):
        if resp.mimetype == "text/html" and "Content-Security-Policy" not in resp.headers:
            resp.headers["Content-Security-Policy"] = content_security_policy()
        if request.path.startswith(("/admin", "/invite/", "/unsubscribe/")):
            resp.headers.setdefault("X-Content-Type-Options", "nosniff")
            resp.headers.setdefault("Referrer-Policy", "same-origin")
            resp.headers.setdefault("X-Frame-Options", "DENY")
            if (
                not request.path.startswith("/admin/static/")
                and "Cache-Control" not in resp.headers
            ):
                # Pages show people's data: never keep them in shared or back-button caches.
                resp.headers["Cache-Control"] = "no-store"
        return resp

    # Globals, not a context processor: macros imported without context need them too.
    app.jinja_env.globals.update(
        csrf_token=csrf_token, csp_nonce=csp_nonce, console_user=_console_user
    )

    def html_error(err: HTTPException):
        """server.errors hands HTML-accepting, non-API requests here: a page, not JSON."""
        code = err.code or 500
        user = signed_in_user() if request.path.startswith("/admin") else None
        body = render_template(
            "admin/error.html",
            code=code,
            title=_titles().get(code, err.name),
            message=err.description,
            user=user,
        )
        resp = app.response_class(body, status=code, mimetype="text/html")
        if getattr(err, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(err.valid_methods)
        return resp

    # Not a route (no URL rule), but it sits in view_functions, where every entry declares access.
    html_error.access_level = "public"
    app.view_functions["admin_html_error"] = html_error
