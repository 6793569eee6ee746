"""Background jobs on huey: delivery of the outbox, the weekly digest run, invitation reminders.

The queue lives in SQLite (`queue.sqlite3` in the instance folder) by default, or in Redis when
HERALD_QUEUE_URL=redis://... (several worker machines share it). `herald worker` runs the consumer with the
periodic tick. Huey's messages are only nudges: the outbox and JobRun tables say what is left to do, so a lost
task (a worker killed with -9 loses the one it was running) costs a delay, never a message.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, timedelta
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from server.db import db
from server.models import Outbox, utcnow
from server.request_log import log_job

log = logging.getLogger(__name__)
QUEUE_NAME = "herald"


def queue_url(app: Flask) -> str:
    url = app.config.get("QUEUE_URL")
    if url:
        return url
    if app.testing:
        return "memory://"
    return "sqlite:///" + str(Path(app.instance_path) / "queue.sqlite3")


def make_queue(url: str) -> Huey:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, utc=True)
    if url.startswith("sqlite:///"):
        return SqliteHuey(QUEUE_NAME, filename=url.removeprefix("sqlite:///"), utc=True)
    if url == "memory://":
        return MemoryHuey(QUEUE_NAME, utc=True)
    raise RuntimeError(
        f"Unsupported HERALD_QUEUE_URL: {url!r} (redis://, sqlite:///path or memory://)"
    )


def init_app(app: Flask) -> Huey:
    """The app's queue with Herald's tasks registered on it (the web process enqueues, the worker runs)."""
    huey = make_queue(queue_url(app))
    _register(huey, app)
    app.extensions["herald_queue"] = huey
    return huey


def queue(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["herald_queue"]


def nudge() -> None:
    """Deliver soon (an invitation was just written). Never fails the request that asked: the tick catches up."""
    try:
        current_app.extensions["herald_tasks"]["deliver"]()
    except Exception:  # the queue backend being away must not lose the invitation itself
        log.exception("Could not enqueue a delivery; the worker's next tick will send it")


def next_wake() -> object | None:
    """When delivery has work again: the earliest retry, or when an abandoned claim's lease runs out."""
    from server.outbox import ACTIVE, next_due_at

    lease = timedelta(seconds=int(current_app.config["OUTBOX_LEASE_SECONDS"]))
    claimed = (
        Outbox.select(Outbox.claimed_at)
        .where(Outbox.status.in_(ACTIVE))
        .order_by(Outbox.claimed_at)
        .first()
    )
    times = [t for t in (next_due_at(), claimed and claimed.claimed_at + lease) if t]
    return min(times) if times else None


def _register(huey: Huey, app: Flask) -> None:
    def in_app(fn):
        """Runs a task in the app's context and writes its one JSON log line (name, status, duration)."""

        @functools.wraps(fn)
        def run(*args, **kwargs):
            started, status = time.perf_counter(), "failed"
            try:
                with app.app_context(), db.connection_context():
                    result = fn(*args, **kwargs)
                status = "ok"
                return result
            finally:
                log_job(fn.__name__, status, (time.perf_counter() - started) * 1000)

        return run

    @huey.task(name="deliver")
    @in_app
    def deliver(wake_key: str | None = None) -> dict:
        """Send what is due, then book one follow-up for the next retry or lease expiry."""
        from server.delivery import deliver_due

        if wake_key:
            huey.get(wake_key)  # this follow-up ran: the next one may be booked again
        result = deliver_due()
        _book_follow_up()
        return result

    def _book_follow_up() -> None:
        wake = next_wake()
        if wake is None:
            return
        wake = max(wake, utcnow() + timedelta(seconds=1))
        key = f"deliver@{int(wake.replace(tzinfo=UTC).timestamp())}"
        if huey.put_if_empty(key, "1"):  # one follow-up per second, however many tasks ask
            deliver.schedule(kwargs={"wake_key": key}, eta=wake)

    @huey.task(name="digest_week")
    @in_app
    def digest_week(week: str) -> int:
        from server.delivery import deliver_due
        from server.digest import run_week

        covered = run_week(week)
        deliver_due()
        _book_follow_up()
        return covered

    @huey.periodic_task(crontab(minute="*"), name="tick")
    @in_app
    def tick() -> None:
        """Every minute: this week's digest and recognition when their hour has come, unfinished runs, due
        reminders, delivery."""
        from server.delivery import deliver_due
        from server.digest import due_week, run_week, unfinished_weeks
        from server.reminders import queue_due_reminders

        def step(what: str, fn, *args) -> None:
            # One failing step (e.g. PUBLIC_BASE_URL unset for reminder links) must not stop the others.
            try:
                fn(*args)
            except Exception:
                log.exception("The tick could not %s", what)

        week = due_week(utcnow())
        for w in sorted(set(unfinished_weeks()) | ({week} if week else set())):
            step(f"write the digest of {w}", run_week, w)
        step("write due reminders", queue_due_reminders)
        step("write the weekly recognition", _recognition)
        step("poll due feeds", _poll_feeds)
        step("announce featured posts in team chats", _announce_featured)
        step("deliver", deliver_due)
        _book_follow_up()

    def _recognition() -> None:
        """The weekly thank-you to top contributors and first-time sharers (opted-in only), once a week."""
        from server.recognition import run_due

        run_due(utcnow())

    def _poll_feeds() -> None:
        """Feed sources not polled for FEED_POLL_MINUTES; each new entry becomes a draft once (its key is unique)."""
        from server import feeds

        every = timedelta(minutes=int(app.config["FEED_POLL_MINUTES"]))
        feeds.poll_due(feeds.FetchLimits.from_config(app.config), every)

    def _announce_featured() -> None:
        """Featured posts whose scheduled start has come go to team chats (server.chat)."""
        from server.chat import queue_live_featured

        queue_live_featured()

    @huey.periodic_task(crontab(minute="*/15"), name="health_alerts")
    @in_app
    def health_alerts() -> int:
        """Every 15 minutes: alert admins about sites that turned red (server.health_alerts), once per site and day."""
        from server.delivery import deliver_due
        from server.health_alerts import run

        written = run(utcnow())
        if written:
            deliver_due()
            _book_follow_up()
        return written

    @huey.on_startup()
    def resume() -> None:
        """A restarted worker picks up at once what a killed one left (runs, claimed rows), not a minute later."""
        tick()

    app.extensions["herald_tasks"] = {
        "deliver": deliver,
        "digest_week": digest_week,
        "tick": tick,
        "health_alerts": health_alerts,
    }


def run_worker(app: Flask, workers: int = 1) -> None:
    consumer = queue(app).create_consumer(
        workers=workers, periodic=True, worker_type="thread", initial_delay=0.1, max_delay=1.0
    )
    consumer.run()
