"""Brython and the guidelines bundle for the pages that check text in the browser."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from pathlib import Path

from flask import abort, current_app, send_file

from server.admin.core import admin_required, bp

_GUIDELINES_DIR = Path(__file__).resolve().parent.parent.parent / "guidelines"


def _brython_path() -> Path:
    # Served from the pip package, so the console runs the same Brython the extension is built with.
    return Path(str(importlib.resources.files("brython") / "data" / "brython.js"))


def _sources_digest() -> str:
    """Changes whenever a guidelines module changes: the cache never serves a stale engine."""
    h = hashlib.sha256()
    for path in sorted(_GUIDELINES_DIR.rglob("*.py")):
        stat = path.stat()
        h.update(f"{path.relative_to(_GUIDELINES_DIR)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def guidelines_bundle_path() -> Path:
    """Built once per engine version, cached under the instance folder (shared by workers)."""
    cache = Path(current_app.instance_path) / "console-cache"
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"guidelines-{_sources_digest()}.brython.js"
    if not target.exists():
        try:
            from guidelines.bundle import build_brython_bundle
        except ModuleNotFoundError:
            abort(503, description="The guidelines engine is not installed yet.")
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        build_brython_bundle(str(partial), packages=["guidelines"])
        os.replace(partial, target)  # atomic: another worker never reads half a file
        for stale in cache.glob("guidelines-*.brython.js"):
            if stale != target:  # an older engine version: nobody asks for it any more
                stale.unlink(missing_ok=True)
    return target


@bp.get("/assets/brython.js")
@admin_required
def brython_js():
    return send_file(_brython_path(), mimetype="text/javascript", max_age=3600)


@bp.get("/assets/guidelines.brython.js")
@admin_required
def guidelines_bundle():
    return send_file(guidelines_bundle_path(), mimetype="text/javascript", max_age=0)
