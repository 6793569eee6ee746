"""Writes legacy_v0_sqlite.sql and legacy_v0_postgresql.sql: databases as Herald made them before migrations.

Run it ONLY with the pre-migration code (the models and `create_tables(safe=True)` of commit cda21f8, the last one
without server/migrations/): the dumps stand for databases in the field that `herald migrate` must upgrade, so
regenerating them with newer models would test nothing. Usage, from a checkout of that commit:

    .venv/bin/python tests/server/data/make_legacy_dumps.py

Every table gets rows, with Thai, Greek, emoji and NULLs, so the upgrade test can count and read them back.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from server.db import db, make_database  # noqa: E402
from server.models import (  # noqa: E402
    ALL_MODELS,
    AuditEntry,
    Campaign,
    Click,
    GuidelineRule,
    Invitation,
    LoginFailure,
    Membership,
    RefreshToken,
    Setting,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    Team,
    TrackedLink,
    User,
)
from tests.pg_support import postgres_bin_dir, start_postgres  # noqa: E402

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 1, 15, 9, 30, 0)


def populate() -> None:
    """One representative set of rows in every table, written through today's models."""
    from werkzeug.security import generate_password_hash

    pw = generate_password_hash("correct horse battery", method="pbkdf2:sha256:1000", salt_length=8)
    with db.atomic():
        sales = Team.create(name="Sales", created_at=T0)
        thai = Team.create(name="ทีมขาย กรุงเทพ", created_at=T0)
        greek = Team.create(name="Ομάδα Αθήνας 🇬🇷", created_at=T0)
        admin = User.create(
            email="admin@example.com",
            name="Ada Admin",
            password_hash=pw,
            role="admin",
            status="active",
            joined_at=T0,
            created_at=T0,
            last_login_at=T0 + timedelta(days=1),
        )
        somchai = User.create(
            email="somchai@example.com",
            name="สมชาย ใจดี",
            password_hash=pw,
            status="active",
            language="th",
            leaderboard_opt_in=True,
            follower_count=1234,
            created_at=T0,
            joined_at=T0,
            tokens_valid_after=T0,
        )
        eleni = User.create(
            email="eleni@example.com",
            name="Ελένη Παπαδοπούλου 😀",
            password_hash=pw,
            status="active",
            language="el",
            digest_opt_in=False,
            created_at=T0,
            joined_at=T0,
        )
        invited = User.create(
            email="new@example.com",
            name="Newcomer",
            password_hash=None,
            status="invited",
            created_at=T0,
            invited_at=T0,
        )
        User.create(email="gone@example.com", name="Gone", status="disabled", created_at=T0)
        Membership.create(user=somchai, team=thai)
        Membership.create(user=somchai, team=sales)
        Membership.create(user=eleni, team=greek)
        RefreshToken.create(
            token_hash="a" * 64,
            family="fam-1",
            user=somchai,
            issued_at=T0,
            expires_at=T0 + timedelta(days=30),
        )
        RefreshToken.create(
            token_hash="b" * 64,
            family="fam-1",
            user=somchai,
            issued_at=T0,
            expires_at=T0 + timedelta(days=30),
            rotated_at=T0 + timedelta(hours=1),
            revoked_at=T0 + timedelta(hours=2),
        )
        LoginFailure.create(key="email:somchai@example.com", at=T0)
        LoginFailure.create(key="ip:127.0.0.1", at=T0)
        Invitation.create(
            user=invited,
            nonce="nonce-legacy-1",
            invited_by=admin,
            created_at=T0,
            expires_at=T0 + timedelta(days=7),
            last_sent_at=T0,
            reminders_sent=1,
        )
        Invitation.create(
            user=eleni,
            nonce="nonce-legacy-2",
            invited_by=None,
            created_at=T0,
            expires_at=T0 + timedelta(days=7),
            accepted_at=T0,
            last_sent_at=T0,
        )
        launch = Campaign.create(
            name="Launch 🚀",
            hashtag="#launch",
            starts_at=T0,
            ends_at=T0 + timedelta(days=30),
            created_at=T0,
        )
        Campaign.create(name="Καμπάνια χωρίς ημερομηνίες", created_at=T0)
        everyone = Snippet.create(
            title="Our new product ✨",
            link_url="https://example.com/launch",
            hashtags=["launch", "ข่าว"],
            campaign=launch,
            status="approved",
            featured=True,
            starts_at=T0,
            expires_at=datetime(2099, 1, 1),
            created_by=admin,
            created_at=T0,
            updated_at=T0,
            approved_by=admin,
            approved_at=T0,
        )
        for_thai = Snippet.create(
            title="ข่าวสำหรับทีมขาย",
            link_url=None,
            hashtags=[],
            targeted=True,
            status="approved",
            language="th",
            starts_at=T0,
            expires_at=datetime(2099, 1, 1),
            created_by=admin,
            created_at=T0,
            updated_at=T0,
            approved_by=admin,
            approved_at=T0,
        )
        archived = Snippet.create(
            title="Παλιό νέο",
            hashtags=["παλιό"],
            status="archived",
            language="el",
            source="feed",
            starts_at=T0,
            expires_at=T0 + timedelta(days=1),
            created_at=T0,
            updated_at=T0,
            archived_by=admin,
            archived_at=T0 + timedelta(days=2),
        )
        SnippetVariant.create(
            snippet=everyone, network="linkedin", position=0, text="We launched! 🚀 Read more"
        )
        SnippetVariant.create(snippet=everyone, network="x", position=0, text="Launched 🚀")
        SnippetVariant.create(snippet=everyone, network="x", position=1, text="Second take")
        SnippetVariant.create(
            snippet=for_thai, network="linkedin", position=0, text="สวัสดีครับ ทีมขาย 🙏"
        )
        SnippetVariant.create(
            snippet=archived, network="linkedin", position=0, text="Καλημέρα κόσμε"
        )
        SnippetTeam.create(snippet=for_thai, team=thai)
        SnippetTeam.create(snippet=for_thai, team=sales)
        link = TrackedLink.create(
            code="abc123",
            user=somchai,
            snippet=everyone,
            target_url="https://example.com/launch",
            created_at=T0,
        )
        TrackedLink.create(
            code="def456",
            user=eleni,
            snippet=everyone,
            target_url="https://example.com/launch?ref=ελ",
            created_at=T0,
        )
        Click.create(link=link, at=T0, referrer_host="www.linkedin.com", ua_family="Chrome")
        Click.create(link=link, at=T0 + timedelta(minutes=5), referrer_host=None, ua_family=None)
        Share.create(
            event_id="evt-legacy-1",
            user=somchai,
            network="linkedin",
            snippet=everyone,
            variant=0,
            edited=True,
            edit_distance=7,
            findings=[{"rule": "no-emoji", "message": "ลดอีโมจิ 🙂"}],
            shared_at=T0,
            received_at=T0,
        )
        Share.create(
            event_id="evt-legacy-2",
            user=eleni,
            network="x",
            snippet=None,
            variant=None,
            findings=[],
            shared_at=T0,
            received_at=T0,
        )
        GuidelineRule.create(
            rule_id="legacy-banned-word",
            position=0,
            doc={
                "id": "legacy-banned-word",
                "type": "banned_words",
                "words": ["guarantee"],
                "message": "Μην υπόσχεστε 🙅",
            },
            created_at=T0,
            updated_at=T0,
            updated_by=admin,
        )
        Setting.create(key="org_name", value="Ακμή · บริษัท 🏢")
        Setting.create(key="digest", value={"enabled": True, "weekday": 1})
        AuditEntry.create(
            actor=admin,
            action="snippet.approve",
            object_type="snippet",
            object_id=str(everyone.id),
            before={"status": "draft"},
            after={"status": "approved"},
            at=T0,
        )
        AuditEntry.create(
            actor=None,
            action="user.invite",
            object_type="user",
            object_id=None,
            before=None,
            after={"email": "new@example.com"},
            at=T0,
        )


def commit_id() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def header(engine: str) -> str:
    return (
        f"-- Herald legacy database ({engine}), made by tests/server/data/make_legacy_dumps.py\n"
        f"-- with create_tables(safe=True) at commit {commit_id()}, before migrations existed.\n"
    )


def make_sqlite() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "legacy.sqlite3"
        db.initialize(make_database(f"sqlite:///{path}"))
        with db.connection_context():
            db.create_tables(ALL_MODELS, safe=True)
            populate()
        db.close_all()
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (HERE / "legacy_v0_sqlite.sql").write_text(header("SQLite") + text, encoding="utf-8")


def make_postgresql() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, stop = start_postgres(tmp)
        try:
            db.initialize(make_database(url))
            with db.connection_context():
                db.create_tables(ALL_MODELS, safe=True)
                populate()
            db.close_all()
            port = url.rsplit(":", 1)[1].split("/")[0]
            text = subprocess.run(
                [
                    str(postgres_bin_dir() / "pg_dump"),
                    "--no-owner",
                    "--no-privileges",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    port,
                    "-U",
                    "herald",
                    "herald",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            stop()
    (HERE / "legacy_v0_postgresql.sql").write_text(header("PostgreSQL") + text, encoding="utf-8")


if __name__ == "__main__":
    make_sqlite()
    make_postgresql()
    print("Wrote", HERE / "legacy_v0_sqlite.sql", "and", HERE / "legacy_v0_postgresql.sql")
