"""Constants and helpers shared by the e2e conftest and tests (plain module: pytest imports
test directories without packages, so `from e2e_support import ...` works from both)."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
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


# ------------------------------------------------------------------------------------------------
# Live server (here, not in conftest.py: tests import it, and "conftest" names several modules)


@dataclass
class LiveServer:
    instance: Path
    port: int
    env: dict
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    snippets: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.instance / "herald.sqlite3"

    def cli(self, *args: str, stdin: str | None = None) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "server.cli", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0:
            raise RuntimeError(f"herald {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def start(self) -> None:
        assert self.proc is None
        code = (
            "import sys\n"
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from e2e_support import CaptureRequests\n"
            "from server import create_app\n"
            "app = create_app()\n"
            f"app.wsgi_app = CaptureRequests(app.wsgi_app, {str(self.capture_path)!r})\n"
            f"app.run(host='127.0.0.1', port={self.port}, threaded=True, use_reloader=False)\n"
        )
        self.log_path = self.instance / "server.log"
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        poll(self._up, timeout=30, message=f"server on {self.url} (log: {self.log_path})")

    def _up(self) -> bool:
        if self.proc and self.proc.poll() is not None:
            raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/program", timeout=1) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    @property
    def capture_path(self) -> Path:
        return self.instance / "requests.jsonl"

    @contextmanager
    def capture(self):
        """Every request the server receives while the block runs (method, path, query, headers,
        body), as CaptureRequests wrote them; read with the yielded function."""
        self.capture_path.write_text("")
        try:
            yield lambda: [
                json.loads(line)
                for line in self.capture_path.read_text(encoding="utf-8").splitlines()
            ]
        finally:
            self.capture_path.unlink(missing_ok=True)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def api(self, method: str, path: str, body=None, token: str | None = None):
        req = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            return json.loads(raw) if raw else None

    def login(self, email: str) -> str:
        return self.api("POST", "/auth/login", {"email": email, "password": PASSWORD})[
            "access_token"
        ]

    def approve_snippet(
        self, title: str, texts: dict[str, list[str]], featured: bool = False
    ) -> int:
        """A new snippet created and approved by the admin through the API, as the console does."""
        token = self.login(ADMIN)
        body = {"title": title, "variants": texts, "featured": featured}
        snippet = self.api("POST", "/snippets", body, token)
        self.api("POST", f"/snippets/{snippet['id']}/approve", {}, token)
        return snippet["id"]

    def shares(self) -> list[dict]:
        """Share rows as stored by the server (read straight from its database)."""
        con = sqlite3.connect(self.db_path)
        con.row_factory = sqlite3.Row
        try:
            rows = con.execute("SELECT * FROM share ORDER BY id").fetchall()
        finally:
            con.close()
        out = []
        for row in rows:
            d = dict(row)
            d["findings"] = (
                json.loads(d["findings"])
                if isinstance(d.get("findings"), str)
                else d.get("findings")
            )
            out.append(d)
        return out


def settle_first_run(context, timeout_ms: int = 5000) -> None:
    """On install the extension opens its options page (first run): let that navigation land
    before a test opens pages of its own, or it may interrupt theirs. A relaunch opens none."""
    for _ in range(timeout_ms // 50):
        if any("options/options.html" in p.url for p in context.pages):
            return
        context.pages[0].wait_for_timeout(50)


class CaptureRequests:
    """WSGI middleware of the e2e live server: while `path` exists (LiveServer.capture creates it),
    each request is appended to it as one JSON line, body included; without the file (the default)
    it only checks for it. Tests read what the extension really sent where no browser-side capture
    exists (Firefox through Marionette)."""

    def __init__(self, app, path: str):
        self.app = app
        self.path = Path(path)
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if self.path.exists():
            import io

            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            entry = {
                "method": environ["REQUEST_METHOD"],
                "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                "headers": {
                    k[5:].replace("_", "-").lower(): v
                    for k, v in environ.items()
                    if k.startswith("HTTP_")
                },
                "body": body.decode("utf-8", "replace"),
            }
            with self.lock, self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")
        return self.app(environ, start_response)


# --- Served site adapters (test_served_adapters.py in Chromium, test_firefox.py in Firefox) -------
# Here, not in a test module: test modules are imported by path (--import-mode=importlib), and one
# importing another drags in that one's `from conftest import ...`, which names whichever
# conftest.py comes first on sys.path in a full run.

RENAMED_EDITABLE = "[data-testid='composeBox_0'][contenteditable='true']"
BUILT_IN_X = json.loads((ROOT / "extension" / "sites" / "x.json").read_text(encoding="utf-8"))


def next_version() -> int:
    """Greater than any earlier upload on this session's server (other modules may upload too)."""
    return int(time.time() * 10) - 17_000_000_000


def renamed_adapter(version: int, **changes) -> dict:
    """The built-in X adapter, `version`, that also finds X's composer under a renamed test id."""
    adapter = json.loads(json.dumps(BUILT_IN_X))
    adapter["version"] = version
    adapter["composer"]["editable"] = [RENAMED_EDITABLE, *BUILT_IN_X["composer"]["editable"]]
    adapter.update(changes)
    return adapter
