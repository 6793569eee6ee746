"""The share queue drops what the server refuses as invalid, counts it, and keeps the rest going.

Before: one event with an out-of-range snippet id made the whole batch a 500 and the queue resent
it for ever, so that employee's later shares never arrived either.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from e2e_support import poll

pytestmark = pytest.mark.browser

ENQUEUE = """async (events) => {
  for (const e of events) await HeraldQueue.enqueue(e);
  return await HeraldQueue.flush();
}"""


def share_event(**fields) -> dict:
    base = {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "snippet_id": None,
        "variant": None,
        "edited": True,
        "edit_distance": 3,
        "findings": [],
        "shared_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    base.update(fields)
    return base


def _nested(levels: int):
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


def test_refused_events_are_dropped_and_counted_the_rest_are_stored(signed_in, live_server):
    before = {s["event_id"] for s in live_server.shares()}
    good = [share_event(), share_event(network="x")]
    refused_alone = share_event(snippet_id=2**63)  # the server rejects this one event
    refuses_the_batch = share_event(findings=[{"rule": "r", "severity": "info", "x": _nested(60)}])
    worker = signed_in.worker()
    worker.evaluate(ENQUEUE, [good[0], refused_alone, refuses_the_batch, good[1]])
    poll(lambda: signed_in.state()["queue"] == 0, timeout=60, message="an empty queue")
    stored = {s["event_id"] for s in live_server.shares()} - before
    assert stored == {e["event_id"] for e in good}
    assert worker.evaluate("async () => (await chrome.storage.local.get('dropped')).dropped") == 2

    page, frame = signed_in.open_options()
    line = poll(
        lambda: (
            frame.locator("#queue-dropped").count()
            and frame.locator("#queue-dropped").text_content()
        ),
        timeout=15,
        message="the dropped count on the options page",
    )
    assert line == "Posts the server refused as invalid (not recorded, not sent again): 2"
    # The page redraws as its other sections load (proposals, my data): scroll to whichever is current.
    poll(
        lambda: frame.evaluate(
            "() => { const e = document.querySelector('#queue-dropped');"
            " if (e) e.scrollIntoView(); return !!e; }"
        ),
        timeout=15,
        message="the dropped count in view",
    )
    page.screenshot(path="/tmp/herald-options-queue-dropped.png", full_page=True)
    page.close()
