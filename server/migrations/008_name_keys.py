"""950: teams and campaigns are unique by a case-folded key (server.names.name_key: NFC + casefold).

SQLite's LOWER() folds ASCII only: "ÉQUIPE-X" twice was a 500 and "équipe-x" was created beside it.
Adds `name_key`, fills it from `name`, then makes it unique. Rows whose keys already collide (made
before this check existed) keep their names; all but the oldest get the key "<key>#<id>", so the
upgrade succeeds and an admin can rename them.
"""

import unicodedata

import peewee as pw
from peewee_migrate import Migrator

TABLES = ("team", "campaign")


def name_key(text: str) -> str:
    """server.names.name_key as of this migration (frozen here: a migration must not change)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text.strip()).casefold())


def _fill_keys(database: pw.Database) -> None:
    for table in TABLES:
        seen: set[str] = set()
        rows = database.execute_sql(f'SELECT "id", "name" FROM "{table}" ORDER BY "id"').fetchall()
        for row_id, name in rows:
            key = name_key(name)
            if key in seen:
                key = f"{key}#{row_id}"
            seen.add(key)
            database.execute_sql(
                f'UPDATE "{table}" SET "name_key" = {database.param} WHERE "id" = {database.param}',
                (key, row_id),
            )


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in TABLES:
        migrator.add_fields(table, name_key=pw.CharField(max_length=255, null=True))
    if not fake:
        # Now, before add_index below marks the field unique (peewee-migrate changes the field at
        # once, and the queued add-column would then create the unique index before the fill).
        migrator()
        _fill_keys(database)
    for table in TABLES:
        migrator.add_index(table, "name_key", unique=True)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in TABLES:
        migrator.drop_index(table, "name_key")
        migrator.remove_fields(table, "name_key")
