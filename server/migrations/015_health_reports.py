"""920: health reports from the extension (server.site_health): counts per hour, site, adapter
version, extension version and counter, and the batch ids already counted (idempotency). No user
and no content: the table cannot say who wrote what."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create health_batch and health_count."""

    @migrator.create_model
    class HealthBatch(pw.Model):
        id = pw.AutoField()
        batch_id = pw.CharField(max_length=36, unique=True)
        received_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "health_batch"

    @migrator.create_model
    class HealthCount(pw.Model):
        id = pw.AutoField()
        hour = pw.DateTimeField()
        site = pw.CharField(max_length=32)
        adapter_version = pw.IntegerField()
        extension_version = pw.CharField(max_length=32)
        counter = pw.CharField(max_length=32)
        count = pw.IntegerField(default=0)

        class Meta:
            table_name = "health_count"
            indexes = [(("hour", "site", "adapter_version", "extension_version", "counter"), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop both tables."""
    migrator.remove_model("health_count")
    migrator.remove_model("health_batch")
