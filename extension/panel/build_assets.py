"""Build helper (CPython, not bundled): writes `herald_assets.js` for the sandboxed pages.

Sandboxed pages have an opaque origin, so fetching `_locales/*/messages.json` or schema files
from the extension is not dependable; a classic <script> is. The file defines
`window.HERALD_ASSETS = {"strings": {lang: {key: message}}, "schemas": {name: schema}}` where
schema names are message schema file names (`insert`, `options-call`, ...) plus
`share-event-record` for shared_schemas/share-event.schema.json.

Usage from the extension build:
    write_assets_js(dist / "herald_assets.js", repo_root)
    build_herald_modules(dist / "herald_modules.js")
"""

import json
from pathlib import Path

LANGUAGES = ("en", "ru", "el", "it", "th")
SHARE_EVENT_RECORD = "share-event-record"


def collect_assets(repo_root):
    root = Path(repo_root)
    strings = {}
    for language in LANGUAGES:
        messages = json.loads(
            (root / "extension" / "_locales" / language / "messages.json").read_text("utf-8")
        )
        strings[language] = {key: entry["message"] for key, entry in messages.items()}
    schemas = {}
    for path in sorted((root / "shared_schemas" / "messages").glob("*.schema.json")):
        schemas[path.name.removesuffix(".schema.json")] = json.loads(path.read_text("utf-8"))
    schemas[SHARE_EVENT_RECORD] = json.loads(
        (root / "shared_schemas" / "share-event.schema.json").read_text("utf-8")
    )
    return {"strings": strings, "schemas": schemas}


def assets_js(repo_root):
    payload = json.dumps(
        collect_assets(repo_root), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    # "</" cannot end a <script> here, but keep the file safe to inline anyway.
    return "window.HERALD_ASSETS = " + payload.replace("</", "<\\/") + ";\n"


def write_assets_js(out_path, repo_root):
    Path(out_path).write_text(assets_js(repo_root), encoding="utf-8")
    return Path(out_path)


PANEL_MODULE_DIR = Path(__file__).resolve().parent / "py"


def panel_vfs_entries(module_dir=PANEL_MODULE_DIR):
    """Brython VFS entries for the flat `herald_*.py` modules of the panel and options pages."""
    import ast

    entries = {}
    for path in sorted(Path(module_dir).glob("herald_*.py")):
        source = path.read_text("utf-8")
        imports = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imports.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imports.add(node.module)
        entries[path.stem] = [".py", source, sorted(imports)]
    return entries


def build_herald_modules(out_path, module_dir=PANEL_MODULE_DIR):
    """The ONE bundle the sandboxed pages load (`herald_modules.js`): the browser-safe part of
    `guidelines` (with the stdlib modules it needs) from guidelines.bundle, then our modules.
    Our modules import only `browser`, `javascript` (built into brython.js), `guidelines` and
    each other, so they add no stdlib."""
    from guidelines.bundle import build_brython_bundle

    out = build_brython_bundle(out_path, packages=["guidelines"])
    payload = json.dumps(panel_vfs_entries(module_dir), ensure_ascii=False, sort_keys=True)
    with open(out, "a", encoding="utf-8") as handle:
        handle.write("__BRYTHON__.update_VFS(" + payload + ");\n")
    return out
