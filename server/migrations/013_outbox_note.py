"""930: an outbox row's note as a code and its parameters (server.outbox.NOTES), so the console shows why a
message waits, failed or was cancelled in the reader's language; `last_error` keeps the English text.

Nullable: rows written before it show their `last_error` as it is.
"""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("outbox", note=pw.TextField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("outbox", "note")
