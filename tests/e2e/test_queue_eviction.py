"""End-to-end: the share queue survives the service worker being stopped (Chrome evicts idle
workers at will). Posts made while the server is down wait in chrome.storage; the worker is then
stopped through the DevTools protocol, the server comes back, and only the worker's own alarm
wakes it: every queued event reaches the server exactly once."""

from __future__ import annotations

import time

import pytest
from e2e_support import poll

pytestmark = pytest.mark.browser


def queued_ids(browser) -> list[str]:
    """The queue as chrome.storage holds it, read from an extension page (not through the
    worker: Playwright keeps a stale handle on a worker that Chrome stopped)."""
    page = browser.context.new_page()
    try:
        page.goto(browser.extension_url("options/options.html"))
        return page.evaluate(
            "async () => ((await chrome.storage.local.get('queue')).queue || [])"
            ".map((q) => q.event.event_id)"
        )
    finally:
        page.close()


class DevTools:
    """A DevTools protocol session on a blank page: sees and stops service workers."""

    def __init__(self, browser):
        self.browser = browser
        self.page = browser.context.new_page()
        self.cdp = browser.context.new_cdp_session(self.page)
        self.cdp.send("ServiceWorker.enable")

    def worker_running(self) -> bool:
        targets = self.cdp.send("Target.getTargets")["targetInfos"]
        return any(
            t["type"] == "service_worker" and self.browser.extension_id in t["url"] for t in targets
        )

    def stop_service_worker(self) -> None:
        """What Chrome does to an idle worker: stop it (its in-memory timers die with it)."""
        assert self.worker_running()
        self.cdp.send("ServiceWorker.stopAllWorkers")
        poll(lambda: not self.worker_running(), timeout=15, message="the service worker stopped")

    def close(self) -> None:
        self.cdp.detach()
        self.page.close()


def stored(live_server, ids: list[str]) -> dict[str, int]:
    counts = {i: 0 for i in ids}
    for share in live_server.shares():
        if share["event_id"] in counts:
            counts[share["event_id"]] += 1
    return counts


def test_queued_shares_survive_a_stopped_worker_and_arrive_once(
    open_composer, live_server, signed_in
):
    devtools = DevTools(signed_in)
    live_server.stop()
    try:
        composer = open_composer("x")
        for i in range(3):
            composer.page.click("[data-testid=tweetTextarea_0]")
            composer.page.keyboard.type(f"Queued while offline, post {i}", delay=5)
            poll(
                lambda i=i: composer.model_text().endswith(f"post {i}"),
                message=f"post {i} typed",
            )
            composer.press_post()
            poll(lambda: composer.model_text() == "", message="the site cleared the composer")
        poll(lambda: len(queued_ids(signed_in)) == 3, timeout=15, message="3 events queued")
        ids = queued_ids(signed_in)
        composer.page.close()  # nothing left that would message the worker and wake it
        devtools.stop_service_worker()
    finally:
        live_server.start()
    assert stored(live_server, ids) == {i: 0 for i in ids}
    # No page talks to the worker now: only its persisted chrome.alarms entry can wake it.
    poll(devtools.worker_running, timeout=120, interval=0.5, message="the alarm woke the worker")
    poll(
        lambda: all(n >= 1 for n in stored(live_server, ids).values()),
        timeout=60,
        interval=0.5,
        message="each queued share on the server after the worker was stopped",
    )
    devtools.close()
    poll(lambda: queued_ids(signed_in) == [], timeout=30, message="an empty queue")
    time.sleep(2)
    assert stored(live_server, ids) == {i: 1 for i in ids}
