"""Guideline rules in the database, and the compiled policy the extension caches.

The compiled policy is rebuilt when a rule is saved (not per request), so `GET /policy` is one row read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guidelines import PolicyError, compile_policy
from server.db import db
from server.errors import APIError
from server.models import GuidelineRule, User, utcnow
from server.settings import get_setting

STARTER_POLICY = Path(__file__).resolve().parent.parent / "guidelines" / "starter_policy.json"
_COMPILED_KEY = "compiled_policy"


def policy_document(rules: list[dict] | None = None) -> dict:
    if rules is None:
        rules = list_rules()
    doc: dict[str, Any] = {
        "version": 1,
        "name": f"{get_setting('program_name')} guidelines",
        "rules": rules,
    }
    if get_setting("post_anyway_note"):
        doc["on_post"] = {"errors_left": "note"}
    return doc


def recompile() -> dict:
    """After a policy-level setting changed: the extension fetches the new compiled policy."""
    with db.atomic():
        return _store_compiled(_compile(list_rules()))


def refresh_compiled() -> bool:
    """On upgrade (`herald migrate`): rebuild the stored compiled policy with this version's
    compiler. It is a cache made when a rule was saved, so without this a faster or fixed compiler
    (e.g. cheaper word boundaries) would reach employees only at the next rule edit. True when the
    stored policy changed."""
    from server.models import Setting

    with db.atomic():
        row = Setting.get_or_none(Setting.key == _COMPILED_KEY)
        if row is None:
            return False
        fresh = _compile(list_rules())
        if fresh == row.value:
            return False
        _store_compiled(fresh)
        return True


def list_rules() -> list[dict]:
    query = GuidelineRule.select().order_by(GuidelineRule.position, GuidelineRule.id)
    return [row.doc for row in query]


def get_rule(rule_id: str) -> dict:
    row = GuidelineRule.get_or_none(GuidelineRule.rule_id == rule_id)
    if row is None:
        raise APIError("not_found", f"No guideline rule {rule_id!r}.", 404)
    return row.doc


def _compile(rules: list[dict]) -> dict:
    try:
        return compile_policy(policy_document(rules))
    except PolicyError as exc:
        raise APIError(
            "policy_invalid",
            str(exc),
            422,
            getattr(exc, "errors", None) or [{"message": str(exc)}],
        ) from exc


def compiled_policy() -> dict:
    from server.models import Setting

    row = Setting.get_or_none(Setting.key == _COMPILED_KEY)
    if row is not None:
        return row.value
    with db.atomic():
        return _store_compiled(_compile(list_rules()))


def _store_compiled(compiled: dict) -> dict:
    from server.models import Setting

    Setting.insert(key=_COMPILED_KEY, value=compiled).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: compiled}
    ).execute()
    return compiled


def save_rule(doc: dict, actor: User | None, rule_id: str | None = None) -> dict:
    """Create (rule_id None) or replace a rule. Its examples run first; a failing one is a 422 naming it."""
    from server.audit import record

    with db.atomic():
        existing = GuidelineRule.get_or_none(GuidelineRule.rule_id == (rule_id or doc.get("id")))
        if rule_id is None and existing is not None:
            raise APIError("conflict", f"A rule with the id {doc.get('id')!r} already exists.", 409)
        if rule_id is not None and existing is None:
            raise APIError("not_found", f"No guideline rule {rule_id!r}.", 404)
        if rule_id is not None and doc.get("id") != rule_id:
            clash = GuidelineRule.get_or_none(GuidelineRule.rule_id == doc.get("id"))
            if clash is not None:
                raise APIError(
                    "conflict", f"A rule with the id {doc.get('id')!r} already exists.", 409
                )
        rules = [r for r in list_rules() if r.get("id") != (rule_id or doc.get("id"))]
        if existing is not None:
            position = existing.position
            rules.insert(min(position, len(rules)), doc)
        else:
            rules.append(doc)
        compiled = _compile(rules)
        # Store the normalised rule the engine validated, not the raw body.
        if existing is not None:
            before = existing.doc
            existing.rule_id = doc["id"]
            existing.doc = doc
            existing.updated_at = utcnow()
            existing.updated_by = actor
            existing.save()
        else:
            before = None
            position = GuidelineRule.select().count()
            GuidelineRule.create(rule_id=doc["id"], position=position, doc=doc, updated_by=actor)
        _store_compiled(compiled)
        record(actor, "update" if before else "create", "guideline", doc["id"], before, doc)
    return doc


def delete_rule(rule_id: str, actor: User | None) -> None:
    from server.audit import record

    with db.atomic():
        row = GuidelineRule.get_or_none(GuidelineRule.rule_id == rule_id)
        if row is None:
            raise APIError("not_found", f"No guideline rule {rule_id!r}.", 404)
        before = row.doc
        row.delete_instance()
        _store_compiled(_compile(list_rules()))
        record(actor, "delete", "guideline", rule_id, before, None)


def load_starter_policy() -> int:
    """Load the starter rules into an empty rule table. Returns how many were loaded (0 when rules exist)."""
    if GuidelineRule.select().exists():
        return 0
    doc: dict[str, Any] = json.loads(STARTER_POLICY.read_text(encoding="utf-8"))
    # Compile before writing: a broken starter policy must fail loudly, not half-load.
    compiled = compile_policy(policy_document(doc["rules"]))
    with db.atomic():
        for position, rule in enumerate(doc["rules"]):
            GuidelineRule.create(rule_id=rule["id"], position=position, doc=rule)
        _store_compiled(compiled)
    return len(doc["rules"])
