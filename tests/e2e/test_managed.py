"""Enterprise deployment: the server URL set (and locked) by browser policy reaches the options page.

Chromium reads extension policy ("3rdparty") from /etc/chromium/policies/managed/*.json at start,
keyed by extension id: the test writes one file for this build's id only (an unpacked extension's
id is derived from its path, so no other extension on the machine is affected) and removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from e2e_support import poll

pytestmark = pytest.mark.browser

POLICY_DIR = Path("/etc/chromium/policies/managed")
COMPANY_SERVER = "https://herald.acme.example"


def unpacked_extension_id(path: Path) -> str:
    """Chromium's id for an unpacked extension: sha256 of its absolute path, hex digits as a-p."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@pytest.fixture(scope="module")
def company_policy(extension_dir):
    if not os.access("/etc", os.W_OK):
        pytest.fail(
            "writing Chromium's policy folder needs root (the CI and bootstrap run as root)"
        )
    extension_id = unpacked_extension_id(extension_dir)
    POLICY_DIR.mkdir(parents=True, exist_ok=True)
    path = POLICY_DIR / f"herald-test-{extension_id}.json"
    policy = {
        "3rdparty": {
            "extensions": {extension_id: {"server_url": COMPANY_SERVER, "lock_server_url": True}}
        }
    }
    path.write_text(json.dumps(policy), "utf-8")
    yield extension_id
    path.unlink(missing_ok=True)


def test_the_company_server_is_filled_in_and_locked(company_policy, browser):
    assert browser.extension_id == company_policy
    page, frame = browser.open_options()
    field = frame.locator("#server-url")
    poll(lambda: field.count() and field.input_value() == COMPANY_SERVER, message="managed URL")
    assert field.get_attribute("readonly") is not None
    assert frame.locator("#server-url-help").text_content() == "Set by your company."
    # The worker signs in to the locked server only, whatever a page sends.
    state = page.evaluate("() => chrome.runtime.sendMessage({type: 'get-state'})")
    assert state["managed"] == {"server_url": COMPANY_SERVER, "locked": True}
    seen = []
    browser.context.on("request", lambda request: seen.append(request.url))
    page.evaluate(
        "() => chrome.runtime.sendMessage({type: 'sign-in', server_url: 'http://127.0.0.1:9',"
        " email: 'erin@acme.test', password: 'x'})"
    )
    assert any(url.startswith(COMPANY_SERVER) for url in seen), seen
    assert not any("127.0.0.1:9/" in url for url in seen)
    page.close()


def test_a_pages_panel_does_not_wait_for_the_company_policy(browser):
    """The first read of chrome.storage.managed in a browser session takes 0.5-2 s (measured:
    the first page's cards 1.9-2.8 s after its panel frame was made, 0.35-0.66 s without that
    read). A page's panel (get-state for one network, as the bridge asks) does not read it; the
    options page (get-state without a network) does, and shows it."""
    worker = browser.worker()
    worker.evaluate(
        """() => {
          if (self.__managedReads !== undefined) return;
          self.__managedReads = 0;
          const area = chrome.storage.managed;
          const get = area.get.bind(area);
          area.get = (...args) => { self.__managedReads += 1; return get(...args); };
        }"""
    )
    page, _ = browser.open_options()
    reads = worker.evaluate("() => self.__managedReads")
    state = page.evaluate(
        "() => chrome.runtime.sendMessage({type: 'get-state', network: 'x', policy_json: true})"
    )
    assert worker.evaluate("() => self.__managedReads") == reads
    assert "managed" not in state and "signed_in" in state and "settings" in state
    state = page.evaluate("() => chrome.runtime.sendMessage({type: 'get-state'})")
    assert worker.evaluate("() => self.__managedReads") == reads + 1
    assert set(state["managed"]) == {"server_url", "locked"}
    page.close()
