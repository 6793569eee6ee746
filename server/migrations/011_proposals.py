"""910: employees propose links (server.proposals): the proposal table, and the person's switch for
the "your proposal was accepted/declined" mail (nullable: a NOT NULL column makes SQLite rebuild
the user table)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create proposal; add user.proposal_mail_stopped_at."""
    migrator.add_fields("user", proposal_mail_stopped_at=pw.DateTimeField(null=True))

    @migrator.create_model
    class Proposal(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(
            column_name="user_id", field="id", model=migrator.orm["user"], on_delete="CASCADE"
        )
        url = pw.TextField()
        title = pw.CharField(max_length=255, null=True)
        note = pw.TextField(null=True)
        status = pw.CharField(default="pending", max_length=255)
        created_at = pw.DateTimeField()
        decided_by = pw.ForeignKeyField(
            column_name="decided_by_id",
            field="id",
            model=migrator.orm["user"],
            null=True,
            on_delete="SET NULL",
        )
        accepted_at = pw.DateTimeField(null=True)
        declined_at = pw.DateTimeField(null=True)
        decline_reason = pw.TextField(null=True)
        snippet = pw.ForeignKeyField(
            column_name="snippet_id",
            field="id",
            model=migrator.orm["snippet"],
            null=True,
            on_delete="SET NULL",
        )

        class Meta:
            table_name = "proposal"
            indexes = [(("user", "created_at"), False), (("status", "created_at"), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the proposal table and the mail switch."""
    migrator.remove_model("proposal")
    migrator.remove_fields("user", "proposal_mail_stopped_at")
