"""Alerts when a site turns red (server.site_health): one email per admin and one post per chat channel of a team
an admin belongs to, per site and day.

Runs from its own periodic huey task (server.jobs, every 15 minutes: "within the hour"). Idempotent through the
outbox keys (`health:<site>:<day>:<admin>`, `chat:health:<service>:<team>:<site>:<day>`): a second run the same day,
or a run on another worker, writes nothing new, so each admin hears about a red site once a day however long it
stays red. Admin channels are the chat webhooks of the admins' own teams: Herald has no separate admin channel,
and a company-wide channel would tell every employee.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext

from server import chat, site_health
from server.models import ChatWebhook, Membership, Team, User, utcnow
from server.outbox import enqueue

KIND = "health-alert"
SITE_LABELS = {"linkedin": "LinkedIn", "x": "X"}


def _figures(s: site_health.SiteWindow) -> dict[str, Any]:
    """What the alert says, frozen at the time it was written (the message may go out later)."""
    return {
        "site": s.site,
        "opened": s.total.counts["composer_opened"],
        "reasons": [
            {
                "counter": r.counter,
                "count": r.count,
                "rate": round(r.rate, 1),
                "extension": r.extension,
                "adapter": r.adapter,
            }
            for r in s.reasons
        ],
    }


def run(now: datetime | None = None) -> int:
    """Write the alerts due now; returns how many outbox rows were new."""
    now = now or utcnow()
    day = now.date().isoformat()
    red = site_health.red_sites(now)
    if not red:
        return 0
    admins = list(
        User.select().where(User.role == "admin", User.status == "active").order_by(User.id)
    )
    hooks = list(
        ChatWebhook.select(ChatWebhook, Team)
        .join(Team)
        .where(
            ChatWebhook.team.in_(
                Membership.select(Membership.team).where(
                    Membership.user.in_([a.id for a in admins])
                )
            )
        )
        .order_by(ChatWebhook.id)
    )
    written = 0
    for s in red:
        payload = {**_figures(s), "day": day}
        for admin in admins:
            written += enqueue(
                f"health:{s.site}:{day}:{admin.id}", KIND, admin.email, payload, admin.id
            )
        for hook in hooks:
            written += enqueue(
                f"chat:health:{hook.service}:{hook.team_id}:{s.site}:{day}",
                chat.KIND,
                chat._recipient(hook.service, hook.team),
                {**payload, "event": "health", "service": hook.service, "team_id": hook.team_id},
            )
    return written


def _problem_lines(p: dict) -> list[str]:
    labels = {"composer_not_found": gettext("Not found"), "insert_failed": gettext("Insert failed")}
    lines = []
    for r in p["reasons"]:
        if r["extension"] is None:
            lines.append(
                gettext(
                    "%(what)s: %(count)s times, %(rate)s %% of composer opens",
                    what=labels[r["counter"]],
                    count=r["count"],
                    rate=r["rate"],
                )
            )
        else:
            lines.append(
                gettext(
                    "%(what)s: %(count)s times, %(rate)s %% of composer opens "
                    "(extension %(extension)s, adapter v%(adapter)s)",
                    what=labels[r["counter"]],
                    count=r["count"],
                    rate=r["rate"],
                    extension=r["extension"],
                    adapter=r["adapter"],
                )
            )
    return lines


def texts(p: dict) -> dict[str, Any]:
    """Headline, intro and figures for the mail and the chat post, in the current language."""
    site = SITE_LABELS.get(p["site"], p["site"])
    return {
        "headline": gettext("Herald is failing on %(site)s", site=site),
        "intro": gettext(
            "In the last 24 hours the extension could not find the composer or insert text on %(site)s "
            "more often than the threshold allows (%(opened)s composer opens). The site may have changed "
            "its page: check the adapter and the health page.",
            site=site,
            opened=p["opened"],
        ),
        "lines": _problem_lines(p),
    }


def chat_post(p: dict, footer: str) -> chat.Post:
    t = texts(p)
    return chat.Post(t["headline"], t["intro"] + "\n" + "\n".join(t["lines"]), footer)
