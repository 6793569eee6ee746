"""The console's site health page: the extension's counters per site, last 24 h and 7 days (server.site_health)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import site_health
from server.admin import forms
from server.admin.core import admin_required, bp
from server.settings import get_setting, set_setting

SITE_LABELS = {"linkedin": "LinkedIn", "x": "X"}


def counter_labels() -> dict[str, str]:
    """The counters in the reader's words (the page's column heads and the alert mail)."""
    return {
        "composer_opened": _("Composers opened"),
        "matched_adapter": _("Matched by the adapter"),
        "matched_fallback": _("Matched by the fallback"),
        "composer_not_found": _("Not found"),
        "insert_failed": _("Insert failed"),
        "post_detected": _("Post detected"),
        "post_not_detected": _("Post not detected"),
    }


@bp.get("/health")
@admin_required
def site_health_page():
    limits = site_health.thresholds()
    windows = [
        ("24h", _("Last 24 hours"), site_health.summary("24h", limits=limits)),
        ("7d", _("Last 7 days"), site_health.summary("7d", limits=limits)),
    ]
    return render_template(
        "admin/health.html",
        windows=windows,
        limits=limits,
        labels=counter_labels(),
        counters=site_health.COUNTERS,
        problems=site_health.PROBLEMS,
        site_labels=SITE_LABELS,
    )


@bp.post("/health/thresholds")
@admin_required
def site_health_thresholds():
    before = {k: get_setting(k) for k in ("health_red_rate", "health_min_count")}
    try:
        rate = float((request.form.get("health_red_rate") or "").replace(",", "."))
        min_count = int(request.form.get("health_min_count") or "")
    except ValueError:
        rate = min_count = -1
    if not (0 < rate <= 100) or not (1 <= min_count <= 100000):
        flash(
            _("Enter a rate in percent from 0.1 to 100 and a minimum count from 1 to 100,000."),
            "error",
        )
        return redirect(url_for("admin.site_health_page"))
    after = {"health_red_rate": rate, "health_min_count": min_count}
    if after != before:
        for key, value in after.items():
            set_setting(key, value)
        forms.record("health.thresholds", "settings", None, before, after)
    flash(_("Health thresholds saved.") if after != before else _("Nothing changed."), "ok")
    return redirect(url_for("admin.site_health_page"))
