"""Delivering the outbox: claim due rows, compose, send over one SMTP session, record the outcome.

Safe on several workers and machines at once (claims are atomic, see server.outbox) and after kill -9 (the
lease hands abandoned rows to the next worker). Temporary failures back off; a 5xx refusal of the address marks
it bounced, and no further mail goes to it.
"""

from __future__ import annotations

import logging
import threading

from server import chat
from server.db import db
from server.mail_messages import NotWanted, compose
from server.mailer import Mailer, PermanentFailure, TemporaryFailure
from server.models import User, utcnow
from server.outbox import (
    Note,
    cancel,
    claim,
    mark_committing,
    mark_failed,
    mark_retry,
    mark_sent,
    take_over_abandoned,
    worker_id,
)

log = logging.getLogger(__name__)
# One delivering thread per process: a second one would only queue up behind the first for the database's write
# lock (SQLite) and the same mail server. Other processes and machines deliver in parallel through claims.
_delivering = threading.Lock()


def mark_bounced(email: str, reason: str) -> None:
    User.update(email_bounced_at=utcnow(), email_bounce_reason=reason[:2000]).where(
        User.email == email
    ).execute()


def deliver_due(batch: int = 50, max_rows: int | None = None) -> dict[str, int]:
    """Send every due row (or up to `max_rows`); returns counts by outcome.

    Returns at once (all zeros) when another thread of this process is already delivering: it will see the rows.
    """
    outcome = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    if not _delivering.acquire(blocking=False):
        return outcome
    try:
        return _deliver_due(batch, max_rows, outcome)
    finally:
        _delivering.release()


def _deliver_due(batch: int, max_rows: int | None, outcome: dict[str, int]) -> dict[str, int]:
    worker = worker_id()
    take_over_abandoned()
    mailer = Mailer()
    cache: dict = {}
    done = 0
    try:
        while max_rows is None or done < max_rows:
            rows = claim(worker, batch)
            if not rows:
                break
            for row in rows:
                done += 1
                if row.kind == chat.KIND:  # a team channel's webhook, not mail (server.chat)
                    outcome[chat.deliver_one(row, worker)] += 1
                else:
                    outcome[_deliver_one(mailer, row, worker, cache)] += 1
    finally:
        mailer.close()
    return outcome


def _deliver_one(mailer: Mailer, row, worker: str, cache: dict) -> str:
    try:
        mail = compose(row, cache)
    except NotWanted as why:
        cancel(row, worker, why.note)
        return "cancelled"
    except Exception as exc:  # a broken template or payload must not stop the other messages
        log.exception("Cannot compose outbox row %s", row.id)
        mark_failed(row, worker, Note("compose_failed", error=str(exc)))
        return "failed"
    try:
        mailer.send(mail, before_final_dot=lambda: mark_committing(row, worker))
    except PermanentFailure as exc:
        with db.atomic():
            if exc.bounced:
                mark_bounced(row.recipient, exc.answer)
            mark_failed(row, worker, exc.note)
        return "failed"
    except TemporaryFailure as exc:
        return "retry" if mark_retry(row, worker, exc.note) == "pending" else "failed"
    mark_sent(row, worker)
    return "sent"
