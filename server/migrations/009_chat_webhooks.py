"""940: per-team chat webhooks (Slack incoming webhook, Microsoft Teams workflow webhook)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """One row per team and service; deleting the team deletes its webhooks."""

    @migrator.create_model
    class ChatWebhook(pw.Model):
        id = pw.AutoField()
        team = pw.ForeignKeyField(
            column_name="team_id",
            field="id",
            model=migrator.orm["team"],
            on_delete="CASCADE",
        )
        service = pw.CharField(max_length=255)
        url = pw.TextField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "chat_webhook"
            indexes = [(("team", "service"), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("chat_webhook")
