"""The Firefox package: the Chrome manifest turned into Firefox's, from the same sources.

Why Manifest V2 in Firefox: the panel and the options UI are Python run by Brython, which compiles
Python to JavaScript and runs it with `new Function` (eval). Chrome allows that only in `sandbox`
pages (MV3); Firefox has no `sandbox` key, and its MV3 refuses 'unsafe-eval' in the extension pages'
CSP. Firefox MV2 accepts `content_security_policy: "script-src 'self' 'unsafe-eval'"` for the
extension's own pages, so panel.html and options-panel.html run there unchanged as ordinary
extension pages (still framed, still speaking postMessage only). Content scripts are not affected
by that CSP (the bridge uses no eval).

What changes, and nothing else:
- manifest.firefox.json (repo root) is a JSON Merge Patch (RFC 7386) over the Chrome manifest:
  manifest_version 2, the CSP, `browser_specific_settings.gecko` (id, strict_min_version), and
  Chrome-only keys removed (null).
- MV2 spellings, done here because they are moves, not patches: action -> browser_action,
  host_permissions -> permissions, optional_host_permissions -> optional_permissions,
  web_accessible_resources as a flat list, match patterns without ports (Firefox has none),
  background.service_worker -> an event page whose
  scripts are worker.js's own importScripts(...) list (read from worker.js: one list).
- worker/mv2_background.js (written by the build, first background script): the event page has no
  importScripts (the manifest already loaded those files) and calls the toolbar button
  browserAction: the worker's code stays the one Chrome runs.
The shim (extension/shim.js) picks `browser.*` over `chrome.*`, the same file in both builds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "manifest.firefox.json"
WORKER = ROOT / "extension" / "worker" / "worker.js"
BACKGROUND_PRELUDE = "worker/mv2_background.js"

PRELUDE_JS = """/* Firefox build only (extension_build/firefox.py): worker.js runs as an MV2 event page here.
 * The manifest lists worker.js's imports as background scripts, loaded before it, so its
 * importScripts(...) has nothing left to do; the toolbar button is browserAction in MV2. */
(function (root) {
  "use strict";
  if (typeof root.importScripts !== "function") root.importScripts = function () {};
  const api = root.browser;
  if (api && !api.action && api.browserAction) api.action = api.browserAction;
})(globalThis);
"""


def merge_patch(target, patch):
    """RFC 7386: objects merge key by key, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def worker_imports() -> list[str]:
    """Background scripts in load order, as paths from the extension root: worker.js's
    importScripts(...) arguments (relative to worker/), then worker.js itself."""
    text = WORKER.read_text(encoding="utf-8")
    call = re.search(r"importScripts\(([^)]*)\)", text)
    if not call:
        raise ValueError("worker/worker.js has no importScripts(...) list")
    names = re.findall(r"\"([^\"]+)\"", call.group(1))
    out = []
    for name in names:
        parts = ["worker", *name.split("/")]
        resolved: list[str] = []
        for part in parts:
            if part == "..":
                resolved.pop()
            elif part not in (".", ""):
                resolved.append(part)
        out.append("/".join(resolved))
    return out + ["worker/worker.js"]


def portless(pattern: str) -> str:
    """Firefox match patterns have no port ("http://127.0.0.1:8123/*" matches nothing there):
    a --site-origin with a port becomes its host on any port. The bridge still picks the site
    adapter by host *and* port (bridge/sites.js), so another port of that host gets no adapter."""
    return re.sub(r"^([a-z*]+://[^/:]+):\d+/", r"\1/", pattern)


def _portless_list(patterns: list[str]) -> list[str]:
    out: list[str] = []
    for p in map(portless, patterns):
        if p not in out:
            out.append(p)
    return out


def firefox_manifest(chrome: dict) -> dict:
    """The Firefox (MV2) manifest for a Chrome (MV3) manifest made by make_manifest()."""
    m = merge_patch(chrome, json.loads(OVERLAY.read_text(encoding="utf-8")))
    if "action" in m:
        m["browser_action"] = m.pop("action")
    permissions = list(m.get("permissions", []))
    for origin in m.pop("host_permissions", []):
        if origin not in permissions:
            permissions.append(origin)
    m["permissions"] = _portless_list(permissions)
    for cs in m.get("content_scripts", []):
        cs["matches"] = _portless_list(cs["matches"])
    if "optional_host_permissions" in m:
        m["optional_permissions"] = m.pop("optional_host_permissions")
    resources: list[str] = []
    for entry in m.get("web_accessible_resources", []):
        resources += [r for r in entry.get("resources", []) if r not in resources]
    if resources:
        m["web_accessible_resources"] = resources
    m["background"] = {"scripts": [BACKGROUND_PRELUDE, *worker_imports()], "persistent": False}
    return m


def write_background_prelude(out_dir: Path) -> None:
    (out_dir / BACKGROUND_PRELUDE).write_text(PRELUDE_JS, encoding="utf-8")
