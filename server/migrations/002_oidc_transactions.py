"""Single sign-on (OpenID Connect): one row per sign-in attempt, its state and nonce used once."""

import datetime as dt

import peewee as pw


def migrate(migrator, database, fake=False, **kwargs):
    @migrator.create_model
    class OIDCTransaction(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=255, unique=True)
        state = pw.CharField(max_length=255, unique=True)
        nonce = pw.CharField(max_length=255, unique=True)
        code_verifier = pw.CharField(max_length=255)
        redirect_uri = pw.TextField()
        purpose = pw.CharField(max_length=255)
        next_url = pw.TextField(null=True)
        created_at = pw.DateTimeField(default=dt.datetime.utcnow)
        expires_at = pw.DateTimeField(index=True)
        used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "oidctransaction"


def rollback(migrator, database, fake=False, **kwargs):
    migrator.remove_model("oidctransaction")
