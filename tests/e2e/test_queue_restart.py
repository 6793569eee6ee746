"""End-to-end: the share queue survives closing the browser. Share events queued while the server
is down are still in the profile when chromium starts again with the same user-data-dir, and the
worker delivers each exactly once.

This module runs its own chromium (not the shared `browser` fixture) because it has to close and
relaunch it on one profile. Events are queued with the worker's own `queue-share` message, the one
the composer bridge sends when the employee presses Post (the composer path is covered in
test_extension.py and test_queue_eviction.py).
"""

from __future__ import annotations

import shutil
import time
import uuid
from datetime import UTC, datetime

import pytest
from e2e_support import EMPLOYEE, PASSWORD, VIEWPORT, poll, settle_first_run

from tests.browser_harness import extension_args

pytestmark = pytest.mark.browser


class Chromium:
    """One profile directory; launch and close chromium on it as often as needed."""

    def __init__(self, pw, extension_dir, user_data):
        self.pw, self.extension_dir, self.user_data = pw, extension_dir, user_data
        self.context = None
        self.extension_id = None

    def launch(self):
        self.context = self.pw.chromium.launch_persistent_context(
            str(self.user_data),
            executable_path=shutil.which("chromium"),
            headless=False,  # --headless=new in extension_args: extensions need it
            viewport=VIEWPORT,
            args=extension_args(self.extension_dir),
        )
        workers = self.context.service_workers or [
            self.context.wait_for_event("serviceworker", timeout=15000)
        ]
        extension_id = workers[0].url.split("/")[2]
        assert self.extension_id in (None, extension_id)  # same unpacked extension, same id
        if self.extension_id is None:
            settle_first_run(self.context)  # installed now: its options page opens
        self.extension_id = extension_id

    def close(self):
        self.context.close()
        self.context = None

    def extension_page(self, path: str = "options/options.html"):
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.extension_id}/{path}")
        return page

    def send(self, message: dict):
        """A message to the worker from an extension page, as the bridge and options page send."""
        page = self.extension_page()
        try:
            return page.evaluate("(m) => chrome.runtime.sendMessage(m)", message)
        finally:
            page.close()

    def queued_ids(self) -> list[str]:
        page = self.extension_page()
        try:
            return page.evaluate(
                "async () => ((await chrome.storage.local.get('queue')).queue || [])"
                ".map((q) => q.event.event_id)"
            )
        finally:
            page.close()


@pytest.fixture
def chromium(extension_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is required (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = Chromium(pw, extension_dir, tmp_path / "profile")
        browser.launch()
        yield browser
        if browser.context is not None:
            browser.close()


def share_event() -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "snippet_id": None,
        "variant": None,
        "edited": True,
        "edit_distance": 42,
        "findings": [],
        "shared_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }


def stored(live_server, ids: list[str]) -> dict[str, int]:
    counts = {i: 0 for i in ids}
    for share in live_server.shares():
        if share["event_id"] in counts:
            counts[share["event_id"]] += 1
    return counts


def test_queued_shares_survive_a_browser_restart_and_arrive_once(chromium, live_server):
    signed_in = chromium.send(
        {"type": "sign-in", "server_url": live_server.url, "email": EMPLOYEE, "password": PASSWORD}
    )
    assert signed_in["ok"], signed_in
    events = [share_event() for _ in range(4)]
    ids = [e["event_id"] for e in events]
    live_server.stop()
    try:
        for event in events:
            reply = chromium.send({"type": "queue-share", "event": event})
            assert reply["ok"], reply
        poll(lambda: sorted(chromium.queued_ids()) == sorted(ids), message="4 events queued")
        chromium.close()  # the browser quits with the events still queued
    finally:
        live_server.start()
    assert stored(live_server, ids) == {i: 0 for i in ids}
    chromium.launch()  # same profile: the worker starts and drains what the last run left
    poll(
        lambda: all(n >= 1 for n in stored(live_server, ids).values()),
        timeout=120,
        interval=0.5,
        message="each queued share on the server after the restart",
    )
    poll(lambda: chromium.queued_ids() == [], timeout=30, message="an empty queue")
    time.sleep(2)
    assert stored(live_server, ids) == {i: 1 for i in ids}
    shares = [s for s in live_server.shares() if s["event_id"] in ids]
    assert {s["edit_distance"] for s in shares} == {42}
