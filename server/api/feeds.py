"""Feed sources (admin): add, list, pause, resume, delete, poll now. The work is in server.feeds."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify
from peewee import fn

from server import audit, feeds
from server.access import access
from server.errors import APIError, not_found
from server.models import Campaign, FeedEntry, FeedPoll, FeedSource, Team, db, iso
from server.pagination import PAGINATION_PARAMETERS, paginate
from server.schemas import accepts, returns

bp = Blueprint("feeds", __name__, url_prefix="/api/v1/feeds")


def poll_json(poll: FeedPoll, snippet_ids: list[int] | None = None) -> dict:
    out = {
        "at": iso(poll.at),
        "http_status": poll.http_status,
        "items_new": poll.items_new,
        "items_seen": poll.items_seen,
        "error": poll.error,
        "warning": poll.warning,
        "duration_ms": poll.duration_ms,
    }
    if snippet_ids is not None:
        out["snippet_ids"] = snippet_ids
    return out


def feed_json(source: FeedSource) -> dict:
    polls = (
        FeedPoll.select()
        .where(FeedPoll.source == source.id)
        .order_by(FeedPoll.at.desc(), FeedPoll.id.desc())
        .limit(10)
    )
    entries = FeedEntry.select(fn.COUNT(FeedEntry.id)).where(FeedEntry.source == source.id)
    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "team_ids": list(source.team_ids or []),
        "campaign_id": source.campaign_id,
        "language": source.language,
        "third_party": source.third_party,
        "naming": source.naming,
        "status": source.status,
        "consecutive_failures": source.consecutive_failures,
        "last_polled_at": iso(source.last_polled_at),
        "created_at": iso(source.created_at),
        "entry_count": entries.scalar() or 0,
        "recent_polls": [poll_json(p) for p in polls],
    }


def create_source(body: dict, actor) -> FeedSource:
    """Validate what the schema cannot (teams and campaign exist) and store the source."""
    errors = []
    team_ids = sorted(set(body.get("team_ids") or []))
    if team_ids:
        known = {t for (t,) in Team.select(Team.id).where(Team.id.in_(team_ids)).tuples()}
        errors += [
            {"path": "/team_ids", "message": f"no team with id {t}"}
            for t in team_ids
            if t not in known
        ]
    campaign_id = body.get("campaign_id")
    if campaign_id is not None and not Campaign.get_or_none(Campaign.id == campaign_id):
        errors.append({"path": "/campaign_id", "message": f"no campaign with id {campaign_id}"})
    if errors:
        raise APIError("validation_failed", "The feed source is not valid.", 422, errors)
    with db.atomic():
        source = FeedSource.create(
            name=body["name"].strip(),
            url=body["url"].strip(),
            team_ids=team_ids,
            campaign=campaign_id,
            language=body.get("language", "en"),
            third_party=body.get("third_party", False),
            naming=body.get("naming", "title"),
        )
        audit.record(actor, "feed.create", "feed", source.id, None, feed_json(source))
    return source


def get_source(source_id: int) -> FeedSource:
    source = FeedSource.get_or_none(FeedSource.id == source_id)
    if source is None:
        raise not_found("Feed source")
    return source


def set_status(source: FeedSource, status: str, actor) -> FeedSource:
    before = feed_json(source)
    source.status = status
    if status == "active":
        source.consecutive_failures = 0
    with db.atomic():
        source.save()
        audit.record(actor, f"feed.{status}", "feed", source.id, before, feed_json(source))
    return source


def poll_now(source: FeedSource) -> feeds.PollResult:
    return feeds.poll_source(source, feeds.FetchLimits.from_config(current_app.config))


@bp.get("")
@access("admin")
@returns("feeds/feed-list")
def index():
    """Feed sources, newest first."""
    query = FeedSource.select().order_by(FeedSource.id.desc())
    return jsonify(paginate(query, feed_json))


index.query_parameters = dict(PAGINATION_PARAMETERS)


@bp.post("")
@access("admin")
@accepts("feeds/feed-create")
@returns("feeds/feed", status=201)
def create(body):
    return jsonify(feed_json(create_source(body, g.user))), 201


@bp.get("/<int:source_id>")
@access("admin")
@returns("feeds/feed")
def show(source_id: int):
    return jsonify(feed_json(get_source(source_id)))


@bp.delete("/<int:source_id>")
@access("admin")
def delete(source_id: int):
    """The drafts it made stay; only the source and its poll history go."""
    source = get_source(source_id)
    with db.atomic():
        before = feed_json(source)
        source.delete_instance()
        audit.record(g.user, "feed.delete", "feed", source_id, before)
    return "", 204


delete.response_status = 204


@bp.post("/<int:source_id>/pause")
@access("admin")
@returns("feeds/feed")
def pause(source_id: int):
    return jsonify(feed_json(set_status(get_source(source_id), "paused", g.user)))


@bp.post("/<int:source_id>/resume")
@access("admin")
@returns("feeds/feed")
def resume(source_id: int):
    return jsonify(feed_json(set_status(get_source(source_id), "active", g.user)))


@bp.post("/<int:source_id>/poll")
@access("admin")
@returns("feeds/poll")
def poll(source_id: int):
    """Poll now, paused or not: the answer is the stored poll and the drafts it made."""
    result = poll_now(get_source(source_id))
    return jsonify(poll_json(result.poll, result.snippet_ids))
