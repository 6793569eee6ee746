"""Employees propose links for the library; admins accept (a draft snippet, `source: "employee"`) or
decline them with a reason the employee sees. Shared by the API and the console.

Only a URL, an optional page title and an optional note ever arrive here: the extension never sends
the composer's draft. Points (another module) count `Proposal.accepted_at` per `Proposal.user`.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from flask import current_app

from server import audit
from server.db import db
from server.errors import APIError, not_found
from server.models import Proposal, Snippet, User, iso, utcnow
from server.outbox import enqueue
from server.snippets import create_snippet, safe_link

HOUR = timedelta(hours=1)


def invalid(path: str, message: str) -> APIError:
    return APIError(
        "validation_failed", "The proposal is not valid.", 422, [{"path": path, "message": message}]
    )


def link_forms(url: str) -> list[str]:
    """The ways the same page's link is usually written: with or without the fragment, the trailing
    slash, http or https, and a lower-case scheme and host. Compared with `IN`, so any database
    finds them with plain equality."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = parts.path.rstrip("/")
    forms = {url}
    for scheme in ("https", "http"):
        for p in (path, path + "/") if path else ("", "/"):
            forms.add(urlunsplit((scheme, host, p, parts.query, "")))
    return sorted(forms)


def duplicate_of(url: str) -> Snippet | None:
    """A snippet whose link is this page's (approved first, then drafts, then archived)."""
    rank = {"approved": 0, "draft": 1, "archived": 2}
    found = list(Snippet.select().where(Snippet.link_url.in_(link_forms(url))))
    return min(found, key=lambda s: (rank.get(s.status, 3), s.id)) if found else None


def duplicate_json(snippet: Snippet | None, for_admin: bool) -> dict | None:
    """Employees learn that the link is known and whether it is live; only a live one's title."""
    if snippet is None:
        return None
    show_title = for_admin or snippet.status == "approved"
    return {
        "snippet_id": snippet.id,
        "status": snippet.status,
        "title": snippet.title if show_title else None,
    }


def proposal_json(p: Proposal, for_admin: bool = False) -> dict:
    out = {
        "id": p.id,
        "url": p.url,
        "title": p.title,
        "note": p.note,
        "status": p.status,
        "created_at": iso(p.created_at),
        "accepted_at": iso(p.accepted_at),
        "declined_at": iso(p.declined_at),
        "decline_reason": p.decline_reason,
        "snippet_id": p.snippet_id,
        # The snippet it became is not a duplicate of itself.
        "duplicate": duplicate_json(
            None if p.status == "accepted" else duplicate_of(p.url), for_admin
        ),
    }
    if for_admin:
        out["proposer"] = {"id": p.user.id, "name": p.user.name, "email": p.user.email}
    return out


def _clean_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _check_rate(user: User) -> None:
    """At most PROPOSALS_PER_HOUR per employee per rolling hour: counted from the proposals
    themselves, so every node and worker sees the same count."""
    limit = int(current_app.config["PROPOSALS_PER_HOUR"])
    since = utcnow() - HOUR
    recent = (
        Proposal.select(Proposal.created_at)
        .where(Proposal.user == user.id, Proposal.created_at > since)
        .order_by(Proposal.created_at)
    )
    times = [row.created_at for row in recent]
    if len(times) >= limit:
        wait = max(1, int((times[0] + HOUR - utcnow()).total_seconds()) + 1)
        raise APIError(
            "too_many_proposals",
            f"You can suggest {limit} links an hour. Try again later.",
            429,
            {"retry_after": wait, "limit": limit},
            headers={"Retry-After": str(wait)},
        )


def propose(user: User, body: dict) -> Proposal:
    """Store a proposal (the body already matched proposals/proposal-create)."""
    url = body["url"].strip()
    if not safe_link(url):
        raise invalid("/url", "must be an http:// or https:// address with a host")
    _check_rate(user)
    mine = Proposal.get_or_none(
        Proposal.user == user.id, Proposal.status == "pending", Proposal.url.in_(link_forms(url))
    )
    if mine is not None:
        raise APIError(
            "already_proposed",
            "You already suggested this link; it is waiting for review.",
            409,
            {"proposal_id": mine.id},
        )
    title = _clean_text(body.get("title"))
    with db.atomic():
        proposal = Proposal.create(
            user=user, url=url, title=title, note=_clean_text(body.get("note"))
        )
        audit.record(user, "proposal.create", "proposal", proposal.id, None, {"url": url})
    return proposal


def get_proposal(proposal_id: int) -> Proposal:
    p = Proposal.select(Proposal, User).join(User).where(Proposal.id == proposal_id).first()
    if p is None:
        raise not_found("Proposal")
    return p


def _pending(p: Proposal) -> None:
    if p.status != "pending":
        raise APIError(
            "proposal_decided", f"This proposal was {p.status} already.", 409, {"status": p.status}
        )


def draft_title(p: Proposal) -> str:
    """The page's title, else its host and path: the curator renames it anyway."""
    if p.title:
        return p.title[:200]
    parts = urlsplit(p.url)
    return (parts.netloc + parts.path.rstrip("/"))[:200] or p.url[:200]


def accept(actor: User, p: Proposal) -> Proposal:
    """A draft snippet with the link, for the curator to write; the proposer is credited on the
    proposal (snippet, accepted_at) and mailed."""
    _pending(p)
    title = draft_title(p)
    with db.atomic():
        snippet = create_snippet(
            actor,
            {
                "title": title,
                "variants": {"linkedin": [f"{title}\n\n{p.url}"], "x": [f"{title} {p.url}"]},
                "link_url": p.url,
                "source": "employee",
            },
        )
        now = utcnow()
        Proposal.update(
            status="accepted", accepted_at=now, decided_by=actor, snippet=snippet
        ).where(Proposal.id == p.id).execute()
        audit.record(actor, "proposal.accept", "proposal", p.id, None, {"snippet_id": snippet.id})
        _mail(p, "accepted")
    _nudge()
    return get_proposal(p.id)


def decline(actor: User, p: Proposal, reason: str) -> Proposal:
    _pending(p)
    reason = reason.strip()
    if not reason:
        raise invalid("/reason", "say why, for the employee")
    with db.atomic():
        Proposal.update(
            status="declined", declined_at=utcnow(), decided_by=actor, decline_reason=reason
        ).where(Proposal.id == p.id).execute()
        audit.record(actor, "proposal.decline", "proposal", p.id, None, {"reason": reason})
        _mail(p, "declined")
    _nudge()
    return get_proposal(p.id)


def _mail(p: Proposal, outcome: str) -> None:
    """One message per decision (the key makes a repeated decision a no-op); server.mail_messages
    renders it at send time and drops it when the person turned this mail off."""
    enqueue(
        f"proposal:{p.id}:{outcome}",
        f"proposal-{outcome}",
        p.user.email,
        {"proposal_id": p.id},
        user_id=p.user_id,
    )


def _nudge() -> None:
    from server.jobs import nudge

    nudge()


def mine(user: User):
    return Proposal.select().where(Proposal.user == user.id).order_by(Proposal.id.desc())


def queue(status: str | None):
    query = Proposal.select(Proposal, User).join(User)
    if status:
        query = query.where(Proposal.status == status)
    return query.order_by(Proposal.id.desc() if status != "pending" else Proposal.id)


def accepted_counts() -> dict[int, int]:
    """Accepted proposals per employee: the hook a points feature counts."""
    from peewee import fn

    rows = (
        Proposal.select(Proposal.user, fn.COUNT(Proposal.id))
        .where(Proposal.accepted_at.is_null(False))
        .group_by(Proposal.user)
        .tuples()
    )
    return dict(rows)
