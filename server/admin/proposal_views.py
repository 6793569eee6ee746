"""Console queue of links employees proposed: accept (a draft snippet credited to them) or decline
with a reason they see. The same functions as /api/v1/proposals (server.proposals) do the work."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import proposals
from server.admin.core import admin_required, bp
from server.errors import APIError
from server.models import PROPOSAL_STATUSES, Proposal

PAGE_SIZE = 50


@bp.get("/proposals")
@admin_required
def proposal_queue():
    status = request.args.get("status", "pending")
    if status not in PROPOSAL_STATUSES:
        status = "pending"
    counts = {s: Proposal.select().where(Proposal.status == s).count() for s in PROPOSAL_STATUSES}
    rows = proposals.queue(status).limit(PAGE_SIZE)
    return render_template(
        "admin/proposals.html",
        status=status,
        counts=counts,
        items=[proposals.proposal_json(p, for_admin=True) for p in rows],
    )


@bp.post("/proposals/<int:proposal_id>/<any(accept, decline):action>")
@admin_required
def proposal_decide(proposal_id: int, action: str):
    proposal = proposals.get_proposal(proposal_id)
    try:
        if action == "accept":
            done = proposals.accept(g.user, proposal)
            flash(
                _(
                    "Accepted: “%(title)s” is a draft snippet now; %(name)s will get an email.",
                    title=proposals.draft_title(done),
                    name=done.user.name,
                ),
                "ok",
            )
            return redirect(url_for("admin.snippet_edit", snippet_id=done.snippet_id))
        proposals.decline(g.user, proposal, request.form.get("reason", ""))
        flash(
            _("Declined; %(name)s sees your reason and gets an email.", name=proposal.user.name),
            "ok",
        )
    except APIError as err:
        flash(_("Nothing changed: %(reason)s", reason=err.message), "error")
    return redirect(url_for("admin.proposal_queue"))
