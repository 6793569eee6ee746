"""Constants and helpers shared by the e2e conftest and tests (plain module: pytest imports
test directories without packages, so `from e2e_support import ...` works from both)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "tests" / "fixtures" / "sites"
PASSWORD = "correct horse battery staple"
EMPLOYEE = "erin@acme.test"
ADMIN = "ada@acme.test"
SUGGESTION_LINKEDIN = "We just launched Acme Cloud 🚀 Try it today and tell us what you think."
SUGGESTION_X = "Acme Cloud is live 🚀 Try it today."
VIEWPORT = {"width": 1440, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(fn, timeout: float = 10.0, interval: float = 0.05, message: str = "condition"):
    """Poll `fn` until it returns a truthy value (extension pages' CSP breaks wait_for_function)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
        except Exception as e:  # page navigating, frame detached: try again
            last = e
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}; last value: {last!r}")


# The worker's periodic poll (worker.js): the alarm name and its period in minutes.
SYNC_ALARM = "herald-sync"
SYNC_MINUTES = 5


def run_sync_alarm(worker) -> None:
    """Fire the worker's periodic sync alarm now, through its real chrome.alarms listener.

    Re-creating the alarm with `when: now` keeps its period, so the schedule is as before
    (unpacked extensions may fire alarms at any time; packed ones have a 30 s minimum)."""
    worker.evaluate(
        "([name, period]) => chrome.alarms.create(name, {when: Date.now(), periodInMinutes: period})",
        [SYNC_ALARM, SYNC_MINUTES],
    )


def badge_text(worker) -> str:
    """What the toolbar badge shows."""
    return worker.evaluate("() => chrome.action.getBadgeText({})")
