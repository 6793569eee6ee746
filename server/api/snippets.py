"""Admin CRUD for snippets and their status transitions. The rules live in server.snippets."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from server import snippets
from server.access import access
from server.schemas import accepts, returns

bp = Blueprint("snippets", __name__, url_prefix="/api/v1/snippets")


@bp.get("")
@access("admin")
@returns("snippets/list-response")
def index():
    args = request.args
    page = snippets.query_int(args, "page", 1, 1, 100_000)
    per_page = snippets.query_int(args, "per_page", 20, 1, 100)
    items, total = snippets.list_snippets(
        status=args.get("status") or None,
        campaign=snippets.query_int(args, "campaign", None, 1, 2**31),
        team=snippets.query_int(args, "team", None, 1, 2**31),
        expiring_within_days=snippets.query_int(args, "expiring_within_days", None, 0, 3650),
        q=(args.get("q") or "").strip() or None,
        page=page,
        per_page=per_page,
    )
    return jsonify(items=snippets.snippets_json(items), page=page, per_page=per_page, total=total)


@bp.post("")
@access("admin")
@accepts("snippets/create-request")
@returns("snippets/snippet", status=201)
def create(body):
    snippet = snippets.create_snippet(g.user, body)
    resp = jsonify(snippets.snippet_json(snippet))
    resp.status_code = 201
    resp.headers["Location"] = f"/api/v1/snippets/{snippet.id}"
    return resp


@bp.get("/<int:snippet_id>")
@access("admin")
@returns("snippets/snippet")
def show(snippet_id: int):
    return jsonify(snippets.snippet_json(snippets.get_snippet(snippet_id)))


@bp.patch("/<int:snippet_id>")
@access("admin")
@accepts("snippets/update-request")
@returns("snippets/snippet")
def update(snippet_id: int, body):
    snippet = snippets.update_snippet(g.user, snippets.get_snippet(snippet_id), body)
    return jsonify(snippets.snippet_json(snippet))


@bp.delete("/<int:snippet_id>")
@access("admin")
def delete(snippet_id: int):
    snippets.delete_snippet(g.user, snippets.get_snippet(snippet_id))
    return "", 204


@bp.post("/<int:snippet_id>/approve")
@access("admin")
@returns("snippets/snippet")
def approve(snippet_id: int):
    snippet = snippets.transition(g.user, snippets.get_snippet(snippet_id), "approve")
    return jsonify(snippets.snippet_json(snippet))


@bp.post("/<int:snippet_id>/archive")
@access("admin")
@returns("snippets/snippet")
def archive(snippet_id: int):
    snippet = snippets.transition(g.user, snippets.get_snippet(snippet_id), "archive")
    return jsonify(snippets.snippet_json(snippet))


@bp.post("/<int:snippet_id>/restore")
@access("admin")
@returns("snippets/snippet")
def restore(snippet_id: int):
    """An archived snippet comes back as a draft, to be approved again."""
    snippet = snippets.transition(g.user, snippets.get_snippet(snippet_id), "restore")
    return jsonify(snippets.snippet_json(snippet))
