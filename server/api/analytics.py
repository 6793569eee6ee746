"""Program analytics. Admins only: the figures name employees (leaderboard) and teams, and the
console is their only reader; employees see their own numbers through /me, not here."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from server import analytics
from server.access import access
from server.schemas import returns

bp = Blueprint("analytics", __name__, url_prefix="/api/v1/analytics")


@bp.get("/summary")
@access("admin")
@returns("analytics/summary")
def summary():
    period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    return jsonify(analytics.summary(period))


summary.query_parameters = {
    "from": {"type": "string", "format": "date", "description": "First UTC day (YYYY-MM-DD)."},
    "to": {"type": "string", "format": "date", "description": "Last UTC day; default today."},
}


@bp.get("/campaigns")
@access("admin")
@returns("analytics/campaigns")
def campaigns():
    """Shares, distinct sharers, clicks and EMV per campaign and network."""
    period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    return jsonify(analytics.campaign_figures(period))


campaigns.query_parameters = summary.query_parameters


@bp.get("/content-mix")
@access("admin")
@returns("analytics/content-mix")
def content_mix():
    """Company / third-party / employee-proposed content in the live library and in the last 30
    days' shares, beside the target mix set in the console."""
    from server.content_mix import content_mix as figures

    return jsonify(figures())
