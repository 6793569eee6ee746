"""What the extension's panel lists: approved snippets for the signed-in employee, on one network.

Hot path: every open composer polls it. A constant number of queries per request, whatever the
page size: memberships, the change stamp (the live set itself is in memory, see
server.suggestion_index), the page's snippets with their campaign, variants, colleague counts, links.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from datetime import datetime

from flask import Blueprint, g, jsonify, make_response, request
from peewee import SQL, fn

from server.access import access
from server.db import db
from server.errors import APIError
from server.models import (
    NETWORKS,
    Campaign,
    Membership,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    TrackedLink,
    iso,
    utcnow,
)
from server.schemas import returns
from server.snippets import query_int, text_matches
from server.suggestion_index import page_for
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
    return (
        (Snippet.status == "approved")
        & (Snippet.starts_at <= now)
        & (Snippet.expires_at > now)
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
        .order_by(Snippet.approved_at.desc(), Snippet.id.desc())
        .paginate(page, per_page)
        .tuples()
    ]
    total, latest = (
        Snippet.select(fn.COUNT(Snippet.id), fn.MAX(Snippet.approved_at))
        .where(where)
        .scalar(as_tuple=True)
    )
    return ids, total, latest


# Hot-path SQL, written once per shape: building it through peewee costs more than running it.
# Plain SQL-92 with quoted identifiers, so SQLite and PostgreSQL both take it.


def _t(model) -> str:
    return f'"{model._meta.table_name}"'


def _c(alias: str, field) -> str:
    return f'{alias}."{field.column_name}"'


@functools.cache
def _memberships_sql(param: str) -> str:
    return (
        f"SELECT {_c('m', Membership.team)} FROM {_t(Membership)} m "
        f"WHERE {_c('m', Membership.user)} = {param}"
    )


_PAGE_FIELDS = (
    Snippet.id,
    Snippet.title,
    Snippet.link_url,
    Snippet.hashtags,
    Snippet.featured,
    Snippet.starts_at,
    Snippet.expires_at,
    Snippet.approved_at,
    Snippet.updated_at,
)


@functools.lru_cache(maxsize=256)
def _page_sql(count: int, param: str) -> str:
    """The page's snippets with campaign, colleagues who shared (not me), and my link's code."""
    marks = ", ".join([param] * count)
    return (
        "SELECT "
        + ", ".join(_c("s", f) for f in _PAGE_FIELDS)
        + f", {_c('c', Campaign.id)}, {_c('c', Campaign.name)}, {_c('c', Campaign.hashtag)}, "
        f"(SELECT COUNT(DISTINCT {_c('sh', Share.user)}) FROM {_t(Share)} sh "
        f"WHERE {_c('sh', Share.snippet)} = {_c('s', Snippet.id)} AND {_c('sh', Share.user)} <> {param}), "
        f"(SELECT {_c('tl', TrackedLink.code)} FROM {_t(TrackedLink)} tl "
        f"WHERE {_c('tl', TrackedLink.user)} = {param} AND {_c('tl', TrackedLink.snippet)} = {_c('s', Snippet.id)}) "
        f"FROM {_t(Snippet)} s LEFT OUTER JOIN {_t(Campaign)} c "
        f"ON {_c('c', Campaign.id)} = {_c('s', Snippet.campaign)} "
        f"WHERE {_c('s', Snippet.id)} IN ({marks})"
    )


@functools.lru_cache(maxsize=256)
def _variants_sql(count: int, param: str) -> str:
    marks = ", ".join([param] * count)
    v = SnippetVariant
    return (
        f"SELECT {_c('v', v.snippet)}, {_c('v', v.position)}, {_c('v', v.text)} FROM {_t(v)} v "
        f"WHERE {_c('v', v.snippet)} IN ({marks}) AND {_c('v', v.network)} = {param} "
        f"ORDER BY {_c('v', v.snippet)}, {_c('v', v.position)}"
    )


def _as_datetime(value):
    """SQLite returns text, PostgreSQL datetimes; fromisoformat is far cheaper than the field's parser."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_json(value):
    return json.loads(value) if isinstance(value, str) else value


def _same(value):
    return value


# One converter per _PAGE_FIELDS column, doing what the model field would.
_CONVERTERS = (_same, _same, _same, _as_json, bool, _as_datetime, _as_datetime, _as_datetime, _same)


def _convert(row: tuple) -> tuple:
    """Raw driver values to Python ones, the way the model fields would."""
    values = [conv(v) for conv, v in zip(_CONVERTERS, row, strict=False)]
    return (*values, *row[len(_PAGE_FIELDS) :])


def with_link(text: str, link: str | None, tracked: str | None) -> str:
    """The employee's tracked link in place of the snippet's link; appended when the text lacks it."""
    if not link or not tracked:
        return text
    if link in text:
        return text.replace(link, tracked)
    return f"{text} {tracked}"


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
    campaign = query_int(args, "campaign", None, 1, 2**31)
    q = (args.get("q") or "").strip()[:200]
    user_id = g.user.id
    now = utcnow()

    team_ids = [t for (t,) in db.execute_sql(_memberships_sql(db.param), (user_id,))]
    if q:
        ids, total, latest = search_page(team_ids, network, now, q, campaign, page, per_page)
    else:
        ids, total, latest = page_for(network, team_ids, now, page, per_page, campaign)

    rows: list[tuple] = []
    texts: dict[int, list[tuple[int, str]]] = defaultdict(list)
    codes: dict[int, str] = {}
    if ids:
        found = {
            r[0]: r for r in db.execute_sql(_page_sql(len(ids), db.param), (user_id, user_id, *ids))
        }
        rows = [_convert(found[sid]) for sid in ids if sid in found]
        for sid, position, text in db.execute_sql(
            _variants_sql(len(ids), db.param), (*ids, network)
        ):
            texts[sid].append((position, text))
        codes = {r[0]: r[13] for r in rows if r[13]}
        missing = {r[0]: r[2] for r in rows if r[2] and not r[13]}
        if missing:  # first time this person sees these snippets
            codes.update(ensure_links(user_id, missing))
    shared = {r[0]: r[12] for r in rows}

    base = public_base()
    tag = hashlib.blake2b(digest_size=16)
    tag.update(f"{user_id}|{network}|{page}|{per_page}|{total}|{latest}|{base}".encode())
    for r in rows:
        tag.update(
            f"|{r[0]}:{r[8]}:{r[9]}:{r[10]}:{r[11]}:{shared[r[0]]}:{codes.get(r[0])}".encode()
        )
    etag = tag.hexdigest()
    if request.if_none_match.contains_weak(etag):  # weak comparison, as RFC 9110 says for GET
        resp = make_response("", 304)
    else:
        items = []
        for (
            sid,
            title,
            link_url,
            hashtags,
            featured,
            starts_at,
            expires_at,
            approved_at,
            _updated,
            campaign_id,
            campaign_name,
            campaign_hashtag,
            _shared,
            _code,
        ) in rows:
            link = tracked_url(codes[sid], base) if sid in codes else None
            items.append(
                {
                    "id": sid,
                    "title": title,
                    "network": network,
                    "campaign": {
                        "id": campaign_id,
                        "name": campaign_name,
                        "hashtag": campaign_hashtag,
                    }
                    if campaign_id
                    else None,
                    "hashtags": list(hashtags or []),
                    "link": link,
                    "variants": [
                        {"index": position, "text": with_link(text, link_url, link)}
                        for position, text in texts[sid]
                    ],
                    "featured": featured,
                    "colleagues_shared": shared.get(sid, 0),
                    "starts_at": iso(starts_at),
                    "expires_at": iso(expires_at),
                    "approved_at": iso(approved_at),
                }
            )
        resp = jsonify(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
            latest_approved_at=iso(latest),
        )
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = "private, no-cache"
    return resp
