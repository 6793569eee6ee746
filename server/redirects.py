"""GET /r/<code>: send the reader on to the snippet's link and count the click, without storing who.

Every visitor is sent on, always: a reader is never blocked from the page. What is limited is
what gets recorded (bots flagged, repeats not counted, floods not stored: server.tracked_links).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, redirect, request

from server.access import access
from server.errors import not_found
from server.models import TrackedLink
from server.snippets import safe_link
from server.tracked_links import record_click

bp = Blueprint("redirects", __name__)

_NOT_FOUND_HTML = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Link not found</title>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto">
<h1>Link not found</h1><p>This link does not exist or is no longer available.</p></body></html>
"""


def _missing():
    accept = request.accept_mimetypes
    if accept.accept_html and accept["text/html"] >= accept["application/json"]:
        return Response(_NOT_FOUND_HTML, 404, content_type="text/html; charset=utf-8")
    return not_found("Link").response()


@bp.get("/r/<code>")
@access("public")
def follow(code: str):
    link = (
        TrackedLink.select(TrackedLink.id, TrackedLink.target_url)
        .where(TrackedLink.code == code)
        .first()
        if len(code) <= 64
        else None
    )
    # Only http(s) targets ever leave here, whatever the table holds: no javascript:, data: or
    # open redirect; the request's own query string is never passed on.
    if link is None or not safe_link(link.target_url):
        return _missing()
    record_click(
        link.id,
        request.remote_addr,
        request.user_agent.string,
        request.referrer,
        int(current_app.config["CLICK_RATE_PER_MINUTE"]),
    )
    resp = redirect(link.target_url, 302)
    resp.headers["Cache-Control"] = "no-store"  # every visit should reach us and be counted
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
