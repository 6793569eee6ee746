"""Employees propose links (POST, and their own list); admins review the queue. Rules in server.proposals."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from server import proposals
from server.access import access
from server.models import PROPOSAL_STATUSES
from server.pagination import PAGINATION_PARAMETERS, paginate, query_error
from server.schemas import accepts, returns

bp = Blueprint("proposals", __name__, url_prefix="/api/v1/proposals")


@bp.post("")
@access("employee")
@accepts("proposals/proposal-create")
@returns("proposals/proposal", status=201)
def create(body):
    """The answer's `duplicate` says when the library has this link already."""
    proposal = proposals.propose(g.user, body)
    return jsonify(proposals.proposal_json(proposal)), 201


create.throttled = True  # 429 with Retry-After past PROPOSALS_PER_HOUR


@bp.get("/mine")
@access("employee")
@returns("proposals/proposal-list")
def mine():
    """The caller's proposals, newest first, with status and decline reason."""
    return jsonify(paginate(proposals.mine(g.user), proposals.proposal_json))


mine.query_parameters = dict(PAGINATION_PARAMETERS)


@bp.get("")
@access("admin")
@returns("proposals/proposal-list")
def index():
    """The review queue: pending ones oldest first; other statuses newest first."""
    status = request.args.get("status") or None
    if status is not None and status not in PROPOSAL_STATUSES:
        raise query_error(
            [{"path": "?status", "message": f"status must be one of {list(PROPOSAL_STATUSES)}"}]
        )
    return jsonify(
        paginate(proposals.queue(status), lambda p: proposals.proposal_json(p, for_admin=True))
    )


index.query_parameters = {"status": {"enum": list(PROPOSAL_STATUSES)}, **PAGINATION_PARAMETERS}


@bp.post("/<int:proposal_id>/accept")
@access("admin")
@returns("proposals/proposal")
def accept(proposal_id: int):
    """Becomes a draft snippet (`snippet_id`) with source `employee`; the proposer is mailed."""
    p = proposals.accept(g.user, proposals.get_proposal(proposal_id))
    return jsonify(proposals.proposal_json(p, for_admin=True))


@bp.post("/<int:proposal_id>/decline")
@access("admin")
@accepts("proposals/proposal-decline")
@returns("proposals/proposal")
def decline(proposal_id: int, body):
    """The reason is shown to the employee and mailed to them."""
    p = proposals.decline(g.user, proposals.get_proposal(proposal_id), body["reason"])
    return jsonify(proposals.proposal_json(p, for_admin=True))
