"""Builds the Herald browser extension (MV3) from the source tree into a directory and a zip.

    build_extension(out_dir, site_origins) -> zip path

`site_origins` maps a site adapter ("linkedin", "x") to extra origins the extension must run on
(dev and test servers, e.g. {"linkedin": ["http://127.0.0.1:8123"]}); a store build has none.
The source manifest (repo root manifest.json) names files relative to the extension root, which
is `extension/` in the source tree and DIR in the output.

Output DIR holds: manifest.json, shim.js, bridge/, worker/, panel/, options/, sites/, icons/,
_locales/, brython.js (copied from the pinned pip `brython` package), herald_panel_modules.js
and herald_modules.js (one bundle per sandboxed page, panel and options, of only the Python
modules that page imports, plus the stdlib modules they need; never brython_stdlib.js; each module, and the page's inline
entry script, also precompiled to Brython's JS by extension_build/brython_precompile.js under node, so the browser
compiles no Python), herald_assets.js (strings and schemas for the Python side) and the generated tables bridge/generated.js + worker/generated.js
(message schemas and site adapters). Then DIR.zip beside DIR, byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SOURCE_MANIFEST = ROOT / "manifest.json"
EXTENSION = ROOT / "extension"
SCHEMAS = ROOT / "shared_schemas" / "messages"
MAX_ZIP_BYTES = 2_500_000
BUNDLE_NAME = "herald_modules.js"  # the options page's bundle (options-panel.html loads it)
PANEL_BUNDLE_NAME = "herald_panel_modules.js"  # the panel's (panel/panel.html loads it)
# One bundle per sandboxed page, each with only the modules its entry module reaches: the panel
# never imports the options page's modules (a third of the Python), and every frame created on a
# LinkedIn or X page would otherwise load and parse them at its cold boot.
BUNDLES = {BUNDLE_NAME: "herald_options_page", PANEL_BUNDLE_NAME: "herald_panel"}
# The page whose inline <script type="text/python"> starts each entry module: the bundle carries
# that script precompiled too (see page_script), so a page's boot runs no compiler at all.
ENTRY_PAGES = {
    "herald_options_page": "options/options-panel.html",
    "herald_panel": "panel/panel.html",
}
# Imported only by code the CPython tests run (herald_messages.MessageChecker: in the browser,
# sandbox_port.js checks the messages), so no page's bundle carries it.
TESTS_ONLY_MODULES = {"herald_schema"}
ASSETS_NAME = (
    "herald_assets.js"  # UI strings + schemas for the Python side (panel helper's build_assets.py)
)
# Fixed timestamp for zip entries: same sources -> same bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)

# What is copied as-is, per top-level folder of extension/ (Python goes into the bundle).
COPY_SUFFIXES = {".js", ".html", ".css", ".json", ".png", ".svg", ".woff2"}
SKIP_DIRS = {"py", "node_modules", "tests"}


class BuildError(RuntimeError):
    pass


def brython_data_dir() -> Path:
    import brython  # the pinned pip package: its data/ holds brython.js and the stdlib VFS

    return Path(brython.__file__).resolve().parent / "data"


def normalise_origin(origin: str) -> str:
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(f"site origin must be http(s)://host[:port], got {origin!r}")
    return f"{parts.scheme}://{parts.netloc}"


def load_sites() -> dict[str, dict]:
    """Site adapters keyed by file name ("linkedin", "x"), which --site-origin uses."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((EXTENSION / "sites").glob("*.json"))
    }


def load_schemas() -> dict[str, dict]:
    """Message schemas keyed by message type (the `type` const), for the JS validators."""
    table = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        type_schema = schema.get("properties", {}).get("type", {})
        name = type_schema.get("const", path.name.removesuffix(".schema.json"))
        table[name] = schema
    return table


# Host permissions only a development build asks for: a Herald server on this machine. A store
# build reaches the company's server through CORS (the server allows the extension's origin).
DEV_HOSTS = ("http://localhost/*", "http://127.0.0.1/*")


def make_manifest(
    sites: dict[str, dict], site_origins: dict[str, list[str]], dev: bool = False
) -> dict:
    """The shipped manifest. `dev` (implied by extra site origins) keeps the local-server permissions."""
    manifest = json.loads(SOURCE_MANIFEST.read_text(encoding="utf-8"))
    if not (dev or site_origins):
        manifest["host_permissions"] = [
            p for p in manifest.get("host_permissions", []) if p not in DEV_HOSTS
        ]
        if not manifest["host_permissions"]:
            del manifest["host_permissions"]
    for name, origins in sorted(site_origins.items()):
        if name not in sites:
            raise BuildError(f"unknown site {name!r}; known: {', '.join(sorted(sites))}")
        site = sites[name]
        patterns = [f"{normalise_origin(o)}/*" for o in origins]
        site.setdefault("extra_origins", [])
        site["extra_origins"] += [normalise_origin(o) for o in origins]
        own = set(site.get("content_script_matches", []))
        matched = False
        for cs in manifest.get("content_scripts", []):
            if own & set(cs.get("matches", [])):
                cs["matches"] = _merge(cs["matches"], patterns)
                matched = True
        if not matched:
            raise BuildError(f"no content script in manifest.json matches site {name!r}")
        for war in manifest.get("web_accessible_resources", []):
            war["matches"] = _merge(war.get("matches", []), patterns)
        manifest["host_permissions"] = _merge(manifest.get("host_permissions", []), patterns)
    return manifest


def _merge(existing: list[str], extra: list[str]) -> list[str]:
    out = list(existing)
    for item in extra:
        if item not in out:
            out.append(item)
    return out


def copy_sources(out_dir: Path) -> None:
    for src in sorted(EXTENSION.rglob("*")):
        rel = src.relative_to(EXTENSION)
        if src.is_dir() or any(part in SKIP_DIRS or part == "__pycache__" for part in rel.parts):
            continue
        if src.suffix not in COPY_SUFFIXES:
            continue
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


ADAPTER_SCHEMA = ROOT / "shared_schemas" / "sites" / "adapter.schema.json"


def inline_refs(schema: dict) -> dict:
    """The schema with its local `#/$defs/...` references replaced by their targets: the table-driven
    validator (bridge/validate.js) has no $ref."""
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**walk(defs[ref.removeprefix("#/$defs/")]), **walk(rest)}
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def write_generated(out_dir: Path, sites: dict[str, dict]) -> None:
    # adapter_schema: what the worker checks a served adapter against (shared_schemas/sites).
    table = {
        "schemas": load_schemas(),
        "sites": sites,
        "adapter_schema": inline_refs(json.loads(ADAPTER_SCHEMA.read_text(encoding="utf-8"))),
    }
    body = (
        "/* Generated by extension_build/build.py from shared_schemas/messages and extension/sites."
        " Do not edit. */\n"
        f"globalThis.HeraldGenerated = {json.dumps(table, sort_keys=True, ensure_ascii=False, indent=1)};\n"
    )
    for rel in ("bridge/generated.js", "worker/generated.js"):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    # options.html loads one script: make options_host.js self-contained (shim + table +
    # validator + relay), so the options page needs no knowledge of our file layout.
    host = out_dir / "options" / "options_host.js"
    if host.exists():
        parts = [
            (EXTENSION / "shim.js").read_text(encoding="utf-8"),
            body,
            (EXTENSION / "bridge" / "validate.js").read_text(encoding="utf-8"),
            host.read_text(encoding="utf-8"),
        ]
        host.write_text("\n".join(parts), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Python bundle for the sandboxed Brython pages


def panel_module_dirs() -> list[Path]:
    return [p for p in (EXTENSION / "panel" / "py", EXTENSION / "options" / "py") if p.is_dir()]


def build_bundle(out_path: Path, entry: str | None = None) -> None:
    """One JS file with the pages' Python (all of it, or what the module `entry` reaches), the
    guidelines browser modules, and the stdlib modules they import (never brython_stdlib.js).
    guidelines.bundle knows which guidelines modules are browser-safe."""
    build_bundles({Path(out_path): entry})


def build_bundles(outputs: dict[Path, str | None]) -> None:
    """Each output path gets the modules its entry module reaches (None: every page module);
    everything is precompiled in one run of the compiler."""
    from guidelines.bundle import collect_package

    library = collect_package("guidelines", ROOT)
    ours = panel_modules()
    every = with_stdlib_closure(ours, library)
    pages = {entry: page_script(page) for entry, page in ENTRY_PAGES.items()}
    compiled = precompile(every, dict(pages.values()))
    for out_path, entry in outputs.items():
        vfs = every if entry is None else with_stdlib_closure(reached_from(entry, ours), library)
        scripts = {
            filename: [source, compiled[filename]]
            for name, (filename, source) in pages.items()
            if entry in (None, name)
        }
        write_vfs(
            out_path, vfs, {name: compiled[name] for name in vfs if name in compiled}, scripts
        )


def reached_from(entry: str, ours: dict[str, list]) -> dict[str, list]:
    """The pages' own modules that `entry` imports, directly or through each other (imports
    inside functions count: Brython resolves them when they run, from the page's bundle)."""
    out: dict[str, list] = {}
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in out or name not in ours or name in TESTS_ONLY_MODULES:
            continue
        out[name] = ours[name]
        todo.extend(d for d in _deps(ours[name]) if d in ours)
    if entry not in out:
        raise BuildError(f"no page module named {entry!r}")
    return out


def _imports_of(
    tree: ast.Module, module: str, is_package: bool, import_time_only: bool = False
) -> set[str]:
    """Absolute names a module imports. With `import_time_only`, function bodies and
    `if __name__ == "__main__"` blocks are skipped: those imports run only if that code runs."""
    pkg = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()

    def visit(nodes):
        for node in nodes:
            if import_time_only:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    continue
                if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                    continue
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg[: len(pkg) - node.level + 1] if node.level > 1 else pkg
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                if mod:
                    names.add(mod)
                    names.update(f"{mod}.{a.name}" for a in node.names if a.name != "*")
            visit(ast.iter_child_nodes(node))

    visit(tree.body)
    return names


def panel_modules() -> dict[str, list]:
    """VFS entries for the sandboxed pages' own top-level modules (extension/*/py/*.py)."""
    mods: dict[str, list] = {}
    for d in panel_module_dirs():
        for path in sorted(d.glob("*.py")):
            src = path.read_text(encoding="utf-8")
            mods[path.stem] = [".py", src, sorted(_imports_of(ast.parse(src), path.stem, False))]
    return mods


def stdlib_vfs() -> dict[str, list]:
    text = (brython_data_dir() / "brython_stdlib.js").read_text(encoding="utf-8")
    start = text.index("var scripts = ") + len("var scripts = ")
    end = text.rindex("__BRYTHON__.update_VFS(scripts)")
    vfs = json.loads(text[start:end].strip().rstrip(";"))
    vfs.pop("$timestamp", None)
    return vfs


def _deps(entry: list) -> list[str]:
    # brython_stdlib.js stores imports either as a flat list or wrapped in one more list.
    deps = entry[2] if len(entry) > 2 and isinstance(entry[2], list) else []
    if deps and isinstance(deps[0], list):
        deps = deps[0]
    return [d for d in deps if isinstance(d, str)]


def _import_time_deps(name: str, entry: list) -> list[str]:
    """Modules a stdlib module imports when it is imported: module level, class bodies, top-level
    try/if blocks, but not function bodies. Brython imports lazily, so a function-level import
    (pdb from doctest, _pyrepl from site, ...) only matters if that function runs; following
    them would drag in most of the stdlib."""
    if entry[0] != ".py":
        return _deps(entry)
    try:
        tree = ast.parse(entry[1])
    except SyntaxError:
        return _deps(entry)
    is_pkg = len(entry) > 3 and bool(entry[3])
    return sorted(_imports_of(tree, name, is_pkg, import_time_only=True))


def with_stdlib_closure(entry_points: dict[str, list], library: dict[str, list]) -> dict[str, list]:
    """The sandboxed pages' modules, plus what they reach: our library modules (guidelines) by
    any import, stdlib modules by the imports they run at import time, transitively."""
    stdlib = stdlib_vfs()
    out = dict(entry_points)
    todo = [d for entry in entry_points.values() for d in _deps(entry)]
    while todo:
        name = todo.pop()
        if name in out:
            continue
        if name in library:
            out[name] = library[name]
            todo.extend(_deps(library[name]))
        elif name in stdlib:
            out[name] = stdlib[name]
            todo.extend(_import_time_deps(name, stdlib[name]))
        else:
            continue  # built into brython.js (browser, javascript, sys, ...) or not a module
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
    return out


PRECOMPILER = Path(__file__).resolve().parent / "brython_precompile.js"


def vfs_filename(name: str, entry: list) -> str:
    """The file name Brython's VFS loader gives a module (compiled code embeds it)."""
    is_pkg = len(entry) > 3 and bool(entry[3])
    return f"VFS.{name}" + ("/__init__.py" if is_pkg else entry[0])


def page_script(page: str) -> tuple[str, str]:
    """(filename, source) of the inline Python in the extension page `page` ("panel/panel.html")
    as Brython's run_script sees them: the first unnamed script runs as `__main__` from
    "<page path>#__main__", its text unindented, one leading and one trailing newline dropped."""
    import re
    from html.parser import HTMLParser

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: list[str] = []
            self._inside = False

        def handle_starttag(self, tag, attrs):
            self._inside = tag == "script" and dict(attrs).get("type") == "text/python"
            if self._inside:
                self.found.append("")

        def handle_endtag(self, tag):
            self._inside = False

        def handle_data(self, data):
            if self._inside:
                self.found[-1] += data

    parser = Scripts()
    parser.feed((EXTENSION / page).read_text(encoding="utf-8"))
    if len(parser.found) != 1:
        raise BuildError(f"{page} must start its Python with one inline <script type=text/python>")
    lines = parser.found[0].split("\n")
    indents = [re.match(r"\s*", line).end() for line in lines if line.strip()]
    if indents and min(indents) > 0:  # brython.js's unindent: only if every line is indented
        lines = [line if not line.strip() else line[min(indents) :] for line in lines]
    source = "\n".join(lines)
    source = source[1:] if source.startswith("\n") else source
    source = source[:-1] if source.endswith("\n") else source
    return f"{page}#__main__", source


def precompile(
    vfs: dict[str, list], scripts: dict[str, str] | None = None
) -> dict[str, str | list[str]]:
    """Brython's JS for every Python module of the bundle, compiled here by brython.js's own
    compiler under node, in the shape of __BRYTHON__.precompiled (a package's JS in a list).
    The VFS loader runs precompiled JS instead of compiling the source in the browser; the
    source stays in the VFS for finding modules and for tracebacks. `scripts` ({filename:
    source}, see page_script) are the pages' inline scripts, compiled as `__main__` under their
    filename."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is needed to precompile the Python bundle (brython_precompile.js)")
    todo = {
        name: [vfs_filename(name, entry), entry[1]]
        for name, entry in vfs.items()
        if entry[0] == ".py" and entry[1].strip()
    }
    for filename, source in (scripts or {}).items():
        todo[filename] = [filename, source, "__main__"]
    proc = subprocess.run(
        [node, str(PRECOMPILER), str(brython_data_dir() / "brython.js")],
        input=json.dumps(todo),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode != 0:
        raise BuildError(f"precompiling the Python bundle failed:\n{proc.stderr.strip()}")
    compiled = json.loads(proc.stdout)
    return {
        name: [js] if name in vfs and len(vfs[name]) > 3 and vfs[name][3] else js
        for name, js in sorted(compiled.items())
    }


# Loads a page's inline script precompiled (page_script): Brython's run_script compiles it with
# $B.py2js, and that first compile in a fresh frame costs ~25 ms, mostly the compiler warming up
# (measured in the panel's cold boot). The same filename with the same source gets the build's
# JS; any other source (a page edited after the build) is compiled as before.
PRECOMPILED_SCRIPTS_JS = """(function ($B, scripts) {
  var compile = $B.py2js;
  $B.py2js = function (src) {
    var done = src && typeof src === "object" && Object.prototype.hasOwnProperty.call(scripts, src.filename)
      ? scripts[src.filename] : null;
    if (done && done[0] === src.src) {
      return { _ast: { body: [] }, imports: {}, to_js: function () { return done[1]; } };
    }
    return compile.apply(this, arguments);
  };
})(__BRYTHON__, %s);
"""


def write_vfs(
    out_path: Path,
    vfs: dict[str, list],
    compiled: dict | None = None,
    scripts: dict[str, list[str]] | None = None,
) -> None:
    """The bundle: `vfs` for Brython's VFS, `compiled` (precompile) for __BRYTHON__.precompiled,
    and `scripts` ({filename: [source, js]}) for the pages' precompiled inline scripts."""
    vfs = {k: vfs[k] for k in sorted(vfs)}
    digest = hashlib.sha256(json.dumps(vfs, sort_keys=True).encode()).hexdigest()
    compiled = precompile(vfs) if compiled is None else dict(sorted(compiled.items()))
    # The timestamp only keys Brython's module cache: derive it from content, not the clock.
    vfs = {"$timestamp": int(digest[:12], 16), **vfs}
    out_path.write_text(
        "/* Generated by extension_build/build.py: the Python modules of the sandboxed pages. */\n"
        "__BRYTHON__.use_VFS = true;\nvar scripts = "
        + json.dumps(vfs, ensure_ascii=False, separators=(",", ":"))
        + "\n__BRYTHON__.update_VFS(scripts)\n"
        # Precompiled by brython_precompile.js: the browser skips compiling these modules.
        + "Object.assign(__BRYTHON__.precompiled, "
        + json.dumps(compiled, ensure_ascii=False, separators=(",", ":"))
        + ");\n"
        + (
            PRECOMPILED_SCRIPTS_JS
            % json.dumps(dict(sorted(scripts.items())), ensure_ascii=False, separators=(",", ":"))
            if scripts
            else ""
        ),
        encoding="utf-8",
    )


def write_panel_assets(out_path: Path) -> None:
    """herald_assets.js via the panel's own helper (extension/panel/build_assets.py)."""
    import importlib.util

    helper = EXTENSION / "panel" / "build_assets.py"
    if not helper.is_file():
        raise BuildError("extension/panel/build_assets.py is missing")
    spec = importlib.util.spec_from_file_location("herald_panel_build_assets", helper)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_assets_js(out_path, ROOT)


# ---------------------------------------------------------------------------------------------


def check_tree(out_dir: Path, manifest: dict) -> None:
    for path in out_dir.rglob("*"):
        rel = path.relative_to(out_dir)
        bad = [p for p in rel.parts if p.startswith("_") and p != "_locales"]
        if bad:
            raise BuildError(f"Chrome refuses files or folders starting with '_': {rel}")
    background = manifest["background"]
    referenced = background.get("scripts") or [background["service_worker"]]
    referenced += [manifest["options_ui"]["page"]]
    action = manifest.get("action") or manifest.get("browser_action") or {}
    referenced += [action.get("default_popup")] * bool(action.get("default_popup"))
    referenced += manifest.get("sandbox", {}).get("pages", [])
    for cs in manifest.get("content_scripts", []):
        referenced += cs.get("js", []) + cs.get("css", [])
    referenced += list(manifest.get("icons", {}).values())
    missing = sorted({r for r in referenced if not (out_dir / r).is_file()})
    if missing:
        raise BuildError(f"manifest references missing files: {', '.join(missing)}")


def write_zip(out_dir: Path, suffix: str = ".zip") -> Path:
    zip_path = out_dir.with_name(out_dir.name + suffix)
    if zip_path.exists():
        zip_path.unlink()
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(out_dir).as_posix(), date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(
                info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9
            )
    size = zip_path.stat().st_size
    if size > MAX_ZIP_BYTES:
        raise BuildError(f"extension zip is {size} bytes, over the {MAX_ZIP_BYTES} byte budget")
    return zip_path


BROWSERS = ("chrome", "firefox")


def build_extension(
    out_dir: Path,
    site_origins: dict[str, list[str]] | None = None,
    dev: bool = False,
    browser: str = "chrome",
) -> Path:
    """The extension for `browser` in OUT_DIR; returns the package beside it (DIR.zip for
    Chrome, DIR.xpi for Firefox: the same zip format, the name Firefox installs from)."""
    if browser not in BROWSERS:
        raise BuildError(f"unknown browser {browser!r}; known: {', '.join(BROWSERS)}")
    out_dir = Path(out_dir).resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    sites = load_sites()
    manifest = make_manifest(sites, site_origins or {}, dev)
    if browser == "firefox":
        from extension_build.firefox import firefox_manifest

        manifest = firefox_manifest(manifest)
    copy_sources(out_dir)
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_generated(out_dir, sites)
    shutil.copyfile(brython_data_dir() / "brython.js", out_dir / "brython.js")
    build_bundles({out_dir / name: entry for name, entry in BUNDLES.items()})
    write_panel_assets(out_dir / ASSETS_NAME)
    if browser == "firefox":
        from extension_build.firefox import write_background_prelude

        write_background_prelude(out_dir)
    check_tree(out_dir, manifest)
    return write_zip(out_dir, ".xpi" if browser == "firefox" else ".zip")


# ---------------------------------------------------------------------------------------------
# CLI helpers (the `herald build-extension` subcommand wires these up)


def parse_site_origins(values: list[str] | None) -> dict[str, list[str]]:
    """["linkedin=http://127.0.0.1:8001", ...] -> {"linkedin": ["http://127.0.0.1:8001"]}"""
    out: dict[str, list[str]] = {}
    for value in values or []:
        name, sep, origin = value.partition("=")
        if not sep or not name or not origin:
            raise BuildError(f"--site-origin wants SITE=ORIGIN, got {value!r}")
        out.setdefault(name.strip(), []).append(normalise_origin(origin))
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", required=True, type=Path, help="output directory (DIR.zip is written beside it)"
    )
    parser.add_argument(
        "--site-origin",
        action="append",
        default=[],
        metavar="SITE=ORIGIN",
        help="also run on ORIGIN as SITE (linkedin or x); repeatable; for dev and test servers",
    )
    parser.add_argument(
        "--browser",
        choices=BROWSERS,
        default="chrome",
        help="chrome (MV3 zip) or firefox (MV2 xpi)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        zip_path = build_extension(
            args.out, parse_site_origins(args.site_origin), browser=args.browser
        )
    except BuildError as e:
        print(f"build-extension: {e}", file=sys.stderr)
        return 2
    print(f"{args.out}\n{zip_path} ({zip_path.stat().st_size} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="herald build-extension", description=__doc__.splitlines()[0]
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
