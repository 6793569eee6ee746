"""Recognition: leaderboards and own rank for employees who opted in; points and mail settings for admins.

Nothing here ever names someone who did not opt in (server.recognition reads only opted-in people).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from server import audit, recognition
from server.access import access
from server.db import db
from server.schemas import accepts, returns
from server.settings import set_setting

bp = Blueprint("recognition", __name__, url_prefix="/api/v1/recognition")


@bp.get("/leaderboard")
@access("employee")
@returns("recognition/leaderboard")
def leaderboard():
    """Empty for someone who did not opt in: leaderboards are shared among those who chose to be on them."""
    period = request.args.get("period") or "week"
    team = recognition.own_team(g.user, request.args.get("team"))
    resp = jsonify(recognition.leaderboard(g.user, period, team))
    resp.headers["Cache-Control"] = "no-store"
    return resp


leaderboard.query_parameters = {
    "period": {
        "enum": list(recognition.PERIODS),
        "description": "UTC: from Monday, from the 1st, ever. Default week.",
    },
    "team": {"type": "integer", "description": "One of the viewer's own teams; default everyone."},
}


@bp.get("/me")
@access("employee")
@returns("recognition/me")
def me():
    resp = jsonify(recognition.my_standing(g.user))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/settings")
@access("admin")
@returns("recognition/settings")
def settings():
    return jsonify(recognition.settings_json())


@bp.put("/settings")
@access("admin")
@accepts("recognition/settings")
@returns("recognition/settings")
def settings_update(body):
    values = recognition.settings_values(body)
    before = recognition.settings_json()
    with db.atomic():
        for key, value in values.items():
            set_setting(key, value)
        after = recognition.settings_json()
        if after != before:
            audit.record(g.user, "recognition.settings", "settings", None, before, after)
    return jsonify(after)
