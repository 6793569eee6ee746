"""Run Python snippets through Brython + native RegExp in headless Debian chromium (dev/test).

Server-side tooling only (Playwright, http.server); never bundled. The page is served with the
CSP of an MV3 extension sandbox page, so it exercises the same constraints as the extension.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from guidelines.bundle import brython_data_dir, build_brython_bundle

SANDBOX_CSP = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; child-src 'self';"
)
# Debian's chromium in a container: no sandbox, no GPU, nothing fetched in the background.
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHROMIUM_ARGS = ["--headless=new", *BROWSER_FLAGS]


def extension_args(extension_dir) -> list[str]:
    """Flags that load one unpacked extension; only the new headless mode runs extensions."""
    return [
        "--headless=new",
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
        *BROWSER_FLAGS,
    ]


PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<script src="brython.js"></script>
<script src="guidelines.brython.js"></script>
</head><body>
<brython-options indexeddb="false" debug="1"></brython-options>
<script type="application/json" id="payload">{payload}</script>
<pre id="out"></pre>
<script type="text/python">
from browser import document, window
import guidelines.jsonio as jsonio
try:
    payload = jsonio.loads(document["payload"].text)
    result = {{}}
{code}
    document["out"].text = "OK " + jsonio.dumps(result)
except BaseException as exc:
    document["out"].text = "ERR " + repr(exc)
    raise
</script>
</body></html>
"""


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        if self.path.endswith(".html"):
            self.send_header("Content-Security-Policy", SANDBOX_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class BrythonPage:
    """Context manager: a local server + chromium; ``run(code, payload)`` returns ``result``.

    ``code`` is Python run in the page with ``payload`` (JSON-able) bound; it must fill the
    dict ``result``.
    """

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="herald-brython-"))
        shutil.copy(brython_data_dir() / "brython.js", self.dir / "brython.js")
        build_brython_bundle(self.dir / "guidelines.brython.js")
        self.n = 0

    def __enter__(self) -> BrythonPage:
        from playwright.sync_api import sync_playwright

        handler = partial(_Handler, directory=str(self.dir))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        self.page = self.browser.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text))
        return self

    def __exit__(self, *exc) -> None:
        self.browser.close()
        self.pw.stop()
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, code: str, payload, timeout: float = 120.0):
        self.n += 1
        name = f"page{self.n}.html"
        body = "\n".join("    " + line for line in code.strip("\n").splitlines())
        # raw-text <script>: only "<" could end it early, and \u003c is still valid JSON
        data = json.dumps(payload, ensure_ascii=False).replace("<", "\\u003c")
        (self.dir / name).write_text(
            PAGE.format(payload=data, code=body),
            encoding="utf-8",
        )
        port = self.server.server_address[1]
        self.page.goto(f"http://127.0.0.1:{port}/{name}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.page.text_content("#out") or ""
            if text.startswith("OK "):
                return json.loads(text[3:])
            if text.startswith("ERR "):
                raise RuntimeError(text[4:] + "\nconsole:\n" + "\n".join(self.console[-20:]))
            time.sleep(0.05)
        raise TimeoutError(
            "Brython page gave no result; console:\n" + "\n".join(self.console[-20:])
        )
