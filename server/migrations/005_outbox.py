"""901: the outbox (one row per message, written before sending), batch-job runs, and bounced addresses."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create outbox and jobrun; add the bounce columns to user."""
    migrator.add_fields(
        "user",
        email_bounced_at=pw.DateTimeField(null=True),
        email_bounce_reason=pw.TextField(null=True),
        reminders_stopped_at=pw.DateTimeField(null=True),
    )

    @migrator.create_model
    class Outbox(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=255, unique=True)
        kind = pw.CharField(max_length=255)
        recipient = pw.CharField(max_length=255)
        user = pw.ForeignKeyField(
            column_name="user_id",
            field="id",
            model=migrator.orm["user"],
            null=True,
            on_delete="CASCADE",
        )
        payload = pw.TextField()
        status = pw.CharField(default="pending", max_length=255)
        attempts = pw.IntegerField(default=0)
        last_error = pw.TextField(null=True)
        next_attempt_at = pw.DateTimeField()
        claimed_by = pw.CharField(max_length=255, null=True)
        claimed_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()
        sent_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "outbox"
            indexes = [(("status", "next_attempt_at"), False), (("kind", "status"), False)]

    @migrator.create_model
    class JobRun(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=255, unique=True)
        started_at = pw.DateTimeField()
        finished_at = pw.DateTimeField(null=True)
        progress = pw.IntegerField(default=0)

        class Meta:
            table_name = "jobrun"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the two tables and the bounce columns."""
    migrator.remove_model("jobrun")
    migrator.remove_model("outbox")
    migrator.remove_fields(
        "user", "email_bounced_at", "email_bounce_reason", "reminders_stopped_at"
    )
