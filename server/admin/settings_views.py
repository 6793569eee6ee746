"""Program settings: branding for the extension's panel, default expiry, extension origins, EMV rates."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from server import oidc
from server.admin import forms
from server.admin.auth_views import sso_redirect_uri
from server.admin.core import admin_required, bp
from server.models import NETWORKS, db
from server.settings import all_settings, set_setting
from server.snippets import safe_link

_ORIGIN_PREFIXES = (
    "chrome-extension://",
    "moz-extension://",
    "https://",
    "http://localhost",
    "http://127.0.0.1",
)


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
        value = int(raw) if integer else float(raw)
    except ValueError:
        errors.append(f"{name.replace('_', ' ')} must be a {'whole ' if integer else ''}number.")
        return None
    if value < 0:
        errors.append(f"{name.replace('_', ' ')} must not be negative.")
    return value


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
        "emv_rates": {
            n: {
                "cpm": _number(f"{n}_cpm", errors),
                "cpc": _number(f"{n}_cpc", errors),
                "avg_audience": _number(f"{n}_avg_audience", errors, integer=True),
            }
            for n in NETWORKS
        },
    }
    if not values["program_name"]:
        errors.append("The program needs a name.")
    if values["program_logo_url"] and not (
        safe_link(values["program_logo_url"]) and values["program_logo_url"].startswith("https://")
    ):
        errors.append("The logo URL must be an https:// address.")
    if values["default_expiry_days"] is not None and not 1 <= values["default_expiry_days"] <= 3650:
        errors.append("Default expiry must be between 1 and 3650 days.")
    for origin in values["extension_origins"]:
        if not origin.startswith(_ORIGIN_PREFIXES) or " " in origin:
            errors.append(f"{origin!r} is not an extension origin (chrome-extension://<id>).")
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
    flash("Settings saved." if changed else "Nothing changed.", "ok")
    return redirect(url_for("admin.settings"))
