"""Campaigns group suggestions under a name, a hashtag and a time window."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, g, jsonify, request
from peewee import JOIN, Case, fn

from server import audit, search
from server.access import access
from server.errors import APIError, not_found
from server.models import Campaign, Snippet, db, iso, name_fields, utcnow
from server.names import name_key
from server.pagination import PAGINATION_PARAMETERS, paginate
from server.schemas import accepts, returns
from server.snippets import mark_snippets_changed, touch_campaign_snippets

bp = Blueprint("campaigns", __name__, url_prefix="/api/v1/campaigns")


def _invalid(path: str, message: str) -> APIError:
    return APIError(
        "validation_failed",
        "The request body does not match its schema.",
        422,
        [{"path": path, "message": message}],
    )


def parse_datetime(value: str | None, path: str) -> datetime | None:
    """RFC 3339 with an offset, to naive UTC (how the models store times)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or "T" not in value.upper() or parsed.tzinfo is None:
        raise _invalid(path, f"{value!r} is not an RFC 3339 date-time like 2026-05-01T09:00:00Z.")
    return parsed.astimezone(UTC).replace(tzinfo=None)


def _with_counts():
    return (
        Campaign.select(Campaign, fn.COUNT(Snippet.id).alias("snippet_count"))
        .join(Snippet, JOIN.LEFT_OUTER)
        .group_by(Campaign.id)
    )


def campaign_json(campaign: Campaign) -> dict:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "hashtag": campaign.hashtag,
        "starts_at": iso(campaign.starts_at),
        "ends_at": iso(campaign.ends_at),
        "snippet_count": int(getattr(campaign, "snippet_count", 0) or 0),
        "created_at": iso(campaign.created_at),
    }


def _get_campaign(campaign_id: int) -> Campaign:
    campaign = _with_counts().where(Campaign.id == campaign_id).first()
    if campaign is None:
        raise not_found("Campaign")
    return campaign


def _check_name_free(name: str, except_id: int | None = None) -> None:
    clash = Campaign.select().where(Campaign.name_key == name_key(name))
    if except_id is not None:
        clash = clash.where(Campaign.id != except_id)
    if clash.exists():
        raise APIError(
            "campaign_exists",
            f"A campaign named {name!r} already exists.",
            409,
            [{"path": "/name", "message": "Choose another name."}],
        )


def _fields(body: dict, current: Campaign | None = None) -> dict:
    """Body to model fields; the window is checked as it will be after the change."""
    fields: dict = {}
    if "name" in body:
        fields.update(name_fields(body["name"].strip()))
    if "hashtag" in body:
        fields["hashtag"] = body["hashtag"]
    for key in ("starts_at", "ends_at"):
        if key in body:
            fields[key] = parse_datetime(body[key], f"/{key}")
    starts = fields.get("starts_at", current.starts_at if current else None)
    ends = fields.get("ends_at", current.ends_at if current else None)
    if starts is not None and ends is not None and ends <= starts:
        raise _invalid("/ends_at", "ends_at must be after starts_at.")
    return fields


@bp.get("")
@access("admin")
@returns("campaigns/campaign-list")
def index():
    """Campaigns, latest start first (undated ones last); `q` filters by name or hashtag."""
    query = _with_counts()
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(
            search.contains(Campaign.name, q) | search.contains(Campaign.hashtag, q)
        )
    # CASE instead of NULLS LAST: the same ordering on SQLite and PostgreSQL.
    undated = Case(None, [(Campaign.starts_at.is_null(), 1)], 0)
    query = query.order_by(undated, Campaign.starts_at.desc(), Campaign.id.desc())
    return jsonify(paginate(query, campaign_json))


index.query_parameters = {
    **PAGINATION_PARAMETERS,
    "q": {"type": "string", "description": "Part of the name or hashtag, any case."},
}


@bp.post("")
@access("admin")
@accepts("campaigns/campaign-create")
@returns("campaigns/campaign", status=201)
def create(body):
    fields = _fields(body)
    _check_name_free(fields["name"])
    with db.atomic():
        campaign = Campaign.create(**fields)
        after = campaign_json(_get_campaign(campaign.id))
        audit.record(g.user, "campaign.create", "campaign", campaign.id, None, after)
    return jsonify(after), 201


@bp.get("/<int:campaign_id>")
@access("admin")
@returns("campaigns/campaign")
def show(campaign_id: int):
    return jsonify(campaign_json(_get_campaign(campaign_id)))


@bp.patch("/<int:campaign_id>")
@access("admin")
@accepts("campaigns/campaign-update")
@returns("campaigns/campaign")
def update(campaign_id: int, body):
    campaign = _get_campaign(campaign_id)
    fields = _fields(body, campaign)
    if "name" in fields:
        _check_name_free(fields["name"], except_id=campaign.id)
    with db.atomic():
        Campaign.update(**fields).where(Campaign.id == campaign.id).execute()
        touch_campaign_snippets(campaign.id)
        after = campaign_json(_get_campaign(campaign_id))
        audit.record(
            g.user, "campaign.update", "campaign", campaign.id, campaign_json(campaign), after
        )
    return jsonify(after)


@bp.delete("/<int:campaign_id>")
@access("admin")
def delete(campaign_id: int):
    """Its suggestions stay, without a campaign."""
    campaign = _get_campaign(campaign_id)
    with db.atomic():
        Snippet.update(campaign=None, updated_at=utcnow()).where(
            Snippet.campaign == campaign.id
        ).execute()
        mark_snippets_changed()
        Campaign.delete().where(Campaign.id == campaign.id).execute()
        audit.record(g.user, "campaign.delete", "campaign", campaign.id, campaign_json(campaign))
    return "", 204


delete.response_status = 204
