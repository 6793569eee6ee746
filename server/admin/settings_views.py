"""Program settings: branding for the extension's panel, default expiry, extension origins, EMV rates."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import oidc, schema_words
from server.admin import forms
from server.admin.auth_views import sso_redirect_uri
from server.admin.core import admin_required, bp
from server.i18n import LANGUAGE_NAMES, LANGUAGES
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
    return {
        "sso": oidc.settings(),
        "sso_redirect_uri": sso_redirect_uri(),
        "firefox_redirect_uri": oidc.firefox_redirect_uri(),
    }


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


def _content_mix_values(errors: list[str]) -> dict:
    """The target content mix: whole percentages that add up to 100 (server.content_mix)."""
    from server.content_mix import KINDS, target_errors

    if "mix_company" not in request.form:  # a form without the fieldset changes none of it
        return {}
    target: dict = {}
    for kind in KINDS:
        raw = forms.text(f"mix_{kind}")
        value = strict_int(raw)
        target[kind] = raw if value is None else value  # not a number: the schema says so
    errors.extend(f"Target content mix: {problem}" for problem in target_errors(target))
    return {"content_mix_target": target}


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
    values.update(_content_mix_values(errors))
    if not values["program_name"]:
        errors.append("The program needs a name.")
    if values["program_logo_url"] and not (
        safe_link(values["program_logo_url"]) and values["program_logo_url"].startswith("https://")
    ):
        errors.append("The logo URL must be an https:// address.")
    if "default_language" in request.form:  # a form without the field changes nothing of it
        values["default_language"] = forms.text("default_language")
    if values.get("default_language", "en") not in LANGUAGES:
        errors.append(
            _(
                "Company language: one of %(languages)s.",
                languages=", ".join(LANGUAGE_NAMES.values()),
            )
        )
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


# --- Recognition: points and the weekly thank-you mail (server.recognition) ------------------------------------


def _recognition_form() -> tuple[dict, list[str]]:
    """The form as a recognition/settings body, and what is wrong with it (in the form's words)."""
    from server import recognition
    from server.schemas import errors_for

    errors: list[str] = []
    points = {
        kind: _number(f"points_{kind}", errors, integer=True) for kind in recognition.POINT_KINDS
    }
    body = {
        "points": points,
        "mail_enabled": request.form.get("mail_enabled") == "on",
        "top_n": _number("top_n", errors, integer=True),
        "templates": {
            kind: {
                "subject": forms.text(f"{kind}_subject"),
                "body": (request.form.get(f"{kind}_body") or "").replace("\r\n", "\n").strip(),
            }
            for kind in recognition.TEMPLATE_KINDS
        },
    }
    unreadable = {f"/points/{k}" for k, v in points.items() if v is None}
    unreadable |= {"/top_n"} if body["top_n"] is None else set()
    unreadable |= {  # empty wording: template_problems says so in plain words
        f"/templates/{kind}/{part}"
        for kind, parts in body["templates"].items()
        for part, text in parts.items()
        if not text
    }
    for problem in errors_for("recognition/settings", body, schema_words.in_words):
        if problem["path"] not in unreadable:  # already said: "... must be a whole number."
            where = problem["path"].strip("/").replace("/", " ").replace("_", " ")
            errors.append(f"{where}: {problem['message']}")
    errors += recognition.template_problems(body["templates"])
    return body, errors


def _recognition_page(body: dict, errors: list[str], status: int = 200):
    from server import recognition
    from server.settings import get_setting

    program = get_setting("program_name")
    samples = {
        "top": {
            "reason": "top",
            "rank": 1,
            "points": 42,
            "shares": 3,
            "clicks": 12,
            "week": "2026-W49",
        },
        "first_share": {
            "reason": "first_share",
            "rank": None,
            "points": None,
            "shares": 1,
            "clicks": 0,
            "week": "2026-W49",
        },
    }
    previews = {}
    if not any("template" in e or "subject" in e or "body" in e for e in errors):
        previews = {
            kind: recognition.mail_texts(sample, "Alex Example", program, body["templates"])
            for kind, sample in samples.items()
        }
    return render_template(
        "admin/recognition.html",
        r=body,
        errors=errors,
        previews=previews,
        kinds=recognition.TEMPLATE_KINDS,
        placeholders=recognition.PLACEHOLDERS,
    ), status


@bp.get("/settings/recognition")
@admin_required
def settings_recognition():
    from server import recognition

    return _recognition_page(recognition.settings_json(), [])


@bp.post("/settings/recognition")
@admin_required
def settings_recognition_save():
    """ "Preview" shows the mails as typed without saving; "Save" validates, saves and audits."""
    from server import recognition

    body, errors = _recognition_form()
    if errors:
        return _recognition_page(body, errors, 422)
    if request.form.get("action") == "preview":
        return _recognition_page(body, [])
    before = recognition.settings_json()
    with db.atomic():
        for key, value in recognition.settings_values(body).items():
            set_setting(key, value)
        after = recognition.settings_json()
        if after != before:
            forms.record("recognition.settings", "settings", None, before, after)
    flash(_("Recognition settings saved.") if after != before else _("Nothing changed."), "ok")
    return redirect(url_for("admin.settings_recognition"))
