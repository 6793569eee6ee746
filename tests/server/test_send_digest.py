"""`herald send-digest` end to end: the command queues the week's digest, `herald worker` sends it through a real
SMTP server (aiosmtpd), each employee gets one, and running the command again sends nothing new."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.db import db
from server.models import Outbox
from tests.mail_support import SmtpServer, start_worker, stop_worker, wait_until, worker_env
from tests.server.test_worker import _seed_employees

WEEK = "2026-W49"


@pytest.fixture
def instance(tmp_path, database_url, monkeypatch):
    """The environment a deployment gives `herald`: database, SQLite queue, SMTP, all on this machine."""
    smtp = SmtpServer().start()
    queue_url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    env = worker_env(tmp_path / "instance", database_url, queue_url, smtp.port)
    for name in [k for k in os.environ if k.startswith("HERALD_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("HERALD_"):
            monkeypatch.setenv(name, value)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "QUEUE_URL": queue_url})
    with app.app_context(), db.connection_context():
        from server.settings import set_setting

        set_setting("digest_enabled", False)  # only the digest the command asks for
    _seed_employees(app, 3)
    worker = start_worker(env, tmp_path / "worker.log")
    yield app, smtp, tmp_path / "worker.log"
    stop_worker(worker)
    smtp.stop()
    if not db.is_closed():
        db.close()


def digest_runs(log) -> int:
    """Finished digest_week jobs, from the worker's one JSON line per job."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return sum(1 for f in lines if f.get("job") == "digest_week" and f.get("status") == "ok")


def test_send_digest_delivers_one_digest_each_and_a_second_run_sends_nothing(instance):
    app, smtp, log = instance
    result = CliRunner().invoke(main, ["send-digest", "--week", WEEK])
    assert result.exit_code == 0, result.output
    assert f"Queued the digest for {WEEK}" in result.output

    wait_until(lambda: smtp.sink.count() >= 3, 30, "three digests")
    wait_until(lambda: digest_runs(log) == 1, 10, "the digest job's log line")
    per = smtp.sink.per_recipient()
    assert set(per) == {f"emp{i:05d}@acme.test" for i in range(3)} and set(per.values()) == {1}
    [msg] = smtp.sink.to("emp00000@acme.test")
    assert "Launch day" in msg.get_body(("plain",)).get_content()

    result = CliRunner().invoke(main, ["send-digest", "--week", WEEK])
    assert result.exit_code == 0, result.output
    # The job writes and delivers in one run: once its line is logged, anything new would have gone out.
    wait_until(lambda: digest_runs(log) == 2, 30, "the second digest job")
    assert smtp.sink.per_recipient() == per
    with app.app_context(), db.connection_context():
        assert [r.status for r in Outbox.select().where(Outbox.kind == "digest")] == ["sent"] * 3
