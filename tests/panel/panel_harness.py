"""A local stand-in for the extension: dist layout, sandbox CSP, and a parent page for the panel.

The real extension build (extension_build/build.py) is another team's; this reproduces the
layout the panel expects (brython.js, herald_modules.js, herald_assets.js at the root, pages in
panel/ and options/) so the panel can be tested in Chromium on its own.
"""

import functools
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import brython
from build_assets import build_herald_modules, write_assets_js

REPO = Path(__file__).resolve().parents[2]
BRYTHON_JS = Path(brython.__file__).parent / "data" / "brython.js"
PANEL_MODULES = sorted((REPO / "extension" / "panel" / "py").glob("herald_*.py"))
# What Chrome applies to pages listed under the manifest's "sandbox" key (MV3 default).
SANDBOX_CSP = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; child-src 'self';"
)

HARNESS_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>harness</title></head>
<body>
<script>
  // Plays the bridge: opens the sandboxed iframe, answers `ready` with the boot messages,
  // records everything the page posts (with the time since the iframe was created).
  window.received = [];
  window.bootMessages = [];
  let frame = null;
  window.openPage = (page) => {
    frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.style.cssText = "width:380px;height:900px";
    window.openedAt = performance.now();
    frame.src = page;
    document.body.appendChild(frame);
  };
  window.addEventListener("message", (event) => {
    if (!frame || event.source !== frame.contentWindow) return;
    window.received.push(Object.assign({at: performance.now() - window.openedAt}, {message: event.data}));
    if (event.data && (event.data.type === "ready" || event.data.type === "options:ready")) {
      for (const message of window.bootMessages) frame.contentWindow.postMessage(message, "*");
    }
  });
  window.sendToPage = (message) => frame.contentWindow.postMessage(message, "*");
</script>
</body></html>
"""


def mini_bundle(out_path, modules, packages=()):
    """Brython VFS file with our modules and packages, for when guidelines/bundle.py is absent."""
    scripts = {"$timestamp": int(time.time() * 1000)}
    for path in modules:
        scripts[path.stem] = [".py", path.read_text("utf-8"), []]
    for package in packages:
        for path in sorted(Path(package).rglob("*.py")):
            relative = path.relative_to(Path(package).parent).with_suffix("")
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                scripts[".".join(parts[:-1])] = [".py", path.read_text("utf-8"), [], 1]
            else:
                scripts[".".join(parts)] = [".py", path.read_text("utf-8"), []]
    Path(out_path).write_text(
        "__BRYTHON__.use_VFS = true;\nvar scripts = "
        + json.dumps(scripts)
        + ";\n__BRYTHON__.update_VFS(scripts);\n",
        "utf-8",
    )


def build_bundle(out_path):
    """The extension's own bundle (precompiled like the shipped one, so the boot measured here is
    the employee's); without node, the uncompiled one; mini_bundle when neither can be built."""
    try:
        from extension_build.build import BuildError
        from extension_build.build import build_bundle as product_bundle

        try:
            product_bundle(Path(out_path))
            return "extension"
        except BuildError:
            pass
        build_herald_modules(out_path)
    except ImportError:
        packages = [REPO / "guidelines"] if (REPO / "guidelines" / "__init__.py").exists() else []
        mini_bundle(out_path, PANEL_MODULES, packages)
        return "mini"
    return "guidelines.bundle"


def build_dist(dist):
    dist = Path(dist)
    dist.mkdir(parents=True, exist_ok=True)
    shutil.copy(BRYTHON_JS, dist / "brython.js")
    write_assets_js(dist / "herald_assets.js", REPO)
    kind = build_bundle(dist / "herald_modules.js")
    # The extension gives the panel a bundle of its own modules only (extension_build BUNDLES);
    # here both pages load every module.
    shutil.copy(dist / "herald_modules.js", dist / "herald_panel_modules.js")
    for page_dir in ("panel", "options"):
        source = REPO / "extension" / page_dir
        if source.exists():
            shutil.copytree(
                source,
                dist / page_dir,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("py", "*.py", "__pycache__"),
            )
    (dist / "harness.html").write_text(HARNESS_HTML, "utf-8")
    return kind


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        if self.path.split("?")[0].endswith(("panel.html", "options-panel.html")):
            self.send_header("Content-Security-Policy", SANDBOX_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve(directory):
    """Start an HTTP server on a free port; returns (base_url, server)."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
