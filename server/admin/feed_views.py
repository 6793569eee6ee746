"""Console page for feed sources: add, pause, resume, delete, poll now, and each poll's outcome.

The same functions as /api/v1/feeds (server.api.feeds, server.feeds) do the work.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.admin import forms
from server.admin.core import admin_required, bp, safe_next
from server.api import feeds as feed_api
from server.errors import APIError
from server.models import (
    FEED_NAMING,
    LANGUAGES,
    Campaign,
    FeedEntry,
    FeedSource,
    Snippet,
    Team,
    db,
)
from server.schemas import validate


@bp.get("/feeds")
@admin_required
def feeds():
    sources = list(FeedSource.select().order_by(FeedSource.id.desc()))
    return render_template(
        "admin/feeds.html",
        sources=[feed_api.feed_json(s) for s in sources],
        teams=list(Team.select().order_by(Team.name)),
        campaigns=list(Campaign.select().order_by(Campaign.name)),
        languages=LANGUAGES,
        namings=FEED_NAMING,
    )


@bp.get("/feeds/<int:source_id>")
@admin_required
def feed_detail(source_id: int):
    source = feed_api.get_source(source_id)
    rows = (
        FeedEntry.select(FeedEntry, Snippet)
        .join(Snippet)
        .where(FeedEntry.source == source.id)
        .order_by(FeedEntry.id.desc())
        .limit(50)
    )
    labels = {"linkedin": "LinkedIn", "x": "X"}
    entries = [
        (
            e,
            [
                f"{labels[n]}: {f['message']}"
                for n in ("linkedin", "x")
                for f in (e.findings or {}).get(n, [])
            ],
        )
        for e in rows
    ]
    return render_template(
        "admin/feed_detail.html", feed=feed_api.feed_json(source), entries=entries
    )


@bp.post("/feeds")
@admin_required
def feed_create():
    body = {
        "name": forms.text("name"),
        "url": forms.text("url"),
        "team_ids": forms.int_list("team_ids"),
        "campaign_id": forms.optional_int("campaign_id"),
        "language": forms.text("language") or "en",
        "third_party": request.form.get("third_party") == "on",
        "naming": forms.text("naming") or "title",
    }
    try:
        validate("feeds/feed-create", body)
        source = feed_api.create_source(body, g.user)
    except APIError as err:
        details = err.details if isinstance(err.details, list) else []
        messages = "; ".join(f"{d['path'].lstrip('/')}: {d['message']}" for d in details)
        flash(f"{_('The feed was not added.')} {messages}".strip(), "error")
        return redirect(url_for("admin.feeds"))
    flash(_("Feed %(name)s added. Use “Poll now” to fetch it.", name=source.name), "ok")
    return redirect(url_for("admin.feeds"))


@bp.post("/feeds/<int:source_id>/<any(pause, resume, poll, delete):action>")
@admin_required
def feed_action(source_id: int, action: str):
    source = feed_api.get_source(source_id)
    if action == "pause":
        feed_api.set_status(source, "paused", g.user)
        flash(_("%(name)s is paused.", name=source.name), "ok")
    elif action == "resume":
        feed_api.set_status(source, "active", g.user)
        flash(_("%(name)s is active again.", name=source.name), "ok")
    elif action == "delete":
        with db.atomic():
            before = feed_api.feed_json(source)
            source.delete_instance()
            forms.record("feed.delete", "feed", source_id, before)
        flash(_("%(name)s is deleted; the drafts it made stay.", name=source.name), "ok")
        return redirect(url_for("admin.feeds"))
    else:
        poll = feed_api.poll_now(source).poll
        if poll.error:
            flash(
                _("%(name)s: the poll failed: %(error)s", name=source.name, error=poll.error),
                "error",
            )
        elif poll.http_status == 304:
            flash(
                _("%(name)s: not modified since the last poll; nothing new.", name=source.name),
                "ok",
            )
        else:
            flash(
                _(
                    "%(name)s: %(new)s new draft(s) from %(seen)s entries.",
                    name=source.name,
                    new=poll.items_new,
                    seen=poll.items_seen,
                ),
                "ok",
            )
    back = request.form.get("next")
    return redirect(safe_next(back) if back else url_for("admin.feeds"))
