"""Chat: a team's Slack or Microsoft Teams channel gets the weekly digest and featured posts as they go live.

Each team may have one incoming-webhook URL per service (Slack incoming webhook; Teams "workflow" webhook). The
URL is a credential (whoever has it can post to the channel), so it is shown masked once saved, never logged, and
kept out of outbox rows: a row names the team and service, and the URL is read when the message is sent.

Messages go through the outbox like mail (server.outbox): one row per message under a unique key
(`chat:digest:<service>:<team>:<week>`, `chat:featured:<service>:<team>:<snippet>`), so a retry or a second
run never posts twice. The webhook's answer decides what happens next: 2xx sent; 429 waits at least Retry-After;
5xx and network errors back off; any other 4xx is final (`failed`, with the service's answer shown on the
console's Queue page). Addresses follow the feed reader's rule (server.feeds.check_url): https to a public
address; http and private addresses only for loopback receivers when HERALD_FEED_ALLOW_PRIVATE is on.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from server.db import db
from server.models import (
    ChatWebhook,
    Outbox,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    Team,
    iso,
    utcnow,
)
from server.outbox import (
    Note,
    cancel,
    enqueue,
    mark_committing,
    mark_failed,
    mark_retry,
    mark_sent,
)
from server.settings import default_language, get_setting

log = logging.getLogger(__name__)

SERVICES = {"slack": "Slack", "teams": "Microsoft Teams"}
KIND = "chat"
SCHEMAS = {"slack": "chat/slack-message", "teams": "chat/teams-message"}
MAX_URL = 2000
MAX_ITEMS = (
    10  # Slack allows 50 blocks a message; 10 posts with their share links stay well under it
)
EXCERPT = 280
LIVE_LOOKBACK = timedelta(days=7)  # featured posts that went live this long ago are still announced


class WebhookError(Exception):
    """A webhook URL refused, with a message for the admin who typed it."""


# --- the URL ---------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(url: str) -> str:
    """The URL to store, or WebhookError: https only (http for a loopback receiver), public address."""
    from server.feeds import FeedError, FetchLimits, check_url

    url = (url or "").strip()
    if not url:
        raise WebhookError(_("Paste the webhook URL."))
    if len(url) > MAX_URL:
        raise WebhookError(_("That URL is longer than %(num)s characters.", num=MAX_URL))
    try:
        parts = urlsplit(url)
    except ValueError:
        raise WebhookError(_("That is not a URL.")) from None
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme != "https" and not (scheme == "http" and _is_loopback(host)):
        raise WebhookError(
            _(
                "Webhook URLs must start with https:// (the URL is a secret; it must not travel in clear)."
            )
        )
    limits = FetchLimits.from_config(current_app.config)
    try:
        check_url(url, limits)
    except FeedError as exc:
        raise WebhookError(str(exc).replace("fetches there", "posts there")) from None
    return url


def mask(url: str) -> str:
    """What the console and API show of a saved URL: scheme and host, then only its last four characters."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…{url[-4:]}"


def webhook_json(team_id: int) -> dict:
    """Both services for a team, configured or not (the masked URL only)."""
    saved = {w.service: w for w in ChatWebhook.select().where(ChatWebhook.team == team_id)}
    items = []
    for service, label in SERVICES.items():
        hook = saved.get(service)
        items.append(
            {
                "service": service,
                "label": label,
                "configured": hook is not None,
                "url_masked": mask(hook.url) if hook else None,
                "updated_at": iso(hook.updated_at) if hook else None,
            }
        )
    return {"team_id": team_id, "webhooks": items}


def save_webhook(actor: Any, team: Team, service: str, url: str) -> None:
    """Set (or replace) the team's URL for `service`; the audit log records only the masked form."""
    from server import audit

    url = check_webhook_url(url)
    now = utcnow()
    with db.atomic():
        old = ChatWebhook.get_or_none(ChatWebhook.team == team.id, ChatWebhook.service == service)
        if old is None:
            ChatWebhook.create(
                team=team.id, service=service, url=url, created_at=now, updated_at=now
            )
        else:
            ChatWebhook.update(url=url, updated_at=now).where(ChatWebhook.id == old.id).execute()
        audit.record(
            actor,
            "team.chat_set",
            "team",
            team.id,
            {"service": service, "url": mask(old.url)} if old else None,
            {"service": service, "url": mask(url)},
        )


def has_webhook(team_id: int, service: str) -> bool:
    return (
        ChatWebhook.select()
        .where(ChatWebhook.team == team_id, ChatWebhook.service == service)
        .exists()
    )


def remove_webhook(actor: Any, team: Team, service: str) -> bool:
    from server import audit

    with db.atomic():
        old = ChatWebhook.get_or_none(ChatWebhook.team == team.id, ChatWebhook.service == service)
        if old is None:
            return False
        old.delete_instance()
        audit.record(
            actor, "team.chat_remove", "team", team.id, {"service": service, "url": mask(old.url)}
        )
    return True


# --- what gets queued -------------------------------------------------------------------------


def _recipient(service: str, team: Team) -> str:
    return f"{SERVICES[service]}: {team.name}"[:255]


def queue_test(team: Team, service: str) -> int:
    """One test message (its own key each time: the admin asked for it); returns the outbox id."""
    key = f"chat:test:{service}:{team.id}:{secrets.token_hex(6)}"
    enqueue(
        key,
        KIND,
        _recipient(service, team),
        {"event": "test", "service": service, "team_id": team.id},
    )
    return Outbox.get(Outbox.key == key).id


def _hooks() -> list[ChatWebhook]:
    return list(ChatWebhook.select(ChatWebhook, Team).join(Team).order_by(ChatWebhook.id))


def _targets(snippet_ids: list[int]) -> dict[int, set[int]]:
    teams: dict[int, set[int]] = defaultdict(set)
    if snippet_ids:
        for sid, tid in (
            SnippetTeam.select(SnippetTeam.snippet, SnippetTeam.team)
            .where(SnippetTeam.snippet.in_(snippet_ids))
            .tuples()
        ):
            teams[sid].add(tid)
    return teams


def _visible(snippet: Snippet, team_id: int, targets: dict[int, set[int]]) -> bool:
    return not snippet.targeted or team_id in targets[snippet.id]


def _live(now: datetime):
    return (Snippet.status == "approved") & (Snippet.starts_at <= now) & (Snippet.expires_at > now)


def queue_week(week: str, now: datetime) -> int:
    """Each team channel's digest of the week: the posts approved in the last 7 days that its members see.

    Nothing is posted to a team with nothing new (an empty summary in a channel is noise)."""
    from server.digest import WINDOW

    hooks = _hooks()
    if not hooks:
        return 0
    snippets = list(
        Snippet.select(Snippet.id, Snippet.targeted, Snippet.featured, Snippet.approved_at)
        .where(_live(now), Snippet.approved_at > now - WINDOW)
        .order_by(Snippet.featured.desc(), Snippet.approved_at.desc(), Snippet.id.desc())
    )
    targets = _targets([s.id for s in snippets if s.targeted])
    written = 0
    for hook in hooks:
        ids = [s.id for s in snippets if _visible(s, hook.team_id, targets)][:MAX_ITEMS]
        if ids:
            written += enqueue(
                f"chat:digest:{hook.service}:{hook.team_id}:{week}",
                KIND,
                _recipient(hook.service, hook.team),
                {
                    "event": "digest",
                    "service": hook.service,
                    "team_id": hook.team_id,
                    "week": week,
                    "snippets": ids,
                },
            )
    return written


def queue_live_featured(now: datetime | None = None) -> int:
    """Announce featured posts that went live (approved, and their start reached) since the webhook was set.

    Runs on approval and on every worker tick (a scheduled start is noticed within a minute); the key per
    team, service and post makes it post once."""
    now = now or utcnow()
    hooks = _hooks()
    if not hooks:
        return 0
    since = now - LIVE_LOOKBACK
    snippets = list(
        Snippet.select(Snippet.id, Snippet.targeted, Snippet.approved_at, Snippet.starts_at)
        .where(
            _live(now),
            Snippet.featured == True,  # noqa: E712 - peewee expression
            (Snippet.approved_at > since) | (Snippet.starts_at > since),
        )
        .order_by(Snippet.id)
    )
    targets = _targets([s.id for s in snippets if s.targeted])
    written = 0
    for snippet in snippets:
        went_live = max(snippet.approved_at, snippet.starts_at)
        for hook in hooks:
            if went_live >= hook.created_at and _visible(snippet, hook.team_id, targets):
                written += enqueue(
                    f"chat:featured:{hook.service}:{hook.team_id}:{snippet.id}",
                    KIND,
                    _recipient(hook.service, hook.team),
                    {
                        "event": "featured",
                        "service": hook.service,
                        "team_id": hook.team_id,
                        "snippets": [snippet.id],
                    },
                )
    return written


# --- what a message says ----------------------------------------------------------------------


@dataclass
class Item:
    title: str
    text: str
    url: str | None
    shares: list[dict[str, str]]


@dataclass
class Post:
    """One chat message before it is put in a service's format."""

    headline: str
    intro: str
    footer: str
    items: list[Item] = field(default_factory=list)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _items(snippet_ids: list[int]) -> list[Item]:
    """Posts still live, in the row's order, each with its link and the composers' share links."""
    from server.digest import _share_links

    texts: dict[int, str] = {}
    for sid, text in (
        SnippetVariant.select(SnippetVariant.snippet, SnippetVariant.text)
        .where(SnippetVariant.snippet.in_(snippet_ids), SnippetVariant.network == "linkedin")
        .order_by(SnippetVariant.position.desc())
        .tuples()
    ):
        texts[sid] = text
    now = utcnow()
    live = {s.id: s for s in Snippet.select().where(Snippet.id.in_(snippet_ids), _live(now))}
    items = []
    for sid in snippet_ids:
        if sid in live:
            s = live[sid]
            text = texts.get(sid, s.title)
            items.append(
                Item(s.title, _excerpt(text), s.link_url, _share_links(s, text, s.link_url))
            )
    return items


class NothingToSay(Exception):
    """Every post of the message was archived or expired before it went out."""


def compose(row: Outbox) -> Post:
    p = row.payload
    team = Team.get_or_none(Team.id == p["team_id"])
    if team is None:
        raise NothingToSay(Note("team_deleted"))
    program = get_setting("program_name")
    footer = _(
        "%(program)s · %(service)s channel of %(team)s",
        program=program,
        service=SERVICES[p["service"]],
        team=team.name,
    )
    if p["event"] == "test":
        return Post(
            _("%(program)s is connected", program=program),
            _(
                "This channel will get %(team)s's weekly digest and featured posts as they go live.",
                team=team.name,
            ),
            footer,
        )
    if p["event"] == "health":  # a site turned red (server.health_alerts)
        from server.health_alerts import chat_post

        return chat_post(p, footer)
    items = _items(p["snippets"])
    if not items:
        raise NothingToSay(Note("posts_gone"))
    if p["event"] == "featured":
        return Post(
            _("Featured: %(title)s", title=items[0].title),
            _("A featured post is live. Share it:"),
            footer,
            items,
        )
    n = len(items)
    return Post(
        _("%(program)s weekly digest for %(team)s", program=program, team=team.name),
        ngettext(
            "%(num)s new post to share this week (%(week)s).",
            "%(num)s new posts to share this week (%(week)s).",
            n,
            week=p["week"],
        ),
        footer,
        items,
    )


def _share_label(network: str) -> str:
    return _("Share on %(network)s", network=network)


def chat_language() -> str:
    """Chat posts go to a whole channel, not one reader: the company's language (console settings)."""
    return default_language()


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as control characters; everything else passes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, label: str) -> str:
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{_slack_escape(label)}>"


def slack_message(post: Post) -> dict:
    """Block Kit: sections for the headline and each post, a context line of share links, `text` fallback."""
    blocks: list[dict] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{_slack_escape(post.headline)}*\n{_slack_escape(post.intro)}",
            },
        }
    ]
    for item in post.items:
        title = _slack_link(item.url, item.title) if item.url else _slack_escape(item.title)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{title}*\n{_slack_escape(item.text)}"},
            }
        )
        links = " · ".join(_slack_link(s["url"], _share_label(s["label"])) for s in item.shares)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(post.footer)}]}
    )
    titles = "; ".join(i.title for i in post.items)
    fallback = f"{post.headline}: {titles}" if len(post.items) > 1 else post.headline
    return {"text": fallback, "blocks": blocks}


def _md(text: str) -> str:
    """Adaptive Card TextBlocks render a markdown subset: keep brackets from turning into links."""
    return text.replace("[", "\\[").replace("]", "\\]")


def teams_message(post: Post) -> dict:
    """A Teams workflow message carrying one Adaptive Card (schema 1.4): TextBlocks and OpenUrl actions."""
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": _md(post.headline),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        {"type": "TextBlock", "text": _md(post.intro), "wrap": True},
    ]
    for item in post.items:
        title = f"[{_md(item.title)}]({item.url})" if item.url else _md(item.title)
        body.append(
            {
                "type": "TextBlock",
                "text": title,
                "weight": "Bolder",
                "wrap": True,
                "separator": True,
            }
        )
        body.append({"type": "TextBlock", "text": _md(item.text), "wrap": True})
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    {"type": "Action.OpenUrl", "title": _share_label(s["label"]), "url": s["url"]}
                    for s in item.shares
                ],
            }
        )
    body.append(
        {
            "type": "TextBlock",
            "text": _md(post.footer),
            "isSubtle": True,
            "size": "Small",
            "wrap": True,
        }
    )
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


FORMATS = {"slack": slack_message, "teams": teams_message}


def message(row: Outbox) -> dict:
    """The JSON body for `row`, checked against its service's schema before anything is sent."""
    from server.i18n import language
    from server.schemas import errors_for

    with language(chat_language()):
        body = FORMATS[row.payload["service"]](compose(row))
    problems = errors_for(SCHEMAS[row.payload["service"]], body)
    if problems:
        raise ValueError(
            f"The message does not match {SCHEMAS[row.payload['service']]}: {problems[:3]}"
        )
    return body


# --- sending ----------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is misconfigured; following it would re-post the body elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Answer:
    status: int
    body: str
    retry_after: str | None = None


def post_json(url: str, body: dict, timeout: float) -> Answer:
    """POST once; HTTP errors come back as answers, network failures as OSError."""
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    opener = urllib.request.build_opener(_NoRedirects())
    try:
        with opener.open(request, timeout=timeout) as resp:
            return Answer(resp.status, resp.read(2000).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        text = exc.read(2000).decode("utf-8", "replace") if exc.fp else ""
        return Answer(exc.code, text, exc.headers.get("Retry-After"))


def retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as delta-seconds or an HTTP date (RFC 9110), as a naive UTC time; None when absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def deliver_one(row: Outbox, worker: str) -> str:
    """Send one chat row; returns the outcome key deliver_due counts ("sent", "retry", "failed", "cancelled")."""
    from server.feeds import FeedError, FetchLimits, check_url

    service = row.payload.get("service")
    hook = ChatWebhook.get_or_none(
        ChatWebhook.team == row.payload.get("team_id"), ChatWebhook.service == service
    )
    if hook is None:
        cancel(row, worker, Note("webhook_removed", service=SERVICES.get(service, service)))
        return "cancelled"
    try:
        body = message(row)
    except NothingToSay as why:
        cancel(row, worker, why.args[0])
        return "cancelled"
    except Exception as exc:  # a broken payload must not stop the other messages
        log.exception("Cannot compose chat outbox row %s", row.id)
        mark_failed(row, worker, Note("compose_failed", error=str(exc)))
        return "failed"
    limits = FetchLimits.from_config(current_app.config)
    label = SERVICES[service]
    try:
        check_url(hook.url, limits)  # again at send time: the name may resolve elsewhere now
    except FeedError as exc:
        if str(exc).startswith(
            "Cannot resolve"
        ):  # DNS trouble passes; a forbidden address does not
            return _retry(row, worker, Note("webhook_unresolved", service=label, error=str(exc)))
        mark_failed(row, worker, Note("webhook_refused", service=label, error=str(exc)))
        return "failed"
    mark_committing(row, worker)
    try:
        answer = post_json(hook.url, body, limits.timeout)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, garbled answer
        reason = getattr(exc, "reason", exc)
        return _retry(row, worker, Note("chat_unreachable", service=label, error=str(reason)))
    if 200 <= answer.status < 300:
        mark_sent(row, worker)
        return "sent"
    text = answer.body.strip()[:300]
    said = (
        Note("chat_answered_text", service=label, status=answer.status, answer=text)
        if text
        else Note("chat_answered", service=label, status=answer.status)
    )
    if answer.status == 429:
        now = utcnow()
        wait_until = retry_after(answer.retry_after, now)
        if answer.retry_after:
            said = Note("chat_wait", error=said, seconds=answer.retry_after.strip())
        return _retry(row, worker, said, wait_until)
    if answer.status >= 500 or answer.status in (408,):
        return _retry(row, worker, said)
    mark_failed(row, worker, Note("chat_check_webhook", error=said))
    return "failed"


def _retry(row: Outbox, worker: str, error: Note, not_before: datetime | None = None) -> str:
    return "retry" if mark_retry(row, worker, error, not_before) == "pending" else "failed"
