"""The outbox on a real PostgreSQL: concurrent claimers never share a row; a digest week goes out once each."""

from __future__ import annotations

import threading

import pytest

from server import create_app
from server.db import db, migrate_database
from server.models import Outbox, User
from tests.mail_support import SmtpServer
from tests.pg_support import start_postgres


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    url, stop = start_postgres(tmp_path_factory.mktemp("pg-outbox"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": url,
            "PUBLIC_BASE_URL": "http://herald.test",
        }
    )
    with app.app_context():
        migrate_database()
    yield app
    if not db.is_closed():
        db.close()
    db.obj.close_all()  # the pool's connections, before the cluster stops
    stop()


def test_concurrent_claims_on_postgresql_never_share_a_row(pg_app):
    from server.outbox import claim, enqueue_many, worker_id

    with pg_app.app_context(), db.connection_context():
        enqueue_many(
            {"key": f"k{i}", "kind": "welcome", "recipient": f"p{i}@acme.test", "payload": {}}
            for i in range(400)
        )
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(4)  # all four claim at once, or the first may take every row alone

    def claimer() -> None:
        me = worker_id()
        mine = claimed.setdefault(me, [])
        with pg_app.app_context(), db.connection_context():
            start.wait(timeout=30)
            while True:
                rows = claim(me, 3)
                mine.extend(r.id for r in rows)
                # A claimer that lost every row of its pick to another gets none: it tries again
                # while any row is still pending, as a worker does at its next wake-up.
                if not rows and not Outbox.select().where(Outbox.status == "pending").exists():
                    break

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == 400 and len(set(every)) == 400  # each row claimed exactly once
    assert sum(1 for ids in claimed.values() if ids) >= 2  # they really competed
    with pg_app.app_context(), db.connection_context():
        Outbox.delete().execute()


def test_a_digest_week_on_postgresql_goes_out_once_each(pg_app):
    from server.delivery import deliver_due
    from server.digest import run_week

    smtp = SmtpServer().start()
    pg_app.config.update(smtp.config())
    try:
        with pg_app.app_context(), db.connection_context():
            User.insert_many(
                [
                    {"email": f"e{i}@acme.test", "name": f"E {i}", "status": "active"}
                    for i in range(30)
                ]
            ).execute()
            run_week("2026-W49")
            run_week("2026-W49")
            assert deliver_due()["sent"] == 30
            assert deliver_due()["sent"] == 0
        assert len(smtp.sink.per_recipient()) == 30
        assert set(smtp.sink.per_recipient().values()) == {1}
    finally:
        smtp.stop()
