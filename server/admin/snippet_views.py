"""Snippets: filtered list, editor with per-network variants and live checks, approve, archive."""

from __future__ import annotations

from datetime import timedelta
from math import ceil

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from peewee import JOIN

from server import snippets as snippet_rules
from server.admin import forms
from server.admin.core import admin_required, allow_eval, bp
from server.admin.policy_embed import policy_for_page
from server.errors import APIError
from server.models import (
    NETWORKS,
    SNIPPET_STATUSES,
    Campaign,
    FeedEntry,
    FeedSource,
    Proposal,
    Snippet,
    Team,
    User,
    utcnow,
)
from server.settings import get_setting
from server.snippet_review import review_snippet

PER_PAGE = 25
EXPIRING_SOON_DAYS = 7


@bp.get("/snippets")
@admin_required
def snippets():
    status = request.args.get("status") or None
    if status not in (None, *SNIPPET_STATUSES):
        status = None
    campaign = forms.arg_int("campaign")
    team = forms.arg_int("team")
    expiring = request.args.get("expiring") == "1"
    q = (request.args.get("q") or "").strip() or None
    page = forms.arg_int("page", 1)
    items, total = snippet_rules.list_snippets(
        status=status,
        campaign=campaign,
        team=team,
        expiring_within_days=EXPIRING_SOON_DAYS if expiring else None,
        q=q,
        page=page,
        per_page=PER_PAGE,
    )
    return render_template(
        "admin/snippets.html",
        items=snippet_rules.snippets_json(items),
        total=total,
        page=page,
        pages=max(1, ceil(total / PER_PAGE)),
        filters={
            "status": status,
            "campaign": campaign,
            "team": team,
            "expiring": expiring,
            "q": q,
        },
        statuses=SNIPPET_STATUSES,
        campaigns=list(Campaign.select().order_by(Campaign.name)),
        teams=list(Team.select().order_by(Team.name)),
        names=_user_names(items),
        expiring_days=EXPIRING_SOON_DAYS,
    )


def _user_names(items: list[Snippet]) -> dict[int, str]:
    ids = {i for s in items for i in (s.approved_by_id, s.archived_by_id, s.created_by_id) if i}
    if not ids:
        return {}
    return {u.id: u.name for u in User.select(User.id, User.name).where(User.id.in_(ids))}


def _form_payload() -> dict:
    """The editor's fields in the shape `server.snippets` validates (same as the JSON API)."""
    variants = {
        n: [t.strip() for t in request.form.getlist(f"variant_{n}") if t.strip()] for n in NETWORKS
    }
    payload = {
        "title": forms.text("title"),
        "variants": {n: texts for n, texts in variants.items() if texts} or {},
        "link_url": forms.text("link_url") or None,
        "hashtags": forms.split_tags(forms.text("hashtags")),
        "campaign_id": forms.optional_int("campaign_id"),
        "team_ids": forms.int_list("team_ids"),
        # Must-see is stored as `featured`: pinned first in the panel, labelled, announced.
        "featured": request.form.get("priority") == "must_see",
    }
    for key in ("starts_at", "expires_at"):
        value = forms.local_to_iso(forms.text(key))
        if value is not None:
            payload[key] = value
    return payload


def _editor(snippet: Snippet | None, form: dict | None = None, errors=None, status: int = 200):
    allow_eval()  # Brython runs the guidelines engine in the page
    if form is None:
        if snippet is not None:
            data = snippet_rules.snippet_json(snippet)
            form = {
                "title": data["title"],
                "variants": data["variants"],
                "link_url": data["link_url"] or "",
                "hashtags": " ".join("#" + t for t in data["hashtags"]),
                "campaign_id": data["campaign"]["id"] if data["campaign"] else None,
                "team_ids": [t["id"] for t in data["teams"]],
                "must_see": data["featured"],
                "starts_at": forms.iso_to_local(snippet.starts_at),
                "expires_at": forms.iso_to_local(snippet.expires_at),
            }
        else:
            now = utcnow()
            form = {
                "title": "",
                "variants": {n: [] for n in NETWORKS},
                "link_url": "",
                "hashtags": "",
                "campaign_id": None,
                "team_ids": [],
                "must_see": False,
                "starts_at": forms.iso_to_local(now),
                "expires_at": forms.iso_to_local(
                    now + timedelta(days=int(get_setting("default_expiry_days")))
                ),
            }
    names = _user_names([snippet]) if snippet is not None else {}
    four_eyes = snippet_rules.four_eyes()
    own_draft = (
        four_eyes
        and snippet is not None
        and snippet.status == "draft"
        and (snippet_rules.last_author(snippet.id) or snippet.created_by_id) == forms.actor().id
    )
    review = review_snippet(snippet) if snippet is not None and snippet.status == "draft" else None
    return (
        render_template(
            "admin/snippet_edit.html",
            snippet=snippet,
            form=form,
            errors=forms.errors_by_path(errors),
            error_list=errors or [],
            campaigns=list(Campaign.select().order_by(Campaign.name)),
            teams=list(Team.select().order_by(Team.name)),
            names=names,
            window_reason=(
                snippet_rules.campaign_window_reason(snippet.campaign) if snippet else None
            ),
            feed_entry=(
                FeedEntry.select(FeedEntry, FeedSource)
                .join(FeedSource, JOIN.LEFT_OUTER)
                .where(FeedEntry.snippet == snippet.id)
                .first()
                if snippet
                else None
            ),
            proposal=(
                Proposal.select(Proposal, User)
                .join(User, on=(Proposal.user == User.id))
                .where(Proposal.snippet == snippet.id)
                .first()
                if snippet
                else None
            ),
            networks=NETWORKS,
            policy=policy_for_page(),
            four_eyes=four_eyes,
            own_draft=own_draft,
            review=review,
        ),
        status,
    )


def _form_back(payload: dict) -> dict:
    """Re-show what the admin typed after a validation error, not the stored values."""
    return {
        "title": request.form.get("title", ""),
        "variants": {
            n: [t for t in request.form.getlist(f"variant_{n}") if t.strip()] for n in NETWORKS
        },
        "link_url": request.form.get("link_url", ""),
        "hashtags": request.form.get("hashtags", ""),
        "campaign_id": payload.get("campaign_id"),
        "team_ids": payload.get("team_ids", []),
        "must_see": payload.get("featured", False),
        "starts_at": request.form.get("starts_at", ""),
        "expires_at": request.form.get("expires_at", ""),
    }


@bp.route("/snippets/new", methods=["GET", "POST"])
@admin_required
def snippet_new():
    if request.method == "GET":
        return _editor(None)
    payload = _form_payload()
    try:
        # create_snippet records the audit entry itself, in the same transaction.
        snippet = snippet_rules.create_snippet(forms.actor(), payload)
    except APIError as err:
        return _editor(
            None, _form_back(payload), err.details or [{"path": "", "message": err.message}], 422
        )
    flash(_("Snippet saved as a draft."), "ok")
    return redirect(url_for("admin.snippet_edit", snippet_id=snippet.id))


@bp.route("/snippets/<int:snippet_id>", methods=["GET", "POST"])
@admin_required
def snippet_edit(snippet_id: int):
    snippet = snippet_rules.get_snippet(snippet_id)
    if request.method == "GET":
        return _editor(snippet)
    payload = _form_payload()
    try:
        snippet_rules.update_snippet(forms.actor(), snippet, payload)
    except APIError as err:
        return _editor(
            snippet,
            _form_back(payload),
            err.details or [{"path": "", "message": err.message}],
            422 if err.status == 422 else err.status,
        )
    saved = snippet_rules.get_snippet(snippet_id)
    if snippet.status == "approved" and saved.status == "draft":
        flash(_("Snippet saved and sent back to review: another admin has to approve it."), "ok")
    else:
        flash(_("Snippet saved."), "ok")
    return redirect(url_for("admin.snippet_edit", snippet_id=snippet_id))


@bp.post("/snippets/<int:snippet_id>/<any(approve, archive, restore):action>")
@admin_required
def snippet_transition(snippet_id: int, action: str):
    snippet = snippet_rules.get_snippet(snippet_id)
    if action == "approve" and request.form.get("confirm_errors") != "1":
        errors = review_snippet(snippet).errors
        if errors:  # approving a post that breaks the guidelines must be a decision, not a slip
            flash(
                ngettext(
                    "Not approved: this snippet has %(num)d guideline error. Review it below, "
                    "then confirm to approve it anyway.",
                    "Not approved: this snippet has %(num)d guideline errors. Review them below, "
                    "then confirm to approve it anyway.",
                    errors,
                ),
                "error",
            )
            return redirect(url_for("admin.snippet_edit", snippet_id=snippet_id))
    try:
        snippet_rules.transition(forms.actor(), snippet, action)
    except APIError as err:
        flash(err.message, "error")
    else:
        flash(
            {
                "approve": _(
                    "Snippet approved: employees see it the next time they open a composer."
                ),
                "archive": _("Snippet archived."),
                "restore": _(
                    "Snippet restored as a draft: approve it to show it to employees again."
                ),
            }[action],
            "ok",
        )
    return redirect(url_for("admin.snippet_edit", snippet_id=snippet_id))
