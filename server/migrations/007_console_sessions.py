"""901: server-side console sessions (revocable sign-in; idle and absolute timeouts)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """One row per console sign-in; the cookie carries the random id, the row its SHA-256."""

    @migrator.create_model
    class ConsoleSession(pw.Model):
        id_hash = pw.CharField(max_length=255, primary_key=True)
        user = pw.ForeignKeyField(
            column_name="user_id",
            field="id",
            model=migrator.orm["user"],
            on_delete="CASCADE",
        )
        created_at = pw.DateTimeField()
        last_seen_at = pw.DateTimeField()
        revoked_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "console_session"
            indexes = [(("user", "revoked_at"), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("console_session")
