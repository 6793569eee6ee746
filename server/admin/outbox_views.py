"""The console's view of background work: the outbox by kind and status, failures with Retry, digest preview."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import outbox
from server.admin import forms
from server.admin.core import admin_required, bp
from server.i18n import language as in_language
from server.mail_messages import NotWanted, digest_mail
from server.mailer import smtp_settings
from server.models import Outbox, User
from server.settings import get_setting

KINDS = (
    "invitation",
    "reminder",
    "welcome",
    "digest",
    "proposal-accepted",
    "proposal-declined",
    "chat",
    "recognition",
)


@bp.get("/queue")
@admin_required
def queue():
    counts = outbox.counts()
    kinds = list(KINDS) + sorted(k for k in counts if k not in KINDS)
    failed = list(
        Outbox.select().where(Outbox.status == "failed").order_by(Outbox.id.desc()).limit(50)
    )
    waiting = list(
        Outbox.select()
        .where(Outbox.status.in_(["pending", "sending", "committing"]))
        .order_by(Outbox.next_attempt_at)
        .limit(20)
    )
    return render_template(
        "admin/queue.html",
        counts=counts,
        kinds=kinds,
        statuses=outbox.STATUSES,
        failed=failed,
        waiting=waiting,
        smtp=smtp_settings(),
        note_text=outbox.note_text,
    )


@bp.post("/queue/<int:row_id>/retry")
@admin_required
def queue_retry(row_id: int):
    if outbox.retry_now(row_id):
        forms.record("outbox.retry", "outbox", row_id, None, {"status": "pending"})
        from server.jobs import nudge

        nudge()
        flash(_("Queued again: the worker sends it shortly."), "ok")
    else:
        flash(_("That message is not in a failed state any more."), "error")
    return redirect(url_for("admin.queue"))


def _preview_user() -> User | None:
    raw = (request.args.get("user") or "").strip()
    if not raw:
        return None
    query = User.id == int(raw) if raw.isdigit() else User.email == raw.lower()
    user = User.get_or_none(query)
    if user is None:
        abort(404, description=f"No one with the id or email {raw!r}.")
    return user


def _preview_mail(user: User):
    from server.digest import preview_payload

    row = Outbox(
        key="preview",
        kind="digest",
        recipient=user.email,
        user=user.id,
        payload=preview_payload(user),
    )
    # The employee's digest in the employee's language, whatever the console's is.
    with in_language(user.language):
        return digest_mail(row, user, {})


@bp.get("/digest")
@admin_required
def digest_preview():
    user = _preview_user()
    mail = _preview_mail(user) if user is not None else None
    employees = list(
        User.select(User.id, User.name, User.email)
        .where(User.status == "active")
        .order_by(User.name)
        .limit(500)
    )
    return render_template(
        "admin/digest_preview.html",
        user=user,
        mail=mail,
        employees=employees,
        schedule={
            "weekday": get_setting("digest_weekday"),
            "hour": get_setting("digest_hour"),
            "timezone": get_setting("timezone"),
        },
        opted_out=user is not None and not user.digest_opt_in,
    )


@bp.get("/digest/<int:user_id>/email.html")
@admin_required
def digest_preview_html(user_id: int):
    """The email's HTML part alone, framed by the preview page: its inline styles get their own CSP."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    try:
        mail = _preview_mail(user)
    except NotWanted as why:
        abort(409, description=str(why))
    resp = make_response(mail.html)
    resp.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'"
    )
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    return resp
