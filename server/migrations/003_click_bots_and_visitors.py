"""Clicks: flag bot/preview fetches and repeats; keep a daily-salted visitor hash (never the address)."""

import peewee as pw


def migrate(migrator, database, fake=False, **kwargs):
    migrator.add_fields(
        "click",
        bot=pw.BooleanField(default=False),
        visitor=pw.CharField(null=True),
        repeat=pw.BooleanField(default=False),
    )
    migrator.sql("CREATE INDEX IF NOT EXISTS click_link_id_visitor ON click (link_id, visitor)")
    migrator.sql("CREATE INDEX IF NOT EXISTS click_visitor_at ON click (visitor, at)")


def rollback(migrator, database, fake=False, **kwargs):
    migrator.sql("DROP INDEX IF EXISTS click_visitor_at")
    migrator.sql("DROP INDEX IF EXISTS click_link_id_visitor")
    migrator.remove_fields("click", "bot", "visitor", "repeat")
