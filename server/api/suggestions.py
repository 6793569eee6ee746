"""What the extension's panel lists: approved snippets for the signed-in employee, on one network.

Must-see snippets (`featured`) come first, then the newest; each item says whether it is in one of
the employee's languages (`in_my_languages`, from the user row already read for auth), and the
panel folds the others. Hot path: every open composer polls it. Four small queries per request besides the user's row,
whatever the page size: memberships, the change stamp (the live set is in each worker's memory, see
server.suggestion_index), new shares since the last request (server.sharers) and my links' codes.
Everything else in an item is encoded once per worker (server.suggestion_items).
"""

from __future__ import annotations

import functools
import hashlib
import json

from flask import Blueprint, current_app, g, request
from peewee import SQL, fn

from server import languages, sharers, suggestion_items
from server.access import access
from server.db import db
from server.errors import APIError
from server.models import (
    NETWORKS,
    Campaign,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    TrackedLink,
    iso,
    utcnow,
)
from server.raw_sql import column, placeholders, table
from server.request_limits import MAX_INT
from server.schemas import returns
from server.snippets import query_int, text_matches
from server.suggestion_index import live_set, page_for, stamps_and_teams
from server.suggestion_items import escaped
from server.suggestion_replay import remember
from server.tracked_links import ensure_links, public_base, tracked_url

bp = Blueprint("suggestions", __name__, url_prefix="/api/v1/suggestions")


def visible_to(team_ids: list[int], network: str, now):
    """Approved, inside its window, aimed at one of the user's teams or everyone, with a text for `network`."""
    everyone = Snippet.targeted == False  # noqa: E712 (peewee builds SQL from ==)
    if team_ids:
        aimed = fn.EXISTS(
            SnippetTeam.select(SQL("1")).where(
                SnippetTeam.snippet == Snippet.id, SnippetTeam.team.in_(team_ids)
            )
        )
        everyone = everyone | aimed
    has_text = fn.EXISTS(
        SnippetVariant.select(SQL("1")).where(
            SnippetVariant.snippet == Snippet.id, SnippetVariant.network == network
        )
    )
    in_window = Snippet.campaign.is_null() | fn.EXISTS(
        Campaign.select(SQL("1")).where(
            Campaign.id == Snippet.campaign,
            Campaign.starts_at.is_null() | (Campaign.starts_at <= now),
            Campaign.ends_at.is_null() | (Campaign.ends_at > now),
        )
    )
    return (
        (Snippet.status == "approved")
        & (Snippet.starts_at <= now)
        & (Snippet.expires_at > now)
        & in_window
        & everyone
        & has_text
    )


def search_page(team_ids, network, now, q, campaign, page, per_page):
    """Full-text filtered pages go to the database: rarer, and not worth an in-memory index."""
    where = visible_to(team_ids, network, now) & text_matches(q)
    if campaign:
        where &= Snippet.campaign == campaign
    ids = [
        sid
        for (sid,) in Snippet.select(Snippet.id)
        .where(where)
        .order_by(Snippet.featured.desc(), Snippet.approved_at.desc(), Snippet.id.desc())
        .paginate(page, per_page)
        .tuples()
    ]
    total, latest = (
        Snippet.select(fn.COUNT(Snippet.id), fn.MAX(Snippet.approved_at))
        .where(where)
        .scalar(as_tuple=True)
    )
    return ids, total, latest


# Hot-path SQL, written once per shape (see server.raw_sql).


@functools.lru_cache(maxsize=256)
def _codes_sql(count: int, param: str) -> str:
    """My tracked links' codes for the page's snippets."""
    marks = placeholders(count, param)
    tl = TrackedLink
    return (
        f"SELECT {column(tl.snippet, 'tl')}, {column(tl.code, 'tl')} FROM {table(tl)} tl "
        f"WHERE {column(tl.user, 'tl')} = {param} AND {column(tl.snippet, 'tl')} IN ({marks})"
    )


@bp.get("")
@access("employee")
@returns("suggestions/response")
def index():
    args = request.args
    network = args.get("network")
    if network not in NETWORKS:
        raise APIError(
            "validation_failed",
            "Say which network: linkedin or x.",
            422,
            [{"path": "?network", "message": f"expected one of {list(NETWORKS)}"}],
        )
    page = query_int(args, "page", 1, 1, 10_000)
    per_page = query_int(args, "per_page", 20, 1, 100)
    campaign = query_int(args, "campaign", None, 1, MAX_INT)
    q = (args.get("q") or "").strip()[:200]
    user_id = g.user.id
    # The employee's languages come with the user row read to authenticate: no query of their own.
    mine = frozenset(languages.of(g.user))
    now = utcnow()

    stamped, team_ids = stamps_and_teams(user_id)
    live = live_set(network, now, stamped)
    if q:
        ids, total, latest = search_page(team_ids, network, now, q, campaign, page, per_page)
    else:
        ids, total, latest = page_for(live, team_ids, page, per_page, campaign)

    suggestion_items.fill(live.items, db, network, ids)
    ids = [sid for sid in ids if sid in live.items]  # one deleted since the live set was built
    codes: dict[int, str] = {}
    if ids:
        sharers.update(live.sharers, db, ids)
        codes = dict(db.execute_sql(_codes_sql(len(ids), db.param), (user_id, *ids)))
        new_links = {
            sid: live.items[sid].link_url
            for sid in ids
            if sid not in codes and live.items[sid].link_url
        }
        if new_links:  # first time this person sees these snippets
            codes.update(ensure_links(user_id, new_links))
    items = [live.items[sid] for sid in ids]
    shared = [live.sharers.colleagues(sid, user_id) for sid in ids]

    base = public_base()
    etag = hashlib.blake2b(
        "|".join(
            [
                f"{user_id}|{network}|{page}|{per_page}|{total}|{latest}|{base}|{sorted(mine)}",
                *(
                    f"{sid}:{item.version}:{colleagues}:{codes.get(sid)}"
                    for sid, item, colleagues in zip(ids, items, shared, strict=True)
                ),
            ]
        ).encode(),
        digest_size=16,
    ).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    # Weak comparison, as RFC 9110 says for GET; most polls carry the ETag of the last answer.
    if not q:  # searches read the database directly: not replayed
        remember(request.environ, network, live, etag)
    if "If-None-Match" in request.headers and request.if_none_match.contains_weak(etag):
        return current_app.response_class(status=304, headers=headers)
    # Assembled from pre-encoded items (server.suggestion_items), not re-encoded per request.
    # Link codes are URL-safe base64, so escaping the base once escapes every link.
    links = escaped(tracked_url("", base))
    encoded = ",".join(
        item.to_json(
            links + codes[sid] if sid in codes else None,
            colleagues,
            not item.language or item.language in mine,
        )
        for sid, item, colleagues in zip(ids, items, shared, strict=True)
    )
    body = (
        f'{{"items":[{encoded}],"page":{page},"per_page":{per_page},"total":{total},'
        f'"latest_approved_at":{json.dumps(iso(latest))}}}'
    )
    resp = current_app.response_class(
        body.encode(), headers=headers, content_type="application/json"
    )
    return resp


index.conditional = True  # 304 on If-None-Match
index.required_query_parameters = ("network",)
index.query_parameters = {
    "network": {"enum": list(NETWORKS), "description": "Which composer the texts are for."},
    "q": {"type": "string", "maxLength": 200, "description": "Part of the title or a text."},
    "campaign": {"type": "integer", "minimum": 1, "maximum": MAX_INT},
    "page": {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
}
