"""Console page for a team's chat webhooks: set (shown masked), remove, send a test message.

The same functions as /api/v1/teams/<id>/chat (server.api.chat, server.chat) do the work.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from server import chat
from server.admin import forms
from server.admin.core import admin_required, bp
from server.models import Outbox, Team
from server.outbox import note_text

SERVICE = "<any(slack, teams):service>"
PLACEHOLDERS = {
    "slack": "https://hooks.slack.com/services/T…/B…/…",
    "teams": "https://….logic.azure.com/workflows/…",
}


def _team(team_id: int) -> Team:
    team = Team.get_or_none(Team.id == team_id)
    if team is None:
        abort(404, description=_("No such team."))
    return team


def _recent(team_id: int) -> list[Outbox]:
    """This team's last chat messages of either service, newest first (their status shows delivery)."""
    return list(
        Outbox.select()
        .where(
            Outbox.kind == chat.KIND,
            Outbox.key.contains(f":slack:{team_id}:") | Outbox.key.contains(f":teams:{team_id}:"),
        )
        .order_by(Outbox.id.desc())
        .limit(10)
    )


def _page(team: Team, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None):
    status = 422 if errors else 200
    return (
        render_template(
            "admin/team_chat.html",
            team=team,
            hooks=chat.webhook_json(team.id)["webhooks"],
            placeholders=PLACEHOLDERS,
            errors=errors or {},
            typed=typed or {},
            recent=_recent(team.id),
            note_text=note_text,
        ),
        status,
    )


@bp.get("/teams/<int:team_id>/chat")
@admin_required
def team_chat(team_id: int):
    return _page(_team(team_id))


@bp.post(f"/teams/<int:team_id>/chat/{SERVICE}")
@admin_required
def team_chat_save(team_id: int, service: str):
    team = _team(team_id)
    url = forms.text("url")
    try:
        chat.save_webhook(forms.actor(), team, service, url)
    except chat.WebhookError as exc:
        return _page(team, {service: str(exc)}, {service: url})
    flash(
        _(
            "%(service)s webhook saved. Send a test message to check it.",
            service=chat.SERVICES[service],
        ),
        "ok",
    )
    return redirect(url_for("admin.team_chat", team_id=team.id))


@bp.post(f"/teams/<int:team_id>/chat/{SERVICE}/remove")
@admin_required
def team_chat_remove(team_id: int, service: str):
    team = _team(team_id)
    if chat.remove_webhook(forms.actor(), team, service):
        flash(
            _(
                "%(service)s webhook removed: nothing more is posted there.",
                service=chat.SERVICES[service],
            ),
            "ok",
        )
    return redirect(url_for("admin.team_chat", team_id=team.id))


@bp.post(f"/teams/<int:team_id>/chat/{SERVICE}/test")
@admin_required
def team_chat_test(team_id: int, service: str):
    team = _team(team_id)
    if not chat.has_webhook(team.id, service):
        flash(_("Set the %(service)s webhook URL first.", service=chat.SERVICES[service]), "error")
        return redirect(url_for("admin.team_chat", team_id=team.id))
    chat.queue_test(team, service)
    from server.jobs import nudge

    nudge()
    flash(
        _(
            "Test message queued for %(service)s: it arrives within a minute; "
            "if it cannot be delivered it shows below and on the Queue page.",
            service=chat.SERVICES[service],
        ),
        "ok",
    )
    return redirect(url_for("admin.team_chat", team_id=team.id))
