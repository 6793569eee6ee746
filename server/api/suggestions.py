"""What the extension's panel lists: approved snippets for the signed-in employee, on one network.

Hot path: every open composer polls it. A constant number of queries per request, whatever the
page size: memberships, the page (with its campaign), the total, variants, colleague counts, links.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from flask import Blueprint, g, jsonify, make_response, request
from peewee import JOIN, SQL, fn

from server.access import access
from server.errors import APIError
from server.models import (
    NETWORKS,
    Campaign,
    Membership,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    iso,
    utcnow,
)
from server.schemas import returns
from server.snippets import query_int, text_matches
from server.tracked_links import ensure_links, public_base, tracked_url

bp = Blueprint("suggestions", __name__, url_prefix="/api/v1/suggestions")


def visible_to(user_id: int, network: str, now):
    """Approved, inside its window, aimed at one of the user's teams or everyone, with a text for `network`."""
    team_ids = [
        t for (t,) in Membership.select(Membership.team).where(Membership.user == user_id).tuples()
    ]
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

    where = visible_to(user_id, network, now)
    if campaign:
        where &= Snippet.campaign == campaign
    if q:
        where &= text_matches(q)

    rows = list(
        Snippet.select(
            Snippet.id,
            Snippet.title,
            Snippet.link_url,
            Snippet.hashtags,
            Snippet.featured,
            Snippet.starts_at,
            Snippet.expires_at,
            Snippet.approved_at,
            Snippet.updated_at,
            Campaign.id.alias("campaign_id"),
            Campaign.name.alias("campaign_name"),
            Campaign.hashtag.alias("campaign_hashtag"),
        )
        .join(Campaign, JOIN.LEFT_OUTER, on=Snippet.campaign == Campaign.id)
        .where(where)
        .order_by(Snippet.approved_at.desc(), Snippet.id.desc())
        .paginate(page, per_page)
        .tuples()
    )
    total, latest = (
        Snippet.select(fn.COUNT(Snippet.id), fn.MAX(Snippet.approved_at))
        .where(where)
        .scalar(as_tuple=True)
    )
    ids = [r[0] for r in rows]

    texts: dict[int, list[tuple[int, str]]] = defaultdict(list)
    shared: dict[int, int] = {}
    codes: dict[int, str] = {}
    if ids:
        for sid, position, text in (
            SnippetVariant.select(
                SnippetVariant.snippet, SnippetVariant.position, SnippetVariant.text
            )
            .where(SnippetVariant.snippet.in_(ids), SnippetVariant.network == network)
            .order_by(SnippetVariant.snippet, SnippetVariant.position)
            .tuples()
        ):
            texts[sid].append((position, text))
        shared = dict(
            Share.select(Share.snippet, fn.COUNT(Share.user.distinct()))
            .where(Share.snippet.in_(ids), Share.user != user_id)
            .group_by(Share.snippet)
            .tuples()
        )
        codes = ensure_links(user_id, {r[0]: r[2] for r in rows if r[2]})

    base = public_base()
    tag = hashlib.blake2b(digest_size=16)
    tag.update(f"{user_id}|{network}|{page}|{per_page}|{total}|{latest}|{base}".encode())
    for r in rows:
        tag.update(f"|{r[0]}:{r[8]}:{shared.get(r[0], 0)}:{codes.get(r[0])}".encode())
    etag = tag.hexdigest()
    if request.if_none_match.contains(etag):
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
