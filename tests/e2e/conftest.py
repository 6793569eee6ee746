"""Browser fixtures for the extension end-to-end tests.

- `site_pages`: the LinkedIn-like and X-like fixture pages served on two origins
  (http://127.0.0.1:P1/linkedin.html, http://localhost:P2/x.html); `npm ci` runs first if needed.
- `live_server`: the real Herald server in a subprocess (temp instance, SQLite), seeded through
  the `herald` CLI and the admin API; it can be stopped and started again on the same port/DB.
- `extension_dir`: the built extension with both fixture origins added to the site adapters.
- `browser`: Debian's chromium with the extension loaded (persistent context), its id, and
  helpers to sign in through the options page UI.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser_harness import extension_args
from tests.conftest import TEST_HASH_METHOD

# The repo runs pytest with --import-mode=importlib: make this folder's helper module importable.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))
from e2e_support import (  # noqa: E402
    ADMIN,
    EMPLOYEE,
    PASSWORD,
    ROOT,
    SITES,
    SUGGESTION_LINKEDIN,
    SUGGESTION_X,
    VIEWPORT,
    LiveServer,
    free_port,
    poll,
    settle_first_run,
)

# ------------------------------------------------------------------------------------------------
# Fixture sites


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class SitePages:
    linkedin_origin: str
    x_origin: str

    @property
    def linkedin(self) -> str:
        return f"{self.linkedin_origin}/linkedin.html"

    @property
    def x(self) -> str:
        return f"{self.x_origin}/x.html"


@pytest.fixture(scope="session")
def site_pages():
    if not (SITES / "node_modules" / "quill" / "dist" / "quill.js").exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("npm is needed to install the pinned editor builds (tests/fixtures/sites)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=SITES, check=True)
    servers = []
    for _ in range(2):
        httpd = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITES))
        )
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    # Two origins, as the real sites are: the build maps each to its own adapter.
    yield SitePages(
        linkedin_origin=f"http://127.0.0.1:{servers[0].server_address[1]}",
        x_origin=f"http://localhost:{servers[1].server_address[1]}",
    )
    for httpd in servers:
        httpd.shutdown()


# ------------------------------------------------------------------------------------------------
# Live server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("herald-instance")
    env = {
        **os.environ,
        "HERALD_INSTANCE_PATH": str(instance),
        "HERALD_DATABASE_URL": f"sqlite:///{instance / 'herald.sqlite3'}",
        "HERALD_SECRET_KEY": "test-secret-key-for-e2e-that-is-long-enough-for-hs256",
        "HERALD_CORS_ORIGINS": "*",
        "HERALD_PUBLIC_BASE_URL": "http://127.0.0.1",
        "HERALD_PASSWORD_HASH_METHOD": TEST_HASH_METHOD,  # each module signs in again
        "PYTHONPATH": str(ROOT),
    }
    server = LiveServer(instance=instance, port=free_port(), env=env)
    server.cli("init-db")
    if (ROOT / "server" / "demo.py").exists():
        server.cli("demo")  # the demo program (branding, people, snippets) around our own accounts
    server.cli(
        "create-user",
        "--email",
        ADMIN,
        "--name",
        "Ada Admin",
        "--role",
        "admin",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )
    server.cli(
        "create-user",
        "--email",
        EMPLOYEE,
        "--name",
        "Erin Employee",
        "--role",
        "employee",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )
    server.start()
    token = server.login(ADMIN)
    snippet = server.api(
        "POST",
        "/snippets",
        {
            "title": "Acme Cloud launch",
            "variants": {"linkedin": [SUGGESTION_LINKEDIN], "x": [SUGGESTION_X]},
        },
        token,
    )
    server.api("POST", f"/snippets/{snippet['id']}/approve", {}, token)
    server.snippets["launch"] = snippet["id"]
    yield server
    server.stop()


# ------------------------------------------------------------------------------------------------
# Extension + browser


@pytest.fixture(scope="session")
def extension_dir(tmp_path_factory, site_pages):
    from extension_build.build import build_extension

    out = tmp_path_factory.mktemp("ext-build") / "herald-extension"
    zip_path = build_extension(
        out, {"linkedin": [site_pages.linkedin_origin], "x": [site_pages.x_origin]}
    )
    assert zip_path.exists()
    return out


@dataclass
class Browser:
    context: object
    extension_id: str

    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def worker(self):
        workers = [w for w in self.context.service_workers if self.extension_id in w.url]
        return (
            workers[0] if workers else self.context.wait_for_event("serviceworker", timeout=10000)
        )

    def open_options(self):
        """The options page and its sandboxed settings iframe, once Brython has drawn it."""
        page = self.context.new_page()
        page.goto(self.extension_url("options/options.html"))
        frame = poll(
            lambda: next((f for f in page.frames if f.url.endswith("options-panel.html")), None),
            message="options iframe",
        )
        poll(lambda: frame.locator("#account-status").count(), timeout=15, message="options UI")
        return page, frame

    def sign_in(self, server_url: str, email: str = EMPLOYEE, password: str = PASSWORD):
        """Through the options page UI, as an employee would."""
        page, frame = self.open_options()
        poll(lambda: frame.get_by_label("Server URL").count(), timeout=15, message="options form")
        frame.get_by_label("Server URL").fill(server_url)
        frame.get_by_label("Email").fill(email)
        frame.get_by_label("Password").fill(password)
        frame.get_by_role("button", name="Sign in").click()
        poll(
            lambda: "Signed in as" in (frame.locator("body").text_content() or ""),
            timeout=15,
            message="'Signed in as' on the options page",
        )
        return page

    def state(self, network: str | None = None) -> dict:
        return self.worker().evaluate(
            "async (n) => { const s = await chrome.storage.local.get(['auth', 'queue', 'cache']);"
            " return {signed_in: !!(s.auth && s.auth.refresh_token), queue: (s.queue || []).length,"
            " offline: !!(s.cache && s.cache.offline)}; }",
            network,
        )


# Module scope, like the other browser fixtures in this repo: only one Playwright sync session can
# be alive at a time, so ours must end before another test folder starts its own.
@pytest.fixture(scope="module")
def browser(extension_dir, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("Debian's chromium is required (apt-get install chromium)")
    user_data = tmp_path_factory.mktemp("chromium-profile")
    # Report the service worker's own fetches on the context too (the draft-leak test needs them).
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(user_data),
            executable_path=chromium,
            headless=False,  # --headless=new below: extensions need the new headless mode
            viewport=VIEWPORT,
            args=extension_args(extension_dir),
        )
        workers = context.service_workers or [
            context.wait_for_event("serviceworker", timeout=15000)
        ]
        extension_id = workers[0].url.split("/")[2]
        settle_first_run(context)
        yield Browser(context=context, extension_id=extension_id)
        context.close()


@pytest.fixture(scope="module")
def signed_in(browser, live_server):
    page = browser.sign_in(live_server.url)
    page.close()
    return browser


# ------------------------------------------------------------------------------------------------
# Page helpers


class Composer:
    """One fixture page with its composer open and the Herald panel frame."""

    def __init__(self, page, site: str):
        self.page = page
        self.site = site

    def open(self):
        if self.site == "linkedin":
            self.page.click("#start-post")
        else:
            self.page.click("[data-testid=tweetTextarea_0]")
        poll(lambda: self.page.evaluate("() => !!window.__fixture.editor()"), message="composer")
        return self

    @property
    def panel(self):
        def find():
            self.page.wait_for_timeout(10)  # lets Playwright process frame-attached events
            return next((f for f in self.page.frames if f.url.endswith("panel/panel.html")), None)

        return poll(
            find,
            message="Herald panel frame",
        )

    def panel_text(self, selector: str = "body") -> str:
        return self.panel.locator(selector).text_content() or ""

    def model_text(self) -> str:
        return self.page.evaluate("() => window.__fixture.modelText()")

    def post_enabled(self) -> bool:
        return self.page.evaluate("() => window.__fixture.postEnabled()")

    def published(self) -> list[str]:
        return self.page.evaluate("() => window.__fixture.published")

    def press_post(self):
        if self.site == "linkedin":
            self.page.locator("#interop-outlet .share-actions__primary-action").click()
        else:
            self.page.locator("[data-testid=tweetButton]").click()

    def highlights(self) -> dict:
        """{name: [{text, start, end}]} read from CSS.highlights, offsets in code points of the model text."""
        return self.page.evaluate(
            """() => {
              const ed = window.__fixture.editor();
              const out = {};
              for (const [name, hl] of CSS.highlights) {
                out[name] = [...hl].map((r) => {
                  const pre = document.createRange();
                  pre.selectNodeContents(ed);
                  pre.setEnd(r.startContainer, r.startOffset);
                  // Blocks are joined by newlines in the model: count block boundaries too.
                  const blocks = [...ed.querySelectorAll(':scope > p, [data-block="true"]')];
                  const before = blocks.filter((b) => b.compareDocumentPosition(r.startContainer) & Node.DOCUMENT_POSITION_FOLLOWING
                                                       && !b.contains(r.startContainer)).length;
                  const startCp = [...pre.toString()].length + before;
                  const text = r.toString();
                  return { text, start: startCp, end: startCp + [...text].length };
                });
              }
              return out;
            }"""
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows what the page and the Herald panel wrote to their consoles (errors,
    warnings, [herald] lines): a panel whose Python failed explains a click that did nothing."""
    outcome = yield
    report = outcome.get_result()
    lines = getattr(item, "herald_console", None)
    if report.failed and lines:
        report.sections.append(("browser console", "\n".join(lines[-60:])))


def watch_console(page, item) -> None:
    lines = item.__dict__.setdefault("herald_console", [])

    def on_console(message):
        if "favicon.ico" in str((message.location or {}).get("url")):
            return  # the fixture sites have none
        if message.type in ("error", "warning") or "[herald]" in message.text:
            where = (message.location or {}).get("url", "").rsplit("/", 1)[-1]
            lines.append(f"{message.type} {where}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: lines.append(f"pageerror: {error}"))


@pytest.fixture
def open_composer(signed_in, site_pages, request):
    pages = []

    def _open(site: str) -> Composer:
        page = signed_in.context.new_page()
        pages.append(page)
        watch_console(page, request.node)
        page.goto(site_pages.linkedin if site == "linkedin" else site_pages.x)
        return Composer(page, site).open()

    yield _open
    for page in pages:
        page.close()
