"""The dashboard: the same summary the analytics API serves, as charts plus tables."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from server import analytics, content_mix
from server.admin import charts
from server.admin.core import admin_required, bp
from server.errors import APIError


@bp.get("/")
@admin_required
def dashboard():
    error = None
    try:
        period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    except APIError as err:
        error = err.message
        period = analytics.parse_period(None, None)
    data = analytics.summary(period)
    mix = content_mix.content_mix()
    # content_mix.LABELS are msgids (extracted from the settings page); the reader's words here.
    mix_labels = {kind: _(label) for kind, label in content_mix.LABELS.items()}
    svgs = {
        "funnel": charts.funnel(data["funnel"]),
        "shares": charts.shares_per_day(data["shares"]["per_day"]),
        "weekly": charts.weekly_sharers(data["weekly_active_sharers"]),
        "clicks": charts.clicks_per_day(data["clicks"]["per_day"]),
        "mix": charts.content_mix(mix, mix_labels),
    }
    return render_template(
        "admin/dashboard.html",
        data=data,
        svgs=svgs,
        error=error,
        period=period,
        mix=mix,
        mix_labels=mix_labels,
    )
