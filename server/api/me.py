"""The signed-in user's own profile and preferences."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from server import languages
from server.access import access
from server.models import User
from server.personal_data import my_data
from server.schemas import accepts, returns
from server.serialize import user_json

bp = Blueprint("me", __name__, url_prefix="/api/v1/me")


@bp.get("")
@access("employee")
@returns("user")
def show():
    return jsonify(user_json(g.user))


@bp.patch("")
@access("employee")
@accepts("me-update")
@returns("user")
def update(body):
    """Employees choose their language, the languages they read, leaderboard and digest opt-ins
    and follower count themselves."""
    if "languages" in body:
        body["languages"] = languages.stored(body["languages"])
    User.update(**body).where(User.id == g.user.id).execute()
    return jsonify(user_json(User.get_by_id(g.user.id)))


@bp.get("/data")
@access("employee")
@returns("me-data")
def data():
    """Everything the server keeps that is tied to me: shares, tracked links and their clicks,
    what counts for me, and which admin exports name me (the options page shows and downloads it)."""
    resp = jsonify(my_data(g.user))
    resp.headers["Cache-Control"] = "no-store"
    return resp
