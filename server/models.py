"""peewee models. Queries stay portable: no SQLite-only SQL, so PostgreSQL works through HERALD_DATABASE_URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from server.db import db
from server.names import name_key


def utcnow() -> datetime:
    """Naive UTC: portable across SQLite and PostgreSQL `timestamp` columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


class JSONField(TextField):
    """JSON kept as text: portable, and nothing here needs to query inside it."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = db


ROLES = ("admin", "employee")
USER_STATUSES = ("invited", "active", "disabled")
NETWORKS = ("linkedin", "x")
SNIPPET_STATUSES = ("draft", "approved", "archived")
SNIPPET_SOURCES = ("manual", "feed", "employee")
LANGUAGES = ("en", "ru", "el", "it", "th")


class NameKeyed:
    """Unique by `name_key` (server.names.name_key: NFC + casefold), set on every save: SQLite's
    LOWER() folds ASCII only, so "ÉQUIPE-X" and "équipe-x" were two teams, and the second
    "ÉQUIPE-X" a 500. Updates that change `name` set `name_key` too (`name_fields`)."""

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        return super().save(*args, **kwargs)


def name_fields(name: str) -> dict:
    """The columns to update when a name changes."""
    return {"name": name, "name_key": name_key(name)}


class Team(NameKeyed, BaseModel):
    name = CharField(unique=True)
    name_key = CharField(unique=True, null=True)  # null only on rows bulk-inserted by scripts
    created_at = DateTimeField(default=utcnow)


class User(BaseModel):
    email = CharField(unique=True)  # stored lower-cased
    name = CharField()
    password_hash = CharField(null=True)
    role = CharField(default="employee")
    status = CharField(default="invited", index=True)
    language = CharField(default="en")
    leaderboard_opt_in = BooleanField(default=False)
    digest_opt_in = BooleanField(default=True)
    follower_count = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    invited_at = DateTimeField(null=True)
    joined_at = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    # Access tokens issued before this instant are refused: logout and disabling take effect at once.
    tokens_valid_after = DateTimeField(null=True)
    # Set when the mail server refused the address for good (SMTP 5xx): no further mail goes to it.
    email_bounced_at = DateTimeField(null=True)
    email_bounce_reason = TextField(null=True)
    # When the person stopped automatic reminders to join (the reminder's unsubscribe link). Nullable on
    # purpose: adding a NOT NULL column makes SQLite rebuild the user table, and that cascades deletes.
    reminders_stopped_at = DateTimeField(null=True)
    # The languages the person reads, comma-separated primary subtags ("en,th"; server.languages):
    # suggestions in them come first. Null until set: at first sign-in from the browser's language.
    languages = CharField(null=True)
    # When the person stopped the "your proposal was accepted/declined" mail (its unsubscribe link).
    proposal_mail_stopped_at = DateTimeField(null=True)
    # When the person stopped the weekly recognition email (its unsubscribe link). Staying opted in to
    # recognition keeps them on the leaderboards; this stops only the mail. Nullable for the same reason.
    recognition_mail_stopped_at = DateTimeField(null=True)


class Membership(BaseModel):
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="memberships", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("user", "team")
        indexes = ((("team", "user"), False),)


class RefreshToken(BaseModel):
    token_hash = CharField(unique=True)
    family = CharField(index=True)
    user = ForeignKeyField(User, backref="refresh_tokens", on_delete="CASCADE")
    issued_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    rotated_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)


class LoginFailure(BaseModel):
    key = CharField(index=True)  # "email:<address>" or "ip:<address>"
    at = DateTimeField(default=utcnow, index=True)


class Invitation(BaseModel):
    user = ForeignKeyField(User, backref="invitations", on_delete="CASCADE")
    nonce = CharField(unique=True)
    invited_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    reminders_sent = IntegerField(default=0)
    last_sent_at = DateTimeField(default=utcnow)


class Campaign(NameKeyed, BaseModel):
    name = CharField(unique=True)
    name_key = CharField(unique=True, null=True)  # see NameKeyed
    hashtag = CharField(null=True)
    starts_at = DateTimeField(null=True)
    ends_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


class Snippet(BaseModel):
    title = CharField()
    link_url = TextField(null=True)
    hashtags = JSONField(default=list)
    campaign = ForeignKeyField(Campaign, null=True, backref="snippets", on_delete="SET NULL")
    # Denormalised "has target teams": lets the suggestions query skip the team join for "everyone".
    targeted = BooleanField(default=False)
    status = CharField(default="draft")
    featured = BooleanField(default=False)
    source = CharField(default="manual")
    language = CharField(default="en")
    starts_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_at = DateTimeField(null=True)
    archived_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    archived_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("status", "starts_at", "expires_at"), False),
            # Suggestions: newest approved first, and the cheap "did anything change?" stamp.
            (("status", "approved_at"), False),
            (("updated_at",), False),
        )


class SnippetVariant(BaseModel):
    snippet = ForeignKeyField(Snippet, backref="variants", on_delete="CASCADE")
    network = CharField()
    position = IntegerField(default=0)
    text = TextField()

    class Meta:
        indexes = ((("snippet", "network", "position"), True),)


class SnippetTeam(BaseModel):
    snippet = ForeignKeyField(Snippet, backref="target_teams", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="targeted_snippets", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("snippet", "team")
        indexes = ((("team", "snippet"), False),)


class TrackedLink(BaseModel):
    code = CharField(unique=True)
    user = ForeignKeyField(User, backref="tracked_links", on_delete="CASCADE")
    snippet = ForeignKeyField(Snippet, backref="tracked_links", on_delete="CASCADE")
    target_url = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "snippet"), True),)


class Click(BaseModel):
    link = ForeignKeyField(TrackedLink, backref="clicks", on_delete="CASCADE")
    at = DateTimeField(default=utcnow, index=True)
    referrer_host = CharField(null=True)
    ua_family = CharField(null=True)
    # A crawler or link-preview fetcher (LinkedInBot, Twitterbot, Slackbot ...): kept, never counted.
    bot = BooleanField(default=False)
    # Salted hash of address + user agent; the salt rotates daily and old salts are discarded, so
    # it only tells "the same visitor today", never who. Null for bots.
    visitor = CharField(null=True)
    # The same visitor on the same link again within the salt's day: kept, never counted.
    repeat = BooleanField(default=False)

    class Meta:
        indexes = ((("link", "visitor"), False), (("visitor", "at"), False))


class Share(BaseModel):
    event_id = CharField()  # unique per employee: see Meta
    user = ForeignKeyField(User, backref="shares", on_delete="CASCADE")
    network = CharField()
    snippet = ForeignKeyField(Snippet, null=True, backref="shares", on_delete="SET NULL")
    variant = IntegerField(null=True)
    edited = BooleanField(default=False)
    edit_distance = IntegerField(default=0)
    findings = JSONField(default=list)
    shared_at = DateTimeField(index=True)
    received_at = DateTimeField(default=utcnow)
    # Set when the event claims what the employee could not have done (server.share_validation):
    # kept, shown to its employee, left out of points, analytics, leaderboard and sharer counts.
    suspect_reason = CharField(null=True)

    class Meta:
        indexes = ((("snippet", "user"), False), (("user", "event_id"), True))


class GuidelineRule(BaseModel):
    """One rule of the company policy, kept as its policy-document JSON so the engine stays the judge."""

    rule_id = CharField(unique=True)
    position = IntegerField(default=0)
    doc = JSONField()
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = JSONField()


class AuditEntry(BaseModel):
    actor = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    action = CharField()
    object_type = CharField()
    object_id = CharField(null=True)
    before = JSONField(null=True)
    after = JSONField(null=True)
    at = DateTimeField(default=utcnow, index=True)


class ConsoleSession(BaseModel):
    """A console sign-in, kept server-side so that signing out, "sign out everywhere" and disabling
    end it for good: the cookie holds only the session's random id, and this table its hash."""

    id_hash = CharField(primary_key=True)
    user = ForeignKeyField(User, backref="console_sessions", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "console_session"
        indexes = ((("user", "revoked_at"), False),)


class OIDCTransaction(BaseModel):
    """One single sign-on attempt: its state, nonce and PKCE verifier, used at most once.

    Kept in the database, not in a cookie or a worker's memory, so a replayed state or nonce is
    refused whichever worker sees it.
    """

    key = CharField(unique=True)  # the console session or the extension holds this handle
    state = CharField(unique=True)
    nonce = CharField(unique=True)
    code_verifier = CharField()
    redirect_uri = TextField()
    purpose = CharField()  # "console" or "extension"
    next_url = TextField(null=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)
    used_at = DateTimeField(null=True)


OUTBOX_STATUSES = ("pending", "sending", "committing", "sent", "failed", "cancelled")


class Outbox(BaseModel):
    """One message to send, written before sending: its unique key makes every job idempotent.

    `sending`: a worker claimed it (claimed_by, claimed_at) and has not yet handed the whole message to the mail
    server; `committing`: the message's last byte went out and the server's answer is awaited. See server.outbox.
    """

    key = CharField(unique=True)  # e.g. "digest:<user>:<iso-week>"
    kind = CharField()
    recipient = CharField()
    user = ForeignKeyField(User, null=True, backref="+", on_delete="CASCADE")
    payload = JSONField(default=dict)
    status = CharField(default="pending")
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    next_attempt_at = DateTimeField(default=utcnow)
    claimed_by = CharField(null=True)
    claimed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    # last_error as {"code", "params"} (server.outbox.NOTES): the console shows it in the reader's language.
    note = JSONField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False), (("kind", "status"), False))


class JobRun(BaseModel):
    """A batch job that must finish once (a week's digest run): resumed after a crash until finished_at is set."""

    key = CharField(unique=True)  # e.g. "digest:2026-W49"
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    progress = IntegerField(default=0)  # the last user id enqueued: a resumed run starts after it


FEED_STATUSES = ("active", "paused", "failing")
FEED_NAMING = ("title", "source_and_title")


class FeedSource(BaseModel):
    """An RSS or Atom feed whose new entries become draft snippets (server.feeds)."""

    name = CharField()
    url = TextField()
    team_ids = JSONField(default=list)
    campaign = ForeignKeyField(Campaign, null=True, on_delete="SET NULL", backref="feed_sources")
    language = CharField(default="en")
    third_party = BooleanField(default=False)
    naming = CharField(default="title")
    status = CharField(default="active")
    consecutive_failures = IntegerField(default=0)
    etag = TextField(null=True)
    last_modified = TextField(null=True)
    last_polled_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


class FeedPoll(BaseModel):
    """One poll of a source: what the curator sees when asking "did it work?"."""

    source = ForeignKeyField(FeedSource, backref="polls", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    http_status = IntegerField(null=True)
    items_new = IntegerField(default=0)
    items_seen = IntegerField(default=0)
    error = TextField(null=True)
    warning = TextField(null=True)
    duration_ms = IntegerField(default=0)

    class Meta:
        indexes = ((("source", "at"), False),)


class FeedEntry(BaseModel):
    """A feed entry already turned into a draft: `key` (sha256 of its id, else its link) dedups
    across polls and across sources."""

    key = CharField(max_length=64, unique=True)
    source = ForeignKeyField(FeedSource, null=True, backref="entries", on_delete="SET NULL")
    snippet = ForeignKeyField(Snippet, null=True, backref="+", on_delete="SET NULL")
    link = TextField(null=True)
    third_party = BooleanField(default=False)
    findings = JSONField(default=dict)
    seen_at = DateTimeField(default=utcnow)


class ChatWebhook(BaseModel):
    """A team's incoming-webhook URL for one chat service (server.chat); the URL is never shown in full again."""

    team = ForeignKeyField(Team, backref="+", on_delete="CASCADE")
    service = CharField()  # "slack" | "teams"
    url = TextField()
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "chat_webhook"
        indexes = ((("team", "service"), True),)


PROPOSAL_STATUSES = ("pending", "accepted", "declined")


class Proposal(BaseModel):
    """A link an employee suggests for the library (server.proposals). Accepted, it becomes a draft
    snippet with `source: "employee"`; `user` and `accepted_at` are what points count."""

    user = ForeignKeyField(User, backref="proposals", on_delete="CASCADE")
    url = TextField()
    title = CharField(null=True)
    note = TextField(null=True)
    status = CharField(default="pending")
    created_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    accepted_at = DateTimeField(null=True)
    declined_at = DateTimeField(null=True)
    decline_reason = TextField(null=True)
    snippet = ForeignKeyField(Snippet, null=True, on_delete="SET NULL", backref="proposals")

    class Meta:
        indexes = ((("user", "created_at"), False), (("status", "created_at"), False))


class SiteAdapter(BaseModel):
    """One uploaded version of a network's site adapter (shared_schemas/sites/adapter). At most one
    row per network is `active`: the one GET /api/v1/sites serves; none active means the built-in
    adapter (extension/sites). Rows are never edited, so rolling back is choosing an older row."""

    network = CharField()
    version = IntegerField()
    body = JSONField()
    active = BooleanField(default=False)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "site_adapter"
        indexes = ((("network", "version"), True),)


class AdapterReport(BaseModel):
    """What one installation of the extension last said it runs: its version and the adapter
    version per network, and the last served adapter it refused (so the console can tell a bad
    upload from an old extension). One row per user and installation, updated in place."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    installation = CharField(max_length=64)
    extension_version = CharField(max_length=32)
    adapters = JSONField(default=dict)
    refused = JSONField(null=True)
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "adapter_report"
        indexes = ((("user", "installation"), True),)


class HealthBatch(BaseModel):
    """A batch of extension health counts already counted (server.site_health): its id is the
    idempotency key, so a batch resent after a lost answer is not counted twice. No user, no content."""

    batch_id = CharField(max_length=36, unique=True)
    received_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "health_batch"


class HealthCount(BaseModel):
    """How often one thing happened to Herald on one site in one hour (server.site_health)."""

    hour = DateTimeField()  # naive UTC, on the hour
    site = CharField(max_length=32)
    adapter_version = IntegerField()
    extension_version = CharField(max_length=32)
    counter = CharField(max_length=32)
    count = IntegerField(default=0)

    class Meta:
        table_name = "health_count"
        indexes = ((("hour", "site", "adapter_version", "extension_version", "counter"), True),)


ALL_MODELS = [
    Team,
    User,
    Membership,
    RefreshToken,
    LoginFailure,
    Invitation,
    Campaign,
    Snippet,
    SnippetVariant,
    SnippetTeam,
    TrackedLink,
    Click,
    Share,
    GuidelineRule,
    Setting,
    AuditEntry,
    ConsoleSession,
    OIDCTransaction,
    Outbox,
    JobRun,
    FeedSource,
    FeedPoll,
    FeedEntry,
    ChatWebhook,
    Proposal,
    SiteAdapter,
    AdapterReport,
    HealthBatch,
    HealthCount,
]
