"""The outbox: every message is a row, written (under a unique key) before anything is sent.

Why: jobs run on several workers and machines and may be killed at any instant. The unique key
(`digest:<user>:<iso-week>`, `invitation:<id>:<nonce>` ...) makes writing the same message twice a no-op, and a
row's status says how far its delivery went:

- `pending`: waiting for `next_attempt_at`.
- `sending`: a worker claimed it (`claimed_by`, `claimed_at`) and is talking to the mail server; the server has
  not been handed the end of the message, so it has not accepted anything.
- `committing`: the whole message but its final "." went out and this state was committed; then the final "."
  is sent and the server's answer awaited. This is the only window where a crash leaves the outcome unknown
  (the server may have accepted the message before the worker died): one round trip plus one commit.
- `sent`, `failed` (gave up, or the address bounced: `last_error` says why), `cancelled` (no longer wanted,
  e.g. the invitee joined before the reminder went out).

A worker that dies leaves rows in `sending`/`committing`; after OUTBOX_LEASE_SECONDS another worker takes them
over. `sending` rows are sent again safely. `committing` rows are sent again too: we prefer a rare duplicate in
that one-round-trip window to a message that silently never arrives, and we say so in `last_error`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import force_locale, lazy_gettext

from server.db import db
from server.models import Outbox, utcnow
from server.raw_sql import column, table

# What the console says about a row (why it waits, failed or was cancelled), by code: stored as a code and its
# parameters (`Outbox.note`) and translated when the console shows it, in the reader's language. Parameters are
# names, numbers and the other side's own words (a mail server's answer), which are shown as they came.
NOTES = {
    "bounced_earlier": lazy_gettext(
        "%(email)s bounced earlier (the mail server answered: %(answer)s)."
    ),
    "account_disabled": lazy_gettext("The account was disabled before this message went out."),
    "joined": lazy_gettext(
        "The person joined (or the invitation was withdrawn) before this went out."
    ),
    "reminders_off": lazy_gettext("The person turned invitation reminders off."),
    "digest_off": lazy_gettext("The person turned the weekly digest off before it went out."),
    "recognition_off": lazy_gettext("The person turned recognition off before this went out."),
    "recognition_unsubscribed": lazy_gettext("The person unsubscribed from the recognition email."),
    "proposals_off": lazy_gettext("The person turned mail about their proposals off."),
    "proposal_deleted": lazy_gettext("The proposal was deleted before this went out."),
    "not_admin": lazy_gettext("The person is no longer an admin."),
    "unknown_kind": lazy_gettext("Unknown message kind %(kind)s."),
    "compose_failed": lazy_gettext("Cannot compose the message: %(error)s"),
    "uncertain_resend": lazy_gettext(
        "The worker stopped while the mail server was confirming this message; sent again (the "
        "recipient may get it twice)."
    ),
    "gave_up": lazy_gettext("Gave up after %(attempts)s attempts. Last error: %(error)s"),
    "smtp_not_configured": lazy_gettext("No mail server is configured: set HERALD_SMTP_HOST."),
    "smtp_sign_in_refused": lazy_gettext("The mail server refused the sign-in: %(answer)s"),
    "smtp_unreachable": lazy_gettext("Cannot reach the mail server %(server)s: %(error)s"),
    "smtp_connection_failed": lazy_gettext("The connection to the mail server failed: %(error)s"),
    "smtp_refused": lazy_gettext("The mail server refused: %(answer)s"),
    "smtp_try_later": lazy_gettext("The mail server asked to try later: %(answer)s"),
    "team_deleted": lazy_gettext("The team was deleted."),
    "posts_gone": lazy_gettext("The posts were archived or expired before the message went out."),
    "webhook_removed": lazy_gettext("The team's %(service)s webhook was removed."),
    "webhook_refused": lazy_gettext("%(service)s webhook refused: %(error)s"),
    "webhook_unresolved": lazy_gettext("%(service)s webhook: %(error)s"),
    "chat_unreachable": lazy_gettext("Cannot reach %(service)s: %(error)s."),
    "chat_answered": lazy_gettext("%(service)s answered HTTP %(status)s."),
    "chat_answered_text": lazy_gettext("%(service)s answered HTTP %(status)s: %(answer)s."),
    "chat_wait": lazy_gettext("%(error)s (asked to wait %(seconds)s s)"),
    "chat_check_webhook": lazy_gettext(
        "%(error)s Check the team's webhook URL in the console (Teams → Chat)."
    ),
}


class Note:
    """A row's note: a code of NOTES and its parameters (another Note may be one: "gave up ... last error").

    str() is the English text, kept in `last_error` for logs and for rows shown by older code."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in NOTES:
            raise KeyError(code)
        self.code, self.params = code, params

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": {
                k: v.as_json() if isinstance(v, Note) else v for k, v in self.params.items()
            },
        }

    def __str__(self) -> str:
        with force_locale("en"):
            return note_text(self.as_json())


def note_text(note: dict | None, fallback: str | None = None) -> str:
    """A stored note in the current language (the console reader's); `fallback` (the row's `last_error`)
    for a row written before notes or with a code this version does not know."""
    if not isinstance(note, dict) or note.get("code") not in NOTES:
        return fallback or ""
    params = {
        k: note_text(v) if isinstance(v, dict) else v for k, v in (note.get("params") or {}).items()
    }
    return str(NOTES[note["code"]]) % params


def _noted(note: Note) -> dict[str, Any]:
    return {"last_error": str(note)[:2000], "note": note.as_json()}


ACTIVE = ("sending", "committing")
STATUSES = ("pending", "sending", "committing", "sent", "failed", "cancelled")


def worker_id() -> str:
    """Names one claimer: rows it claimed are read back by this id, so two workers never share a row."""
    return secrets.token_hex(8)


def enqueue(
    key: str,
    kind: str,
    recipient: str,
    payload: dict[str, Any] | None = None,
    user_id: int | None = None,
) -> bool:
    """Write one message; False when a message with this key exists already (then nothing changes)."""
    inserted = (
        Outbox.insert(
            key=key,
            kind=kind,
            recipient=recipient,
            user=user_id,
            payload=payload or {},
            next_attempt_at=utcnow(),
        )
        .on_conflict_ignore()
        .as_rowcount()  # rows written: 0 on a conflict, whatever the backend returns for ids
        .execute()
    )
    return inserted == 1


def enqueue_many(rows: Iterable[dict[str, Any]]) -> None:
    """Bulk form of enqueue for batch jobs (dicts with key, kind, recipient, user, payload); keys seen are skipped."""
    now = utcnow()
    rows = [{**row, "next_attempt_at": now, "created_at": now} for row in rows]
    if rows:
        with db.atomic():
            Outbox.insert_many(rows).on_conflict_ignore().execute()


def _lease() -> timedelta:
    return timedelta(seconds=int(current_app.config["OUTBOX_LEASE_SECONDS"]))


def take_over_abandoned(now: datetime | None = None) -> int:
    """Rows whose worker died (claim older than the lease) go back to pending; returns how many."""
    now = now or utcnow()
    stale = now - _lease()
    with db.atomic():
        uncertain = (
            Outbox.update(
                status="pending",
                claimed_by=None,
                **_noted(Note("uncertain_resend")),
            )
            .where(Outbox.status == "committing", Outbox.claimed_at < stale)
            .execute()
        )
        safe = (
            Outbox.update(status="pending", claimed_by=None)
            .where(Outbox.status == "sending", Outbox.claimed_at < stale)
            .execute()
        )
    return uncertain + safe


def claim(worker: str, limit: int = 50, kinds: Iterable[str] | None = None) -> list[Outbox]:
    """Atomically claim up to `limit` due rows for `worker`, oldest first.

    The UPDATE re-checks `status = 'pending'`, so of two workers racing for a row exactly one wins (PostgreSQL
    re-evaluates the condition after the row lock; SQLite serialises writers). Rows are read back by claimer id.
    """
    now = utcnow()
    due = Outbox.select(Outbox.id).where(Outbox.status == "pending", Outbox.next_attempt_at <= now)
    if kinds:
        due = due.where(Outbox.kind.in_(list(kinds)))
    ids = [row_id for (row_id,) in due.order_by(Outbox.id).limit(limit).tuples()]
    if not ids:
        return []
    with db.atomic():
        (
            Outbox.update(
                status="sending",
                claimed_by=worker,
                claimed_at=now,
                attempts=Outbox.attempts + 1,
            )
            .where(Outbox.id.in_(ids), Outbox.status == "pending")
            .execute()
        )
    return list(
        Outbox.select()
        .where(Outbox.id.in_(ids), Outbox.claimed_by == worker, Outbox.status == "sending")
        .order_by(Outbox.id)
    )


def _mine(row: Outbox, worker: str):
    return (Outbox.id == row.id) & (Outbox.claimed_by == worker)


@lru_cache(maxsize=4)
def _mark_sql(param: str, sent: bool) -> str:
    """The two updates every delivered message makes, as text once: composing them through
    peewee cost more than running them (a digest run makes one pair per employee)."""
    sets = f"{column(Outbox.status)} = {param}"
    if sent:
        sets += f", {column(Outbox.sent_at)} = {param}, {column(Outbox.claimed_by)} = NULL"
    return (
        f"UPDATE {table(Outbox)} SET {sets} "
        f"WHERE {column(Outbox.id)} = {param} AND {column(Outbox.claimed_by)} = {param}"
    )


def mark_committing(row: Outbox, worker: str) -> None:
    db.execute_sql(_mark_sql(db.param, False), ("committing", row.id, worker))


def mark_sent(row: Outbox, worker: str) -> None:
    db.execute_sql(_mark_sql(db.param, True), ("sent", utcnow(), row.id, worker))


def backoff(attempts: int) -> timedelta:
    """RETRY_BASE * 2**(attempts-1), capped: 1, 2, 4 ... minutes by default, at most an hour."""
    cfg = current_app.config
    seconds = int(cfg["OUTBOX_RETRY_BASE_SECONDS"]) * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, int(cfg["OUTBOX_RETRY_MAX_SECONDS"])))


def mark_retry(row: Outbox, worker: str, error: Note, not_before: datetime | None = None) -> str:
    """A temporary failure: try again after the backoff, or give up (`failed`) after OUTBOX_MAX_ATTEMPTS.

    `not_before`: the receiver said when to come back (HTTP 429 Retry-After); never sooner than that."""
    if row.attempts >= int(current_app.config["OUTBOX_MAX_ATTEMPTS"]):
        mark_failed(row, worker, Note("gave_up", attempts=row.attempts, error=error))
        return "failed"
    Outbox.update(
        status="pending",
        claimed_by=None,
        **_noted(error),
        next_attempt_at=max(utcnow() + backoff(row.attempts), not_before or utcnow()),
    ).where(_mine(row, worker)).execute()
    return "pending"


def mark_failed(row: Outbox, worker: str, error: Note) -> None:
    Outbox.update(status="failed", claimed_by=None, **_noted(error)).where(
        _mine(row, worker)
    ).execute()


def cancel(row: Outbox, worker: str, reason: Note) -> None:
    Outbox.update(status="cancelled", claimed_by=None, **_noted(reason)).where(
        _mine(row, worker)
    ).execute()


def retry_now(row_id: int) -> bool:
    """The console's Retry: a failed (or cancelled) message goes back to pending, due now, attempts reset."""
    return bool(
        Outbox.update(status="pending", attempts=0, next_attempt_at=utcnow(), claimed_by=None)
        .where(Outbox.id == row_id, Outbox.status.in_(["failed", "cancelled"]))
        .execute()
    )


def next_due_at() -> datetime | None:
    """When the earliest pending row becomes due (None: nothing waits)."""
    row = (
        Outbox.select(Outbox.next_attempt_at)
        .where(Outbox.status == "pending")
        .order_by(Outbox.next_attempt_at)
        .first()
    )
    return None if row is None else row.next_attempt_at


def counts() -> dict[str, dict[str, int]]:
    """{kind: {status: n}} for the console's queue page."""
    from peewee import fn

    result: dict[str, dict[str, int]] = {}
    query = Outbox.select(Outbox.kind, Outbox.status, fn.COUNT(Outbox.id)).group_by(
        Outbox.kind, Outbox.status
    )
    for kind, status, n in query.tuples():
        result.setdefault(kind, dict.fromkeys(STATUSES, 0))[status] = n
    return result
