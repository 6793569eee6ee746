"""Program settings: branding for the extension's panel, default expiry, extension origins, EMV rates."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import oidc
from server.admin import forms
from server.admin.auth_views import sso_redirect_uri
from server.admin.core import admin_required, bp
from server.models import NETWORKS, db
from server.request_limits import MAX_INT, strict_int
from server.settings import all_settings, is_extension_origin, set_setting
from server.snippets import safe_link


@bp.get("/settings")
@admin_required
def settings():
    return render_template(
        "admin/settings.html", s=all_settings(), networks=NETWORKS, errors=[], **_sso()
    )


def _sso() -> dict:
    """Single sign-on as configured (read-only here: it lives in the server's configuration)."""
    return {"sso": oidc.settings(), "sso_redirect_uri": sso_redirect_uri()}


def _number(name: str, errors: list[str], integer: bool = False) -> float | int | None:
    raw = forms.text(name)
    try:
        value = (strict_int(raw) if integer else float(raw)) if raw.isascii() else None
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value > MAX_INT:
        errors.append(f"{name.replace('_', ' ')} must be a {'whole ' if integer else ''}number.")
        return None
    if value < 0:
        errors.append(f"{name.replace('_', ' ')} must not be negative.")
    return value


def _digest_values(errors: list[str]) -> dict:
    """The weekly digest's schedule and size, and when invitation reminders go out."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if "digest_hour" not in request.form:  # a form without the digest fieldset changes none of it
        return {}
    values: dict = {
        "digest_enabled": request.form.get("digest_enabled") == "on",
        "digest_weekday": _number("digest_weekday", errors, integer=True),
        "digest_hour": _number("digest_hour", errors, integer=True),
        "digest_max_snippets": _number("digest_max_snippets", errors, integer=True),
        "timezone": forms.text("timezone") or "UTC",
    }
    if values["digest_weekday"] is not None and not 1 <= values["digest_weekday"] <= 7:
        errors.append("Digest day must be between 1 (Monday) and 7 (Sunday).")
    if values["digest_hour"] is not None and not 0 <= values["digest_hour"] <= 23:
        errors.append("Digest hour must be between 0 and 23.")
    if values["digest_max_snippets"] is not None and not 1 <= values["digest_max_snippets"] <= 20:
        errors.append("Posts per digest must be between 1 and 20.")
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            f"{values['timezone']!r} is not a time zone (e.g. Europe/Rome, Asia/Bangkok)."
        )
    raw_days = [
        d.strip() for d in (request.form.get("reminder_days") or "").split(",") if d.strip()
    ]
    if all(d.isdigit() and 1 <= int(d) <= 60 for d in raw_days) and len(raw_days) <= 5:
        values["reminder_days"] = sorted({int(d) for d in raw_days})
    else:
        errors.append(
            "Reminder days: up to five whole numbers of days, e.g. 3, 7 (empty: no reminders)."
        )
    return values


@bp.post("/settings")
@admin_required
def settings_save():
    errors: list[str] = []
    values: dict = {
        "program_name": forms.text("program_name"),
        "program_logo_url": forms.text("program_logo_url") or None,
        "program_tagline": forms.text("program_tagline"),
        "default_expiry_days": _number("default_expiry_days", errors, integer=True),
        "extension_origins": sorted(
            {
                o.strip().rstrip("/")
                for o in (request.form.get("extension_origins") or "").splitlines()
                if o.strip()
            }
        ),
        "emv_currency": (forms.text("emv_currency") or "USD").upper()[:3],
        "four_eyes": request.form.get("four_eyes") == "on",
        "post_anyway_note": request.form.get("post_anyway_note") == "1",
        "emv_rates": {
            n: {
                "cpm": _number(f"{n}_cpm", errors),
                "cpc": _number(f"{n}_cpc", errors),
                "avg_audience": _number(f"{n}_avg_audience", errors, integer=True),
            }
            for n in NETWORKS
        },
    }
    values.update(_digest_values(errors))
    if not values["program_name"]:
        errors.append("The program needs a name.")
    if values["program_logo_url"] and not (
        safe_link(values["program_logo_url"]) and values["program_logo_url"].startswith("https://")
    ):
        errors.append("The logo URL must be an https:// address.")
    if values["default_expiry_days"] is not None and not 1 <= values["default_expiry_days"] <= 3650:
        errors.append("Default expiry must be between 1 and 3650 days.")
    for origin in values["extension_origins"]:
        if not is_extension_origin(origin):
            errors.append(
                f"{origin!r} is not an extension origin: use chrome-extension://<the 32-letter id> "
                "or moz-extension://<the UUID>."
            )
    if errors:
        merged = {**all_settings(), **values}
        return render_template(
            "admin/settings.html", s=merged, networks=NETWORKS, errors=errors, **_sso()
        ), 422
    before = all_settings()
    with db.atomic():
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        for key, value in changed.items():
            set_setting(key, value)
        if changed:
            forms.record(
                "settings.update", "settings", None, {k: before.get(k) for k in changed}, changed
            )
        if "post_anyway_note" in changed:
            from server.policy_store import recompile

            recompile()
    flash(_("Settings saved.") if changed else _("Nothing changed."), "ok")
    return redirect(url_for("admin.settings"))
