"""The public invite-accept page: the invitee sets a first password. Rules: `server.invitations`."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from server import invitations
from server.admin.core import csrf_token, public_page
from server.credentials import MIN_PASSWORD_LENGTH
from server.errors import APIError

invite_bp = Blueprint("invite", __name__)


@invite_bp.route("/invite/<token>", methods=["GET", "POST"])
@public_page
def accept(token: str):
    try:
        invitation = invitations.resolve(token)
    except APIError as err:
        return render_template(
            "admin/invite.html", problem=err.message, invitation=None
        ), err.status
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            error = "The two passwords differ."
        else:
            try:
                user = invitations.accept(token, password)
            except APIError as err:
                details = err.details if isinstance(err.details, list) else []
                error = (
                    " ".join(d.get("message", "") for d in details if isinstance(d, dict))
                    or err.message
                )
            else:
                return render_template("admin/invite_done.html", user=user)
    csrf_token()
    return (
        render_template(
            "admin/invite.html",
            invitation=invitation,
            error=error,
            problem=None,
            min_length=MIN_PASSWORD_LENGTH,
        ),
        422 if error else 200,
    )
