"""Campaigns: a name, an optional hashtag and dates; snippets point at them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN, IntegrityError, fn

from server import analytics
from server.admin import forms
from server.admin.core import admin_required, bp
from server.errors import APIError
from server.models import Campaign, Snippet, db, iso
from server.names import name_key
from server.snippets import campaign_window_reason, parse_time, touch_campaign_snippets


def _json(c: Campaign) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "hashtag": c.hashtag,
        "starts_at": iso(c.starts_at),
        "ends_at": iso(c.ends_at),
    }


@bp.get("/campaigns")
@admin_required
def campaigns():
    rows = (
        Campaign.select(Campaign, fn.COUNT(Snippet.id).alias("snippet_count"))
        .join(Snippet, join_type=JOIN.LEFT_OUTER)
        .group_by(Campaign)
        .order_by(Campaign.name)
    )
    edit_id = forms.arg_int("edit")
    editing = Campaign.get_or_none(Campaign.id == edit_id) if edit_id else None
    period_error = None
    try:
        period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    except APIError as err:
        period_error = err.message
        period = analytics.parse_period(None, None)
    return render_template(
        "admin/campaigns.html",
        campaigns=list(rows),
        figures=analytics.campaign_figures(period),
        period_error=period_error,
        editing=editing,
        to_local=forms.iso_to_local,
        window_reason=campaign_window_reason,
    )


def _values() -> dict:
    values: dict = {
        "name": forms.text("name"),
        "hashtag": forms.text("hashtag").lstrip("#") or None,
    }
    for key in ("starts_at", "ends_at"):
        raw = forms.local_to_iso(forms.text(key))
        values[key] = parse_time(raw.replace("Z", "+00:00"), f"/{key}") if raw else None
    if not values["name"]:
        raise APIError("validation_failed", "Give the campaign a name.", 422)
    if values["starts_at"] and values["ends_at"] and values["ends_at"] <= values["starts_at"]:
        raise APIError("validation_failed", "The campaign must end after it starts.", 422)
    return values


@bp.post("/campaigns")
@bp.post("/campaigns/<int:campaign_id>")
@admin_required
def campaign_save(campaign_id: int | None = None):
    try:
        values = _values()
        with db.atomic():
            if campaign_id is None:
                campaign = Campaign.create(**values)
                forms.record("campaign.create", "campaign", campaign.id, None, _json(campaign))
            else:
                campaign = Campaign.get_or_none(Campaign.id == campaign_id)
                if campaign is None:
                    raise APIError("not_found", "Campaign not found.", 404)
                before = _json(campaign)
                Campaign.update(**values, name_key=name_key(values["name"])).where(
                    Campaign.id == campaign_id
                ).execute()
                touch_campaign_snippets(campaign_id)
                forms.record(
                    "campaign.update",
                    "campaign",
                    campaign_id,
                    before,
                    _json(Campaign.get_by_id(campaign_id)),
                )
    except APIError as err:
        messages = (
            "; ".join(d.get("message", "") for d in err.details)
            if isinstance(err.details, list)
            else ""
        )
        flash(f"{err.message} {messages}".strip(), "error")
    except IntegrityError:
        flash(_("A campaign with that name already exists."), "error")
    else:
        flash(_("Campaign %(name)s saved.", name=values["name"]), "ok")
    return redirect(url_for("admin.campaigns"))
