"""Debian's firefox-esr driven through Marionette, with the Firefox build of the extension installed
as a temporary add-on (Playwright's Firefox is a patched build: it cannot drive Debian's).

Plain module, imported by tests/e2e/test_firefox.py. Firefox starts headless with a fresh profile,
`--marionette` on a free port and `-remote-allow-system-access` (opening an extension page in a
tab needs the browser's own privileged scope: web content may not navigate to moz-extension://).
The add-on's moz-extension:// UUID is fixed through the `extensions.webextensions.uuids` pref so
that its pages have a known address, as Chrome's extension id is known from its worker.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from e2e_support import VIEWPORT, free_port, poll

ADDON_UUID = "0f3a7f1e-5b8e-4c55-9a53-1e2d3c4b5a69"

PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",  # no remote settings fetched
    "ui.prefersReducedMotion": 1,
    # Page, extension and browser console messages into the log file (a failing test shows why).
    "devtools.console.stdout.content": True,
    "devtools.console.stdout.chrome": True,
}


class Firefox:
    """One firefox-esr process and its Marionette session."""

    def __init__(self, profile: Path, log_path: Path):
        from marionette_driver.marionette import Marionette

        binary = shutil.which("firefox-esr")
        if not binary:
            raise RuntimeError(
                "Debian's firefox-esr is required (scripts/bootstrap.sh --with-browser)"
            )
        self.port = free_port()
        self.profile = profile
        prefs = {
            **PREFS,
            "marionette.port": self.port,
        }
        self._write_prefs(prefs)
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--marionette",
                "-remote-allow-system-access",
                "--no-remote",
                "--profile",
                str(profile),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.client = Marionette(host="127.0.0.1", port=self.port, startup_timeout=60)
            self.client.start_session()
            # The same window as the Chromium tests (headless firefox-esr takes no size flag).
            self.client.set_window_rect(width=VIEWPORT["width"], height=VIEWPORT["height"])
        except BaseException:
            self._stop()  # never leave a browser behind a failed start
            raise

    def _write_prefs(self, prefs: dict) -> None:
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
        )

    def install(self, xpi: Path, addon_id: str) -> None:
        """As a temporary add-on (unsigned, gone at shutdown), at a known moz-extension:// UUID."""
        from marionette_driver.addons import Addons

        with self.client.using_context("chrome"):
            self.client.execute_script(
                "Services.prefs.setStringPref('extensions.webextensions.uuids', arguments[0]);",
                script_args=[json.dumps({addon_id: ADDON_UUID})],
            )
        Addons(self.client).install(str(xpi), temp=True)

    def extension_url(self, path: str) -> str:
        return f"moz-extension://{ADDON_UUID}/{path}"

    def open_tab(self, url: str) -> str:
        """A new foreground tab at `url` (extension pages too); returns its window handle."""
        before = set(self.client.window_handles)
        with self.client.using_context("chrome"):
            self.client.execute_script(
                "gBrowser.selectedTab = gBrowser.addTab(arguments[0], "
                "{triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal()});",
                script_args=[url],
            )
        handle = poll(lambda: next(iter(set(self.client.window_handles) - before), None))
        self.client.switch_to_window(handle)
        poll(lambda: self.client.get_url() == url or self.client.get_url().startswith(url))
        return handle

    def close_tab(self) -> None:
        self.client.close()
        self.client.switch_to_window(self.client.window_handles[0])

    def js(self, script: str, *args):
        return self.client.execute_script(script, script_args=list(args))

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.client.switch_to_frame()
        path.write_bytes(self.client.screenshot(format="binary"))

    def quit(self) -> None:
        try:
            self.client.delete_session()
        except Exception:
            pass
        self._stop()

    def _stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def wait_text(fn, needle: str, timeout: float = 20.0, message: str | None = None) -> str:
    """Poll a text getter until it contains `needle`; returns the text."""
    return poll(
        lambda: (t := fn() or "") and needle in t and t,
        timeout=timeout,
        message=message or repr(needle),
    )
