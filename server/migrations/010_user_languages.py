"""930: `user.languages`, the languages an employee reads (server.languages); suggestions in them come first.

Nullable: a NOT NULL column makes SQLite rebuild the user table, and that cascades deletes.
"""

import peewee as pw


def migrate(migrator, database, fake=False, **kwargs):
    migrator.add_fields("user", languages=pw.CharField(max_length=255, null=True))


def rollback(migrator, database, fake=False, **kwargs):
    migrator.remove_fields("user", "languages")
