"""The audit trail: who changed what in the console or the admin API, with before and after."""

from __future__ import annotations

from typing import Any

from server.models import AuditEntry, User


def record(
    actor: User | int | None,
    action: str,
    obj_type: str,
    obj_id: Any,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Store one entry. Call it inside the same transaction as the change, so both land or neither."""
    return AuditEntry.create(
        actor=actor,
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        before=before,
        after=after,
    )
