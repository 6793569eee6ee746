"""The audit log: every admin change, who and when, with before and after."""

from __future__ import annotations

import json
from math import ceil

from flask import render_template, request
from peewee import JOIN

from server.admin.core import admin_required, bp
from server.models import AuditEntry, User

PER_PAGE = 50


def _changed_keys(before, after) -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return []


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _diff(before, after) -> list[dict[str, str]]:
    """Each changed key with its old and new value: a revised snippet's text reads at a glance."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return []
    return [
        {"key": k, "before": _compact(before.get(k)), "after": _compact(after.get(k))}
        for k in _changed_keys(before, after)
        if k not in {"updated_at"}
    ]


@bp.get("/audit")
@admin_required
def audit():
    page = max(1, request.args.get("page", 1, type=int))
    object_type = request.args.get("type") or None
    query = AuditEntry.select(AuditEntry, User).join(
        User, join_type=JOIN.LEFT_OUTER, on=AuditEntry.actor
    )
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    total = query.count()
    rows = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).paginate(page, PER_PAGE)
    entries = [
        {
            "at": e.at.replace(microsecond=0).isoformat() + "Z",
            "actor": e.actor.name if e.actor_id and e.actor else "(deleted user or system)",
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "changed": _changed_keys(e.before, e.after),
            "diff": _diff(e.before, e.after),
            "before": None
            if e.before is None
            else json.dumps(e.before, indent=2, ensure_ascii=False, sort_keys=True),
            "after": None
            if e.after is None
            else json.dumps(e.after, indent=2, ensure_ascii=False, sort_keys=True),
        }
        for e in rows
    ]
    types = [
        t
        for (t,) in AuditEntry.select(AuditEntry.object_type)
        .distinct()
        .order_by(AuditEntry.object_type)
        .tuples()
    ]
    return render_template(
        "admin/audit.html",
        entries=entries,
        page=page,
        pages=max(1, ceil(total / PER_PAGE)),
        total=total,
        types=types,
        object_type=object_type,
    )
