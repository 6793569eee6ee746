"""Team chat webhooks: admins set a team's Slack or Microsoft Teams webhook URL and send a test message."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from server import chat
from server.access import access
from server.errors import APIError, not_found
from server.models import Team
from server.schemas import accepts, returns

bp = Blueprint("team_chat", __name__, url_prefix="/api/v1/teams/<int:team_id>/chat")
SERVICE = "<any(slack, teams):service>"


def _team(team_id: int) -> Team:
    team = Team.get_or_none(Team.id == team_id)
    if team is None:
        raise not_found("Team")
    return team


@bp.get("")
@access("admin")
@returns("chat/webhook-list")
def show(team_id: int):
    """Both services, each configured or not; saved URLs only masked (they are credentials)."""
    return jsonify(chat.webhook_json(_team(team_id).id))


@bp.put(f"/{SERVICE}")
@access("admin")
@accepts("chat/webhook-set")
@returns("chat/webhook-list")
def put(team_id: int, service: str, body):
    """Set or replace the URL: https only, and it must not point into the private network."""
    team = _team(team_id)
    try:
        chat.save_webhook(g.user, team, service, body["url"])
    except chat.WebhookError as exc:
        raise APIError(
            "invalid_webhook", str(exc), 422, [{"path": "/url", "message": str(exc)}]
        ) from None
    return jsonify(chat.webhook_json(team.id))


@bp.delete(f"/{SERVICE}")
@access("admin")
def delete(team_id: int, service: str):
    """Messages already queued for this channel are cancelled when their turn comes."""
    if not chat.remove_webhook(g.user, _team(team_id), service):
        raise not_found("Webhook")
    return "", 204


delete.response_status = 204


@bp.post(f"/{SERVICE}/test")
@access("admin")
@returns("chat/test-queued", status=202)
def send_test(team_id: int, service: str):
    """Queue a test message; whether it arrived shows on the console's Queue page (failures with the answer)."""
    team = _team(team_id)
    if not chat.has_webhook(team.id, service):
        raise APIError(
            "no_webhook", f"Set the team's {chat.SERVICES[service]} webhook URL first.", 409
        )
    row_id = chat.queue_test(team, service)
    from server.jobs import nudge

    nudge()
    return jsonify({"outbox_id": row_id, "status": "pending"}), 202
