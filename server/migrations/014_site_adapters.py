"""910: site adapters served by the company server (server.site_adapters): the uploaded versions
per network, and what each extension installation reports it runs."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create site_adapter and adapter_report."""

    @migrator.create_model
    class SiteAdapter(pw.Model):
        id = pw.AutoField()
        network = pw.CharField(max_length=255)
        version = pw.IntegerField()
        body = pw.TextField()
        active = pw.BooleanField(default=False)
        uploaded_by = pw.ForeignKeyField(
            column_name="uploaded_by_id",
            field="id",
            model=migrator.orm["user"],
            null=True,
            on_delete="SET NULL",
        )
        uploaded_at = pw.DateTimeField()

        class Meta:
            table_name = "site_adapter"
            indexes = [(("network", "version"), True)]

    @migrator.create_model
    class AdapterReport(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(
            column_name="user_id", field="id", model=migrator.orm["user"], on_delete="CASCADE"
        )
        installation = pw.CharField(max_length=64)
        extension_version = pw.CharField(max_length=32)
        adapters = pw.TextField()
        refused = pw.TextField(null=True)
        first_seen_at = pw.DateTimeField()
        last_seen_at = pw.DateTimeField()

        class Meta:
            table_name = "adapter_report"
            indexes = [(("user", "installation"), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop both tables."""
    migrator.remove_model("adapter_report")
    migrator.remove_model("site_adapter")
