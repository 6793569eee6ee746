"""People: users and teams, invitations (form or CSV, in chunks with a per-row report), reminders,
disabling accounts. Invitation rules live in `server.invitations`; this module only drives them."""

from __future__ import annotations

import csv
import io
from math import ceil
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN, fn

from server import invitations, search
from server.admin import forms
from server.admin.core import admin_required, bp
from server.credentials import email_problem, normalized_email
from server.errors import APIError
from server.models import Invitation, Membership, Team, User, db
from server.names import name_key
from server.people import (
    active_admin_count,
    admin_user_json,
    sign_out_everywhere,
    teams_by_ids,
    teams_by_names,
)
from server.schemas import json_body

PER_PAGE = 50
CSV_CHUNK_MAX = 200  # rows per fetch() from the page; the no-JS path posts the whole file
CSV_FILE_MAX_ROWS = 20000


@bp.get("/people")
@admin_required
def people():
    status = request.args.get("status") or None
    q = (request.args.get("q") or "").strip()
    page = forms.arg_int("page", 1)
    query = User.select()
    if status in ("invited", "active", "disabled"):
        query = query.where(User.status == status)
    if q:
        query = query.where(search.contains(User.email, q) | search.contains(User.name, q))
    total = query.count()
    users = list(query.order_by(User.name, User.id).paginate(page, PER_PAGE))
    team_rows = (
        Team.select(Team, fn.COUNT(Membership.user).alias("members"))
        .join(Membership, join_type=JOIN.LEFT_OUTER)
        .group_by(Team)
        .order_by(Team.name)
    )
    pending = (
        Invitation.select(Invitation, User)
        .join(User, on=Invitation.user)
        .where(Invitation.accepted_at.is_null(), User.status == "invited")
        .order_by(Invitation.last_sent_at)
    )
    return render_template(
        "admin/people.html",
        users=[admin_user_json(u) for u in users],
        total=total,
        page=page,
        pages=max(1, ceil(total / PER_PAGE)),
        filters={"status": status, "q": q},
        teams=list(team_rows),
        pending=[invitations.invitation_json(i) for i in pending],
        invite_link=request.args.get("link"),
    )


@bp.post("/people/invite")
@admin_required
def invite():
    email, name = forms.text("email"), forms.text("name")
    role = forms.text("role") or "employee"
    if not email or not name:
        flash(_("Give an email address and a name to invite someone."), "error")
        return redirect(url_for("admin.people"))
    problem = email_problem(email)
    if problem:
        flash(
            _(
                "%(email)s is not a valid email address: %(problem)s",
                email=repr(email),
                problem=problem,
            ),
            "error",
        )
        return redirect(url_for("admin.people"))
    try:
        with db.atomic():
            invitation, token = invitations.invite(
                email,
                name,
                role=role,
                teams=teams_by_ids(forms.int_list("teams")),
                invited_by=forms.actor(),
            )
            forms.record(
                "user.invite", "user", invitation.user_id, None, admin_user_json(invitation.user)
            )
    except APIError as err:
        flash(err.message, "error")
        return redirect(url_for("admin.people"))
    flash(
        _(
            "Invited %(email)s: the invitation email is queued. You can also send them this link:",
            email=invitation.user.email,
        ),
        "ok",
    )
    return redirect(url_for("admin.people", link=invitations.invite_url(token)))


def _parse_csv(text: str) -> list[dict[str, str]]:
    """Rows as dicts; the header row names the columns (email,name,role,teams) in any order."""
    if "\x00" in text:
        raise APIError(
            "invalid_csv", "The file contains NUL characters: save it as a plain CSV file.", 422
        )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or "email" not in [f.strip().lower() for f in reader.fieldnames]:
        raise APIError(
            "invalid_csv", "The file needs a header row with at least an email column.", 422
        )
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k})
        if len(rows) > CSV_FILE_MAX_ROWS:
            raise APIError("too_many_rows", f"At most {CSV_FILE_MAX_ROWS} rows per file.", 413)
    return rows


def import_rows(rows: list[dict[str, Any]], first_line: int) -> list[dict[str, Any]]:
    """Invite each row; never stop at a bad one. Returns one result per row: created or skipped."""
    results = []
    for offset, row in enumerate(rows):
        line = first_line + offset
        raw_email = str(row.get("email") or "").strip()
        problem = email_problem(raw_email) if raw_email else "no email address"
        email = raw_email.lower() if problem else normalized_email(raw_email)
        name = str(row.get("name") or "").strip() or email.split("@")[0]
        role = str(row.get("role") or "employee").strip().lower() or "employee"
        team_names = [
            t for t in str(row.get("teams") or "").replace("|", ";").split(";") if t.strip()
        ]
        result = {"line": line, "email": email}
        if problem:
            results.append(
                {**result, "outcome": "skipped", "reason": f"not a valid email address: {problem}"}
            )
            continue
        if role not in ("admin", "employee"):
            results.append({**result, "outcome": "skipped", "reason": f"unknown role {role!r}"})
            continue
        existing = User.get_or_none(User.email == email)
        if existing is not None:
            reason = {
                "active": "already has an account",
                "invited": "already invited (send a reminder instead)",
                "disabled": "belongs to a disabled account",
            }.get(existing.status, "already exists")
            results.append({**result, "outcome": "skipped", "reason": reason})
            continue
        try:
            with db.atomic():
                invitation, token = invitations.invite(
                    email,
                    name,
                    role=role,
                    teams=teams_by_names(team_names),
                    invited_by=forms.actor(),
                )
                forms.record(
                    "user.invite",
                    "user",
                    invitation.user_id,
                    None,
                    admin_user_json(invitation.user),
                )
        except APIError as err:
            results.append({**result, "outcome": "skipped", "reason": err.message})
            continue
        results.append(
            {**result, "outcome": "created", "invite_url": invitations.invite_url(token)}
        )
    return results


@bp.post("/people/import")
@admin_required
def import_csv():
    """Two ways in: JSON chunks from the page's fetch() (progress bar), or the whole file (no JS)."""
    if request.is_json:
        body = json_body()  # depth and text checked like every API body
        rows = body.get("rows")
        if (
            not isinstance(rows, list)
            or len(rows) > CSV_CHUNK_MAX
            or not all(isinstance(r, dict) for r in rows)
        ):
            raise APIError(
                "invalid_chunk", f"Send rows as a list of at most {CSV_CHUNK_MAX} objects.", 422
            )
        first_line = body.get("first_line", 2)
        if type(first_line) is not int or not 1 <= first_line <= CSV_FILE_MAX_ROWS + 1:
            raise APIError(
                "invalid_chunk",
                f"first_line must be a whole number from 1 to {CSV_FILE_MAX_ROWS + 1}.",
                422,
                [{"path": "/first_line", "message": f"got {first_line!r}"}],
            )
        return jsonify(results=import_rows(rows, first_line))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file to upload."), "error")
        return redirect(url_for("admin.people"))
    try:
        rows = _parse_csv(upload.read().decode("utf-8-sig", errors="replace"))
    except APIError as err:
        flash(err.message, "error")
        return redirect(url_for("admin.people"))
    results = import_rows(rows, 2)
    return render_template("admin/import_report.html", results=results)


@bp.post("/invitations/<int:invitation_id>/remind")
@admin_required
def remind(invitation_id: int):
    invitation = Invitation.get_or_none(Invitation.id == invitation_id)
    if invitation is None:
        flash(_("That invitation no longer exists."), "error")
        return redirect(url_for("admin.people"))
    try:
        token = invitations.remind(invitation)
    except APIError as err:
        flash(err.message, "error")
        return redirect(url_for("admin.people"))
    forms.record(
        "invitation.remind", "invitation", invitation.id, None, {"email": invitation.user.email}
    )
    flash(
        _("New link for %(email)s (the old one stopped working):", email=invitation.user.email),
        "ok",
    )
    return redirect(url_for("admin.people", link=invitations.invite_url(token)))


@bp.post("/invitations/remind-all")
@admin_required
def remind_all():
    """Everyone who has not joined gets a fresh link; the report lists them for sending."""
    pending = list(
        Invitation.select(Invitation, User)
        .join(User, on=Invitation.user)
        .where(Invitation.accepted_at.is_null(), User.status == "invited")
    )
    results = []
    for invitation in pending:
        try:
            token = invitations.remind(invitation)
        except APIError as err:
            results.append(
                {"email": invitation.user.email, "outcome": "skipped", "reason": err.message}
            )
            continue
        forms.record(
            "invitation.remind", "invitation", invitation.id, None, {"email": invitation.user.email}
        )
        results.append(
            {
                "email": invitation.user.email,
                "outcome": "reminded",
                "invite_url": invitations.invite_url(token),
            }
        )
    return render_template("admin/import_report.html", results=results, reminders=True)


@bp.post("/people/<int:user_id>/<any(disable, enable):action>")
@admin_required
def set_status(user_id: int, action: str):
    """Disabling signs the person out everywhere at once; the last active admin stays enabled."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        flash(_("No such person."), "error")
        return redirect(url_for("admin.people"))
    before = admin_user_json(user)
    if action == "disable":
        if user.id == forms.actor().id:
            flash(_("You cannot disable your own account."), "error")
            return redirect(url_for("admin.people"))
        if user.role == "admin" and user.status == "active" and active_admin_count() <= 1:
            flash(_("This is the last active admin; promote someone else first."), "error")
            return redirect(url_for("admin.people"))
        with db.atomic():
            User.update(status="disabled").where(User.id == user.id).execute()
            sign_out_everywhere(user)
            forms.record(
                "user.disable", "user", user.id, before, admin_user_json(User.get_by_id(user.id))
            )
        flash(_("%(email)s is disabled and signed out everywhere.", email=user.email), "ok")
    else:
        # Only accounts that had joined come back as active; others go back to waiting for their invite.
        new_status = "active" if user.password_hash else "invited"
        with db.atomic():
            User.update(status=new_status).where(User.id == user.id).execute()
            forms.record(
                "user.enable", "user", user.id, before, admin_user_json(User.get_by_id(user.id))
            )
        flash(f"{user.email} is {new_status} again.", "ok")
    return redirect(url_for("admin.people"))


@bp.post("/teams")
@admin_required
def team_create():
    name = forms.text("name")
    if not name:
        flash(_("Give the team a name."), "error")
    elif Team.get_or_none(Team.name_key == name_key(name)):
        flash(_("A team called %(name)s already exists.", name=name), "error")
    else:
        with db.atomic():
            team = Team.create(name=name)
            forms.record("team.create", "team", team.id, None, {"id": team.id, "name": name})
        flash(_("Team %(name)s created.", name=name), "ok")
    return redirect(url_for("admin.people") + "#teams")
