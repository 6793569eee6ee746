"""Shares: `suspect_reason` for forged events; event ids unique per employee, not across everyone."""

import peewee as pw


def migrate(migrator, database, fake=False, **kwargs):
    migrator.add_fields("share", suspect_reason=pw.CharField(null=True))
    migrator.sql("DROP INDEX IF EXISTS share_event_id")
    migrator.sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS share_user_id_event_id ON share (user_id, event_id)"
    )


def rollback(migrator, database, fake=False, **kwargs):
    migrator.sql("DROP INDEX IF EXISTS share_user_id_event_id")
    migrator.sql("CREATE UNIQUE INDEX IF NOT EXISTS share_event_id ON share (event_id)")
    migrator.remove_fields("share", "suspect_reason")
