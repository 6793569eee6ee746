"""One-click unsubscribe (RFC 8058): GET shows what the link stops and a button; POST stops it.

No sign-in: the signed token is the credential. Mail clients POST `List-Unsubscribe=One-Click` to the same
address without a session, so this path is outside the console's CSRF check; the POST only ever turns one kind
of mail off for one person, which is harmless to replay.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from server import unsubscribe
from server.admin.core import public_page

unsubscribe_bp = Blueprint("unsubscribe", __name__)


@unsubscribe_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public_page
def page(token: str):
    found = unsubscribe.resolve(token)
    if found is None:
        return render_template("admin/unsubscribe.html", problem=True, done=False), 404
    user, topic = found
    what = unsubscribe.TOPICS[topic]
    if request.method == "POST":
        unsubscribe.apply(user, topic)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204  # a mail client's one-click request: no page to show
        return render_template(
            "admin/unsubscribe.html", problem=False, done=True, what=what, email=user.email
        )
    return render_template(
        "admin/unsubscribe.html", problem=False, done=False, what=what, email=user.email
    )
