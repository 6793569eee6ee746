"""901: feed sources, their polls, and the entries already turned into drafts (server.feeds)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create feedsource, feedpoll and feedentry."""

    @migrator.create_model
    class FeedSource(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=255)
        url = pw.TextField()
        team_ids = pw.TextField()
        campaign = pw.ForeignKeyField(
            column_name="campaign_id",
            field="id",
            model=migrator.orm["campaign"],
            null=True,
            on_delete="SET NULL",
        )
        language = pw.CharField(default="en", max_length=255)
        third_party = pw.BooleanField(default=False)
        naming = pw.CharField(default="title", max_length=255)
        status = pw.CharField(default="active", max_length=255)
        consecutive_failures = pw.IntegerField(default=0)
        etag = pw.TextField(null=True)
        last_modified = pw.TextField(null=True)
        last_polled_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "feedsource"

    @migrator.create_model
    class FeedPoll(pw.Model):
        id = pw.AutoField()
        source = pw.ForeignKeyField(
            column_name="source_id",
            field="id",
            model=migrator.orm["feedsource"],
            on_delete="CASCADE",
        )
        at = pw.DateTimeField()
        http_status = pw.IntegerField(null=True)
        items_new = pw.IntegerField(default=0)
        items_seen = pw.IntegerField(default=0)
        error = pw.TextField(null=True)
        warning = pw.TextField(null=True)
        duration_ms = pw.IntegerField(default=0)

        class Meta:
            table_name = "feedpoll"
            indexes = [(("source", "at"), False)]

    @migrator.create_model
    class FeedEntry(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=64, unique=True)
        source = pw.ForeignKeyField(
            column_name="source_id",
            field="id",
            model=migrator.orm["feedsource"],
            null=True,
            on_delete="SET NULL",
        )
        snippet = pw.ForeignKeyField(
            column_name="snippet_id",
            field="id",
            model=migrator.orm["snippet"],
            null=True,
            on_delete="SET NULL",
        )
        link = pw.TextField(null=True)
        third_party = pw.BooleanField(default=False)
        findings = pw.TextField()
        seen_at = pw.DateTimeField()

        class Meta:
            table_name = "feedentry"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the feed tables, dependants first."""
    migrator.remove_model("feedentry")
    migrator.remove_model("feedpoll")
    migrator.remove_model("feedsource")
