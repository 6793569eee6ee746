"""Admin CRUD for guideline rules. Saving runs the rule's examples; a failing one is answered 422."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from server import policy_store
from server.access import access
from server.schemas import accepts, returns

bp = Blueprint("guidelines", __name__, url_prefix="/api/v1/guidelines")


@bp.get("")
@access("admin")
@returns("guidelines/rule-list")
def index():
    return jsonify(items=policy_store.list_rules())


@bp.post("")
@access("admin")
@accepts("guidelines/rule")
@returns("guidelines/rule", 201)
def create(body):
    return jsonify(policy_store.save_rule(body, g.user)), 201


@bp.get("/<rule_id>")
@access("admin")
@returns("guidelines/rule")
def show(rule_id: str):
    return jsonify(policy_store.get_rule(rule_id))


@bp.put("/<rule_id>")
@access("admin")
@accepts("guidelines/rule")
@returns("guidelines/rule")
def replace(rule_id: str, body):
    return jsonify(policy_store.save_rule(body, g.user, rule_id=rule_id))


@bp.delete("/<rule_id>")
@access("admin")
def delete(rule_id: str):
    policy_store.delete_rule(rule_id, g.user)
    return "", 204
