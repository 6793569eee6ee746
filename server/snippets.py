"""Snippet rules shared by the admin API and the console: validation, edits, transitions, JSON."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from guidelines import x_weighted_length
from guidelines.weighted import MAX_WEIGHTED_LENGTH
from server import audit, search
from server.db import db
from server.errors import APIError
from server.models import (
    LANGUAGES,
    NETWORKS,
    SNIPPET_SOURCES,
    SNIPPET_STATUSES,
    AuditEntry,
    Campaign,
    Proposal,
    Setting,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    Team,
    TrackedLink,
    User,
    iso,
    utcnow,
)
from server.request_limits import strict_int
from server.schemas import validate
from server.settings import get_setting

X_LIMIT = MAX_WEIGHTED_LENGTH

# Valid status changes: (from, action) -> to. Anything else is a conflict.
TRANSITIONS = {
    ("draft", "approve"): "approved",
    ("approved", "archive"): "archived",
    # Restored snippets come back as drafts: what was archived is often stale (dates, offers,
    # links), so someone reads it again before employees see it.
    ("archived", "restore"): "draft",
}
# What employees post: changing any of these on an approved snippet is a new text to review.
REVIEWED_FIELDS = ("variants", "link_url", "team_ids")


def invalid(errors: list[dict]) -> APIError:
    return APIError("validation_failed", "The snippet is not valid.", 422, errors)


# --- small parsers, reused by the suggestions endpoint --------------------------------------


def query_int(args: Mapping, name: str, default: int | None, lo: int, hi: int) -> int | None:
    """An integer query parameter within [lo, hi]; a bad value is a 422, not a silent default."""
    raw = args.get(name)
    if raw in (None, ""):
        return default
    value = strict_int(raw, lo, hi)
    if value is None:
        raise APIError(
            "validation_failed",
            f"`{name}` must be a whole number from {lo} to {hi}.",
            422,
            [{"path": f"?{name}", "message": f"expected an integer in [{lo}, {hi}], got {raw!r}"}],
        )
    return value


def parse_time(value: str, path: str) -> datetime:
    """RFC 3339 text to naive UTC (how the models store time); naive input is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise invalid(
            [{"path": path, "message": f"{value!r} is not an RFC 3339 date-time"}]
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def safe_link(url: str | None) -> bool:
    """Only absolute http(s) URLs with a host: no javascript:, data:, file:, or scheme-relative tricks."""
    if not url or any(ch in url for ch in "\r\n\t\\") or url != url.strip():
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def campaign_window_reason(campaign: Campaign | None, now: datetime | None = None) -> str | None:
    """Why a snippet of `campaign` is not suggested right now, or None when its window is open.

    Suggestions (server.suggestion_index, server.api.suggestions) leave out snippets whose
    campaign has not started or has ended; the console shows this sentence so a curator is not
    left wondering why an approved snippet never reaches anyone.
    """
    if campaign is None:
        return None
    now = now or utcnow()
    if campaign.starts_at is not None and campaign.starts_at > now:
        return (
            f"Not suggested yet: its campaign “{campaign.name}” starts on "
            f"{campaign.starts_at:%Y-%m-%d %H:%M} UTC."
        )
    if campaign.ends_at is not None and campaign.ends_at <= now:
        return (
            f"Not suggested any more: its campaign “{campaign.name}” ended on "
            f"{campaign.ends_at:%Y-%m-%d %H:%M} UTC."
        )
    return None


# --- JSON ------------------------------------------------------------------------------------


def snippets_json(snippets: list[Snippet]) -> list[dict]:
    """Admin JSON for many snippets in a constant number of queries."""
    ids = [s.id for s in snippets]
    variants: dict[int, dict[str, list[str]]] = defaultdict(lambda: {n: [] for n in NETWORKS})
    teams: dict[int, list[dict]] = defaultdict(list)
    campaigns: dict[int, dict] = {}
    proposers: dict[int, dict] = {}
    if ids:
        rows = (
            SnippetVariant.select(
                SnippetVariant.snippet, SnippetVariant.network, SnippetVariant.text
            )
            .where(SnippetVariant.snippet.in_(ids))
            .order_by(SnippetVariant.snippet, SnippetVariant.network, SnippetVariant.position)
            .tuples()
        )
        for snippet_id, network, text in rows:
            variants[snippet_id].setdefault(network, []).append(text)
        rows = (
            SnippetTeam.select(SnippetTeam.snippet, Team.id, Team.name)
            .join(Team)
            .where(SnippetTeam.snippet.in_(ids))
            .order_by(Team.name)
            .tuples()
        )
        for snippet_id, team_id, name in rows:
            teams[snippet_id].append({"id": team_id, "name": name})
        if any(s.source == "employee" for s in snippets):
            rows = (
                Proposal.select(Proposal.snippet, User.id, User.name)
                .join(User, on=(Proposal.user == User.id))
                .where(Proposal.snippet.in_(ids))
                .tuples()
            )
            for snippet_id, user_id, name in rows:
                proposers[snippet_id] = {"id": user_id, "name": name}
        campaign_ids = {s.campaign_id for s in snippets if s.campaign_id}
        if campaign_ids:
            for c in Campaign.select().where(Campaign.id.in_(campaign_ids)):
                campaigns[c.id] = {"id": c.id, "name": c.name, "hashtag": c.hashtag}
    return [
        {
            "id": s.id,
            "title": s.title,
            "status": s.status,
            "source": s.source,
            "proposed_by": proposers.get(s.id),
            "language": s.language,
            "featured": s.featured,
            "link_url": s.link_url,
            "hashtags": list(s.hashtags or []),
            "campaign": campaigns.get(s.campaign_id),
            "teams": teams[s.id],
            "targeted": s.targeted,
            "variants": variants[s.id],
            "starts_at": iso(s.starts_at),
            "expires_at": iso(s.expires_at),
            "created_at": iso(s.created_at),
            "updated_at": iso(s.updated_at),
            "created_by": s.created_by_id,
            "approved_by": s.approved_by_id,
            "approved_at": iso(s.approved_at),
            "archived_by": s.archived_by_id,
            "archived_at": iso(s.archived_at),
        }
        for s in snippets
    ]


def snippet_json(snippet: Snippet) -> dict:
    return snippets_json([snippet])[0]


# --- the change token --------------------------------------------------------------------------

# Setting row whose value every change to snippets replaces, in the change's own transaction.
CHANGE_KEY = "snippets.changed"


def mark_snippets_changed() -> None:
    """Tell every worker on every node that its live sets are stale (server.suggestion_index).

    MAX(updated_at) alone misses changes: a node whose clock lags writes an older time than the
    newest one, and on PostgreSQL two edits may commit in the other order than they took their
    timestamps, so the later commit leaves MAX unchanged. Replacing one row fixes both: its row
    lock makes concurrent changes commit one after another, and each commit leaves a new value.
    Call it inside the transaction that makes the change.
    """
    token = uuid.uuid4().hex
    Setting.insert(key=CHANGE_KEY, value=token).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: token}
    ).execute()


# --- reading -----------------------------------------------------------------------------------


def get_snippet(snippet_id: int) -> Snippet:
    snippet = Snippet.get_or_none(Snippet.id == snippet_id)
    if snippet is None:
        raise APIError("not_found", "Snippet not found.", 404)
    return snippet


def text_matches(q: str):
    """Title or any variant text contains `q`, any case in any script (server.search)."""
    in_variants = SnippetVariant.select(SnippetVariant.snippet).where(
        search.contains(SnippetVariant.text, q)
    )
    return search.contains(Snippet.title, q) | Snippet.id.in_(in_variants)


def list_snippets(
    *,
    status: str | None = None,
    campaign: int | None = None,
    team: int | None = None,
    expiring_within_days: int | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Snippet], int]:
    """Filtered, newest-first page of snippets and the total matching."""
    query = Snippet.select()
    if status:
        if status not in SNIPPET_STATUSES:
            raise APIError(
                "validation_failed",
                "Unknown status.",
                422,
                [{"path": "?status", "message": f"expected one of {list(SNIPPET_STATUSES)}"}],
            )
        query = query.where(Snippet.status == status)
    if campaign:
        query = query.where(Snippet.campaign == campaign)
    if team:
        query = query.where(
            Snippet.id.in_(SnippetTeam.select(SnippetTeam.snippet).where(SnippetTeam.team == team))
        )
    if expiring_within_days is not None:
        now = utcnow()
        query = query.where(
            Snippet.expires_at > now,
            Snippet.expires_at <= now + timedelta(days=expiring_within_days),
        )
    if q:
        query = query.where(text_matches(q))
    total = query.count()
    items = list(
        query.order_by(Snippet.created_at.desc(), Snippet.id.desc()).paginate(page, per_page)
    )
    return items, total


# --- writing -----------------------------------------------------------------------------------


def _clean(data: Mapping[str, Any], partial: bool, current: Snippet | None) -> dict:
    """Check what JSON Schema cannot (existence, schemes, time order) and normalise the values."""
    errors: list[dict] = []
    out: dict[str, Any] = {}

    if "title" in data:
        title = str(data["title"]).strip()
        if not title:
            errors.append({"path": "/title", "message": "the title must not be blank"})
        out["title"] = title
    elif not partial:
        errors.append({"path": "/title", "message": "'title' is a required property"})

    if "variants" in data:
        variants = {n: [t.strip() for t in data["variants"].get(n) or []] for n in NETWORKS}
        if not any(variants.values()):
            errors.append(
                {"path": "/variants", "message": "give at least one text for linkedin or x"}
            )
        for network, texts in variants.items():
            for i, text in enumerate(texts):
                if not text:
                    errors.append(
                        {"path": f"/variants/{network}/{i}", "message": "the text is blank"}
                    )
        for i, text in enumerate(variants["x"]):
            weight = x_weighted_length(text)
            if weight > X_LIMIT:
                errors.append(
                    {
                        "path": f"/variants/x/{i}",
                        "message": f"{weight} weighted characters; X allows {X_LIMIT}",
                    }
                )
        out["variants"] = variants
    elif not partial:
        errors.append({"path": "/variants", "message": "'variants' is a required property"})

    if "link_url" in data:
        link = data["link_url"]
        link = link.strip() if isinstance(link, str) else None
        if link and not safe_link(link):
            errors.append(
                {"path": "/link_url", "message": "the link must be an absolute http or https URL"}
            )
        out["link_url"] = link or None

    if "hashtags" in data:
        tags: list[str] = []
        for tag in data["hashtags"]:
            tag = tag.strip().lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
        out["hashtags"] = tags

    if "campaign_id" in data:
        campaign_id = data["campaign_id"]
        if (
            campaign_id is not None
            and not Campaign.select().where(Campaign.id == campaign_id).exists()
        ):
            errors.append({"path": "/campaign_id", "message": f"no campaign with id {campaign_id}"})
        out["campaign"] = campaign_id

    if "team_ids" in data:
        team_ids = sorted(set(data["team_ids"]))
        known = (
            {t.id for t in Team.select(Team.id).where(Team.id.in_(team_ids))} if team_ids else set()
        )
        for i, team_id in enumerate(data["team_ids"]):
            if team_id not in known:
                errors.append({"path": f"/team_ids/{i}", "message": f"no team with id {team_id}"})
        out["team_ids"] = team_ids

    for key in ("starts_at", "expires_at"):
        if data.get(key) is not None:
            try:
                out[key] = parse_time(data[key], f"/{key}")
            except APIError as err:
                errors.extend(err.details)

    for key, allowed in (("language", LANGUAGES), ("source", SNIPPET_SOURCES)):
        if key in data:
            if data[key] not in allowed:
                errors.append({"path": f"/{key}", "message": f"expected one of {list(allowed)}"})
            out[key] = data[key]
    if "featured" in data:
        out["featured"] = bool(data["featured"])

    starts = out.get("starts_at") or (current.starts_at if current else None)
    expires = out.get("expires_at") or (current.expires_at if current else None)
    if starts and expires and expires <= starts:
        errors.append({"path": "/expires_at", "message": "must be later than starts_at"})
    if errors:
        raise invalid(errors)
    return out


def _write_children(snippet: Snippet, values: dict) -> None:
    if "variants" in values:
        SnippetVariant.delete().where(SnippetVariant.snippet == snippet).execute()
        rows = [
            {"snippet": snippet.id, "network": network, "position": i, "text": text}
            for network, texts in values["variants"].items()
            for i, text in enumerate(texts)
        ]
        if rows:
            SnippetVariant.insert_many(rows).execute()
    if "team_ids" in values:
        SnippetTeam.delete().where(SnippetTeam.snippet == snippet).execute()
        if values["team_ids"]:
            SnippetTeam.insert_many(
                [{"snippet": snippet.id, "team": t} for t in values["team_ids"]]
            ).execute()


def create_snippet(actor: User | None, data: Mapping[str, Any]) -> Snippet:
    """New snippets are drafts; expiry defaults to `default_expiry_days` after the start."""
    validate("snippets/create-request", data)
    values = _clean(data, partial=False, current=None)
    now = utcnow()
    starts = values.get("starts_at") or now
    expires = values.get("expires_at") or starts + timedelta(
        days=int(get_setting("default_expiry_days"))
    )
    if expires <= starts:
        raise invalid([{"path": "/starts_at", "message": "must be earlier than expires_at"}])
    with db.atomic():
        snippet = Snippet.create(
            title=values["title"],
            link_url=values.get("link_url"),
            hashtags=values.get("hashtags", []),
            campaign=values.get("campaign"),
            targeted=bool(values.get("team_ids")),
            status="draft",
            featured=values.get("featured", False),
            source=values.get("source", "manual"),
            language=values.get("language", "en"),
            starts_at=starts,
            expires_at=expires,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        _write_children(snippet, values)
        mark_snippets_changed()
        audit.record(actor, "snippet.create", "snippet", snippet.id, None, snippet_json(snippet))
    return snippet


def four_eyes() -> bool:
    return bool(get_setting("four_eyes"))


def _reviewed_changes(before: dict, values: dict) -> list[str]:
    """Which of the text, link and target teams this edit really changes."""
    changed = []
    if "variants" in values and values["variants"] != before["variants"]:
        changed.append("variants")
    if "link_url" in values and values["link_url"] != before["link_url"]:
        changed.append("link_url")
    if "team_ids" in values and values["team_ids"] != sorted(t["id"] for t in before["teams"]):
        changed.append("team_ids")
    return changed


def update_snippet(actor: User | None, snippet: Snippet, data: Mapping[str, Any]) -> Snippet:
    """Edit fields; a new link also retargets tracked links already handed out.

    Changing what employees post (text, link, target teams) of an approved snippet is reviewed
    again: an editor who may approve it (an admin, unless four-eyes review is on) records a new
    approved revision ("snippet.revise" in the audit, with before and after); anyone else sends
    it back to draft ("snippet.return_to_review") until another admin approves it.
    """
    if snippet.status == "archived":
        raise APIError("snippet_archived", "Archived snippets cannot be edited.", 409)
    validate("snippets/update-request", data)
    values = _clean(data, partial=True, current=snippet)
    with db.atomic():
        before = snippet_json(snippet)
        reviewed = _reviewed_changes(before, values) if snippet.status == "approved" else []
        approver = actor is not None and actor.role == "admin" and not four_eyes()
        fields = {k: v for k, v in values.items() if k not in {"variants", "team_ids"}}
        if "team_ids" in values:
            fields["targeted"] = bool(values["team_ids"])
        now = fields["updated_at"] = utcnow()
        action = "snippet.update"
        if reviewed and approver:
            action = "snippet.revise"
            fields.update(approved_by=actor, approved_at=now)
        elif reviewed:
            action = "snippet.return_to_review"
            fields["status"] = "draft"
        Snippet.update(**fields).where(Snippet.id == snippet.id).execute()
        _write_children(snippet, values)
        mark_snippets_changed()
        new_link = values.get("link_url")
        if new_link and new_link != snippet.link_url:
            TrackedLink.update(target_url=new_link).where(
                TrackedLink.snippet == snippet.id
            ).execute()
        snippet = Snippet.get_by_id(snippet.id)
        audit.record(actor, action, "snippet", snippet.id, before, snippet_json(snippet))
    return snippet


def last_author(snippet_id: int) -> int | None:
    """Who last wrote the snippet's content: the actor of its latest create or edit."""
    entry = (
        AuditEntry.select(AuditEntry.actor)
        .where(
            (AuditEntry.object_type == "snippet")
            & (AuditEntry.object_id == str(snippet_id))
            & AuditEntry.action.in_(
                ["snippet.create", "snippet.update", "snippet.return_to_review", "snippet.revise"]
            )
        )
        .order_by(AuditEntry.id.desc())
        .first()
    )
    return entry.actor_id if entry else None


def _check_four_eyes(actor: User | None, snippet: Snippet) -> None:
    if not four_eyes() or actor is None:
        return
    author = last_author(snippet.id) or snippet.created_by_id
    if author == actor.id:
        raise APIError(
            "four_eyes",
            "Four-eyes review is on: another admin has to approve a draft you wrote or edited.",
            403,
            {"author_id": author},
        )


def transition(actor: User | None, snippet: Snippet, action: str) -> Snippet:
    """draft -> approved -> archived -> (restore) draft; who and when are recorded.

    Anything else is a 409; approving one's own draft under four-eyes review is a 403."""
    target = TRANSITIONS.get((snippet.status, action))
    if target is None:
        raise APIError(
            "invalid_transition",
            f"This snippet is {snippet.status}; it cannot be {action}d.",
            409,
            {"status": snippet.status, "action": action},
        )
    if action == "approve":
        _check_four_eyes(actor, snippet)
    now = utcnow()
    fields: dict[str, Any] = {"status": target, "updated_at": now}
    if target == "approved":
        fields.update(approved_by=actor, approved_at=now)
    elif target == "archived":
        fields.update(archived_by=actor, archived_at=now)
    else:  # restored: no longer archived (who restored it is in the audit log)
        fields.update(archived_by=None, archived_at=None)
    with db.atomic():
        before = snippet_json(snippet)
        changed = (
            Snippet.update(**fields)
            .where(Snippet.id == snippet.id, Snippet.status == snippet.status)
            .execute()
        )
        if changed != 1:  # someone else moved it first
            raise APIError("invalid_transition", "The snippet changed meanwhile; reload it.", 409)
        mark_snippets_changed()
        snippet = Snippet.get_by_id(snippet.id)
        audit.record(
            actor, f"snippet.{action}", "snippet", snippet.id, before, snippet_json(snippet)
        )
    if target == "approved" and snippet.featured:
        _announce_in_chats()
    return snippet


def _announce_in_chats() -> None:
    """A featured post that is live now goes to team chats at once (a later start: the worker's tick)."""
    from server.chat import queue_live_featured
    from server.jobs import nudge

    if queue_live_featured():
        nudge()


def touch_campaign_snippets(campaign_id: int) -> None:
    """Suggestions show their campaign's name and hashtag: marking the campaign's snippets changed
    makes every worker's cached suggestions (server.suggestion_index) refresh at once."""
    with db.atomic():
        Snippet.update(updated_at=utcnow()).where(Snippet.campaign == campaign_id).execute()
        mark_snippets_changed()


def delete_snippet(actor: User | None, snippet: Snippet) -> None:
    """Only drafts: approved snippets have shares and clicks behind them, so they are archived."""
    if snippet.status != "draft":
        raise APIError(
            "snippet_in_use",
            "Only drafts can be deleted; archive an approved snippet instead.",
            409,
        )
    with db.atomic():
        before = snippet_json(snippet)
        snippet.delete_instance()
        mark_snippets_changed()
        audit.record(actor, "snippet.delete", "snippet", before["id"], before, None)


def insert_drafts(
    drafts: list[dict], language: str, campaign_id: int | None, team_ids: list[int]
) -> list[int]:
    """Many machine-made drafts at once (server.feeds): a few statements instead of ~15 per draft.

    Each draft is {"title", "link_url", "variants": {network: [text]}}; they share language,
    campaign and target teams. The caller wraps this in db.atomic() and audits the batch: the
    texts were built by Herald, not typed by a person, so they skip create_snippet's checks.
    """
    now = utcnow()
    expires = now + timedelta(days=int(get_setting("default_expiry_days")))
    rows = [
        {
            "title": draft["title"],
            "link_url": draft["link_url"],
            "hashtags": [],
            "campaign": campaign_id,
            "targeted": bool(team_ids),
            "status": "draft",
            "source": "feed",
            "language": language,
            "starts_at": now,
            "expires_at": expires,
            "created_at": now,
            "updated_at": now,
        }
        for draft in drafts
    ]
    ids: list[int] = []
    for i in range(0, len(rows), 100):
        # RETURNING's row order is not promised; one statement's new ids ascend in row order.
        returned = Snippet.insert_many(rows[i : i + 100]).returning(Snippet.id).tuples().execute()
        ids += sorted(sid for (sid,) in returned)
    variants = [
        {"snippet": sid, "network": network, "position": i, "text": text}
        for sid, draft in zip(ids, drafts, strict=True)
        for network, texts in draft["variants"].items()
        for i, text in enumerate(texts)
    ]
    for i in range(0, len(variants), 200):
        SnippetVariant.insert_many(variants[i : i + 200]).execute()
    teams = [{"snippet": sid, "team": t} for sid in ids for t in team_ids]
    for i in range(0, len(teams), 400):
        SnippetTeam.insert_many(teams[i : i + 400]).execute()
    return ids
