"""950: the weekly recognition email's one-click unsubscribe (server.recognition).

`user.recognition_mail_stopped_at`, nullable: adding a NOT NULL column makes SQLite rebuild the user
table, and that cascades deletes.
"""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("user", recognition_mail_stopped_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("user", "recognition_mail_stopped_at")
