"""What each kind of outbox row says: subject, text and HTML parts, and its unsubscribe link if it has one.

Rendering happens at send time from the row's payload and the person's current record, so a message to someone
who has since opted out, bounced, joined or been disabled is cancelled instead of sent.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from functools import lru_cache

from flask import current_app, render_template
from flask_babel import format_date, get_locale, gettext, ngettext
from markupsafe import escape

from server import unsubscribe
from server.db import db
from server.i18n import language as in_language
from server.mailer import Mail
from server.models import Invitation, Outbox, Proposal, User
from server.outbox import Note
from server.raw_sql import column, table
from server.settings import get_setting


@lru_cache(maxsize=4)
def _user_sql(param: str) -> str:
    """One person by id, as text once: compose reads the current record for every message (a
    digest run: one per employee), and peewee spent more composing the query than running it."""
    fields = ", ".join(column(f) for f in User._meta.sorted_fields)
    return f"SELECT {fields} FROM {table(User)} WHERE {column(User.id)} = {param}"


def _user(user_id: int) -> User | None:
    return next(iter(User.raw(_user_sql(db.param), user_id)), None)


class NotWanted(Exception):
    """The message should not go out any more (the reason, `note`, is recorded on the row)."""

    def __init__(self, code: str, **params: object) -> None:
        self.note = Note(code, **params)
        super().__init__(self.note)


def _program(cache: dict) -> str:
    """The program's name, read once per delivery batch (a digest run renders thousands of messages)."""
    if "program_name" not in cache:
        cache["program_name"] = get_setting("program_name")
    return cache["program_name"]


def _common(
    user: User | None, subject: str, unsubscribe_url: str | None, why: str, program: str
) -> dict:
    return {
        "program_name": program,
        "language": str(get_locale()),  # compose's: the person's, else the company's
        "subject": subject,
        "unsubscribe_url": unsubscribe_url,
        "why": why,
        "base_url": (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/"),
    }


def _mail(
    kind: str, row: Outbox, user: User | None, subject: str, unsub: str | None, **ctx
) -> Mail:
    context = _common(user, subject, unsub, ctx.pop("why", ""), ctx.pop("program")) | ctx
    return Mail(
        to=row.recipient,
        subject=subject,
        text=render_template(f"mail/{kind}.txt", **context),
        html=render_template(f"mail/{kind}.html", **context),
        language=context["language"],
        unsubscribe_url=unsub,
    )


def compose(row: Outbox, cache: dict | None = None) -> Mail:
    """The message for `row` in its recipient's language, or NotWanted when it must not be sent any more."""
    user = _user(row.user_id) if row.user_id else None
    with in_language(user.language if user is not None else None):
        return _compose(row, user, cache)


def _compose(row: Outbox, user: User | None, cache: dict | None) -> Mail:
    if user is not None and user.email_bounced_at is not None:
        raise NotWanted("bounced_earlier", email=user.email, answer=user.email_bounce_reason or "")
    if user is not None and user.status == "disabled":
        raise NotWanted("account_disabled")
    cache = {} if cache is None else cache
    p = row.payload
    program = _program(cache)
    if row.kind in ("invitation", "reminder"):
        invitation = Invitation.get_or_none(Invitation.id == p["invitation_id"])
        if invitation is None or invitation.accepted_at is not None or user.status != "invited":
            raise NotWanted("joined")
        if row.kind == "reminder" and user.reminders_stopped_at is not None:
            raise NotWanted("reminders_off")
        if row.kind == "invitation":
            return _mail(
                "invitation",
                row,
                user,
                gettext("You are invited to %(program)s", program=program),
                None,
                program=program,
                name=user.name,
                url=p["url"],
                inviter=p.get("inviter"),
                expires=_expires(invitation),
            )
        return _mail(
            "reminder",
            row,
            user,
            gettext("Reminder: your invitation to %(program)s", program=program),
            unsubscribe.url(user.id, "reminders"),
            why=gettext("you were invited and have not joined"),
            program=program,
            name=user.name,
            url=p["url"],
            days=p["days"],
            expires=_expires(invitation),
        )
    if row.kind == "welcome":
        return _mail(
            "welcome",
            row,
            user,
            gettext("Welcome to %(program)s", program=program),
            None,
            program=program,
            name=user.name,
            email=user.email,
            digest=user.digest_opt_in,
        )
    if row.kind in ("proposal-accepted", "proposal-declined"):
        return proposal_mail(row, user, program)
    if row.kind == "digest":
        if user is None or not user.digest_opt_in or user.status != "active":
            raise NotWanted("digest_off")
        return digest_mail(row, user, cache)
    if row.kind == "recognition":
        if user is None or not user.leaderboard_opt_in or user.status != "active":
            raise NotWanted("recognition_off")
        if user.recognition_mail_stopped_at is not None:
            raise NotWanted("recognition_unsubscribed")
        return recognition_mail(row, user, cache)
    if row.kind == "health-alert":
        return health_alert_mail(row, user, program)
    raise NotWanted("unknown_kind", kind=repr(row.kind))


def _expires(invitation: Invitation) -> str:
    """The link's last day in the company's time zone, written the recipient's way."""
    return format_date(invitation.expires_at, "long")


# What differs between two people who get the same posts with the same week in numbers: their name, their
# unsubscribe link and their tracked-link codes. Those are rendered as marks (letters and digits, random per
# process: no post can contain them, and URL quoting and HTML escaping leave them as they are) and put in per
# person; the templates run once per audience group instead of once per person (they were most of the cost).
_MARK = "hx" + secrets.token_hex(6)
_NAME, _UNSUB = _MARK + "nm", _MARK + "us"
_CODE = re.compile(
    r"[A-Za-z0-9_-]+"
)  # tracked_links.new_code: URL-safe, unchanged by quoting and escaping
GROUPS_KEPT = 64  # rendered groups kept per delivery batch (bounded: memory stays flat)


def _code_mark(i: int) -> str:
    return f"{_MARK}cd{i}z"


def digest_mail(row: Outbox, user: User, cache: dict) -> Mail:
    from server.digest import link_codes, live_snippets

    p = row.payload
    live = live_snippets(p["snippets"], cache)
    codes = link_codes(user.id, live, cache)
    points = p.get("points") if user.leaderboard_opt_in else None
    stats = {"shares": p["shares"], "clicks": p["clicks"], "points": points}
    unsub = unsubscribe.url(user.id, "digest")
    if not all(_CODE.fullmatch(code) for code in codes.values()):
        return _digest_render(row, user, live, codes, stats, cache, user.name, unsub)
    groups: OrderedDict = cache.setdefault("digest_groups", OrderedDict())
    key = (
        str(get_locale()),
        tuple(live),
        tuple(sid in codes for sid in live),
        tuple(stats.values()),
    )
    group = groups.get(key)
    if group is None:
        marks = {sid: _code_mark(i) for i, sid in enumerate(live) if sid in codes}
        group = _digest_render(row, user, live, marks, stats, cache, _NAME, _UNSUB)
        groups[key] = group
        if len(groups) > GROUPS_KEPT:
            groups.popitem(last=False)
    else:
        groups.move_to_end(key)
    text, html = group.text, group.html
    for i, sid in enumerate(live):
        if sid in codes:
            text = text.replace(_code_mark(i), codes[sid])
            html = html.replace(_code_mark(i), codes[sid])
    name = user.name or ""
    text = text.replace(_UNSUB, unsub).replace(_NAME, name)
    html = html.replace(_UNSUB, str(escape(unsub))).replace(_NAME, str(escape(name)))
    return Mail(
        to=row.recipient,
        subject=group.subject,
        text=text,
        html=html,
        language=group.language,
        unsubscribe_url=unsub,
    )


def _digest_render(
    row: Outbox,
    user: User,
    live: list[int],
    codes: dict[int, str],
    stats: dict,
    cache: dict,
    name: str,
    unsub: str,
) -> Mail:
    from server.digest import share_items

    items = share_items(live, codes, cache)
    program = _program(cache)
    subject = (
        ngettext(
            "%(program)s: %(num)d new post to share this week",
            "%(program)s: %(num)d new posts to share this week",
            len(items),
            program=program,
        )
        if items
        else gettext("%(program)s: your week", program=program)
    )
    return _mail(
        "digest",
        row,
        user,
        subject,
        unsub,
        why=gettext("the weekly digest is on in your options"),
        program=program,
        name=name,
        items=items,
        must_see=any(i["featured"] for i in items),
        stats=stats,
    )


def recognition_mail(row: Outbox, user: User, cache: dict) -> Mail:
    """The weekly thank-you, from the admin's templates (server.recognition.mail_texts)."""
    from server.recognition import mail_texts

    program = _program(cache)
    texts = mail_texts(row.payload, user.name, program)
    return _mail(
        "recognition",
        row,
        user,
        texts["subject"],
        unsubscribe.url(user.id, "recognition"),
        why=gettext("you opted in to recognition in your options"),
        program=program,
        paragraphs=texts["paragraphs"],
    )


def proposal_mail(row: Outbox, user: User | None, program: str) -> Mail:
    """ "Your proposal was accepted / declined": a notification, so it carries a one-click
    unsubscribe (topic `proposals`) and is dropped for people who used it."""
    if user is None or user.proposal_mail_stopped_at is not None:
        raise NotWanted("proposals_off")
    proposal = Proposal.get_or_none(Proposal.id == row.payload["proposal_id"])
    if proposal is None:
        raise NotWanted("proposal_deleted")
    accepted = row.kind == "proposal-accepted"
    return _mail(
        row.kind,
        row,
        user,
        gettext("%(program)s: your suggested link was accepted", program=program)
        if accepted
        else gettext("%(program)s: your suggested link was declined", program=program),
        unsubscribe.url(user.id, "proposals"),
        why=gettext("you suggested a link to share"),
        program=program,
        name=user.name,
        url=proposal.url,
        title=proposal.title,
        reason=proposal.decline_reason,
    )


def health_alert_mail(row: Outbox, user: User | None, program: str) -> Mail:
    """A site turned red (server.health_alerts): to admins only, so it is dropped for someone who is not one any
    more. An operational alert, not a newsletter: no unsubscribe (the threshold is on the health page)."""
    from server.health_alerts import texts

    if user is None or user.role != "admin":
        raise NotWanted("not_admin")
    t = texts(row.payload)
    return _mail(
        "health-alert",
        row,
        user,
        gettext("%(program)s: %(headline)s", program=program, headline=t["headline"]),
        None,
        program=program,
        name=user.name,
        intro=t["intro"],
        lines=t["lines"],
        url=(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/") + "/admin/health",
    )
