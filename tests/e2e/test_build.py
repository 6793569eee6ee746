"""The extension build (extension_build/build.py): what Chrome and the store will see."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from extension_build.build import (
    MAX_ZIP_BYTES,
    BuildError,
    build_extension,
    page_script,
    parse_site_origins,
)

ROOT = Path(__file__).resolve().parents[2]


def vfs_modules(bundle_text: str) -> set[str]:
    start = bundle_text.index("var scripts = ") + len("var scripts = ")
    end = bundle_text.rindex("__BRYTHON__.update_VFS")
    return set(json.loads(bundle_text[start:end])) - {"$timestamp"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "ext"
    zip_path = build_extension(
        out, {"linkedin": ["http://127.0.0.1:8123"], "x": ["http://localhost:8124/"]}
    )
    return out, zip_path


def test_store_build_is_byte_for_byte_deterministic(tmp_path):
    a = build_extension(tmp_path / "a" / "ext", {})
    b = build_extension(tmp_path / "b" / "ext", {})
    assert a.read_bytes() == b.read_bytes()
    manifest = json.loads((tmp_path / "a" / "ext" / "manifest.json").read_text())
    assert not any("127.0.0.1:8" in m for cs in manifest["content_scripts"] for m in cs["matches"])


def test_only_a_dev_build_asks_for_a_server_on_this_machine(tmp_path, built):
    """The store build asks no host permission for localhost / 127.0.0.1 (the company's server
    is reached through CORS); --dev or a --site-origin build does, for a local server."""
    build_extension(tmp_path / "store" / "ext", {})
    build_extension(tmp_path / "dev" / "ext", {}, dev=True)
    store = json.loads((tmp_path / "store" / "ext" / "manifest.json").read_text())
    dev = json.loads((tmp_path / "dev" / "ext" / "manifest.json").read_text())
    local = ("localhost", "127.0.0.1")
    asked = [p for p in store.get("host_permissions", []) if any(h in p for h in local)]
    assert asked == []
    assert "localhost" not in json.dumps(store.get("content_scripts"))
    for manifest in (dev, json.loads((built[0] / "manifest.json").read_text())):
        assert {"http://localhost/*", "http://127.0.0.1/*"} <= set(manifest["host_permissions"])


def test_site_origins_reach_the_matching_adapter_only(built):
    out, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    by_site = {cs["matches"][0]: cs["matches"] for cs in manifest["content_scripts"]}
    assert "http://127.0.0.1:8123/*" in by_site["https://www.linkedin.com/*"]
    assert "http://127.0.0.1:8123/*" not in by_site["https://x.com/*"]
    assert "http://localhost:8124/*" in by_site["https://x.com/*"]
    assert "http://localhost:8124/*" in manifest["host_permissions"]
    assert all(
        "http://127.0.0.1:8123/*" in w["matches"] for w in manifest["web_accessible_resources"]
    )
    generated = (out / "bridge" / "generated.js").read_text()
    assert '"http://127.0.0.1:8123"' in generated and '"insert"' in generated


def test_tree_is_loadable_and_small(built):
    out, zip_path = built
    assert zip_path.stat().st_size <= MAX_ZIP_BYTES
    names = zipfile.ZipFile(zip_path).namelist()
    assert not [
        n for n in names if any(p.startswith("_") and p != "_locales" for p in n.split("/"))
    ]
    assert "brython.js" in names and "brython_stdlib.js" not in names
    manifest = json.loads((out / "manifest.json").read_text())
    for page in manifest["sandbox"]["pages"] + [
        manifest["options_ui"]["page"],
        manifest["background"]["service_worker"],
    ]:
        assert page in names


def test_bundle_holds_the_panel_python_and_only_needed_stdlib(built):
    out, _ = built
    modules = vfs_modules((out / "herald_panel_modules.js").read_text())
    assert {"herald_panel", "herald_propose", "herald_share", "guidelines", "guidelines.check"} <= (
        modules
    )
    # Never the test/debug half of the stdlib that Brython would only load lazily.
    assert not modules & {"unittest", "doctest", "pdb", "asyncio", "_pyrepl"}


def test_each_sandboxed_page_loads_a_bundle_of_only_its_own_modules(built):
    """The panel's frame is created on every LinkedIn and X page: it must not load and parse the
    options page's modules (a third of the Python), and the options page not the panel's."""
    out, _ = built
    panel_html = (out / "panel" / "panel.html").read_text()
    options_html = (out / "options" / "options-panel.html").read_text()
    assert '<script src="../herald_panel_modules.js">' in panel_html
    assert '<script src="../herald_modules.js">' in options_html
    panel = vfs_modules((out / "herald_panel_modules.js").read_text())
    options = vfs_modules((out / "herald_modules.js").read_text())
    assert not panel & {"herald_options_page", "herald_options", "herald_my_data", "herald_schema"}
    assert "herald_panel" not in options and "herald_options_page" in options


def test_bad_site_origin_is_refused(tmp_path):
    with pytest.raises(BuildError):
        parse_site_origins(["linkedin"])
    with pytest.raises(BuildError):
        build_extension(tmp_path / "ext", {"myspace": ["http://127.0.0.1:1"]})


def test_bundle_modules_are_precompiled_to_brython_js(built):
    out, _ = built
    text = (out / "herald_panel_modules.js").read_text()
    start = text.index("Object.assign(__BRYTHON__.precompiled, ") + len(
        "Object.assign(__BRYTHON__.precompiled, "
    )
    compiled = json.loads(text[start : text.index(");\n", start)])
    # What Brython's VFS loader runs instead of compiling the source in the browser.
    assert 'var __file__ = locals.__file__ = "VFS.herald_panel.py"' in compiled["herald_panel"]
    assert isinstance(compiled["guidelines"], list)  # a package, as Brython stores one
    assert "VFS.guidelines/__init__.py" in compiled["guidelines"][0]
    assert "locals_guidelines_check" in compiled["guidelines.check"]
    assert set(compiled) <= vfs_modules(text)


# ------------------------------------------------------------------------------------------------
# Firefox (extension_build/firefox.py): the same sources, an MV2 manifest, a .xpi

FIREFOX_ONLY_KEYS = {"browser_specific_settings", "browser_action", "content_security_policy"}


@pytest.fixture(scope="module")
def firefox_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build-ff") / "ext"
    xpi = build_extension(out, {"linkedin": ["http://127.0.0.1:8123"]}, browser="firefox")
    return out, xpi


def test_chrome_manifest_has_no_firefox_keys(built):
    manifest = json.loads((built[0] / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert not FIREFOX_ONLY_KEYS & set(manifest)
    assert "gecko" not in json.dumps(manifest) and "unsafe-eval" not in json.dumps(manifest)
    assert not (built[0] / "worker" / "mv2_background.js").exists()


def test_firefox_package_is_mv2_with_eval_for_brython_and_a_gecko_id(firefox_built):
    out, xpi = firefox_built
    assert xpi.suffix == ".xpi" and xpi.stat().st_size <= MAX_ZIP_BYTES
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["manifest_version"] == 2
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"].startswith("{") and gecko["strict_min_version"] == "153.0"
    assert "'unsafe-eval'" in manifest["content_security_policy"]
    assert not {"sandbox", "action", "host_permissions", "minimum_chrome_version"} & set(manifest)
    # The worker's own importScripts list, in order, after the MV2 prelude, then worker.js.
    scripts = manifest["background"]["scripts"]
    assert scripts[0] == "worker/mv2_background.js" and scripts[1] == "shim.js"
    assert scripts[-1] == "worker/worker.js" and "worker/queue.js" in scripts
    assert manifest["background"]["persistent"] is False
    # Firefox match patterns have no port: the origin's host, on any port.
    assert "http://127.0.0.1/*" in manifest["permissions"]
    assert "http://127.0.0.1/*" in manifest["content_scripts"][0]["matches"]
    assert not [p for cs in manifest["content_scripts"] for p in cs["matches"] if ":8123" in p]
    assert "panel/*" in manifest["web_accessible_resources"]
    names = zipfile.ZipFile(xpi).namelist()
    assert {"manifest.json", "shim.js", "panel/panel.html", "worker/mv2_background.js"} <= set(
        names
    )
    # One shim: the Firefox package carries the same bytes as the Chrome source.
    assert (out / "shim.js").read_bytes() == (ROOT / "extension" / "shim.js").read_bytes()


def test_firefox_build_is_deterministic_and_leaves_chrome_alone(tmp_path):
    a = build_extension(tmp_path / "a" / "ext", {}, browser="firefox")
    b = build_extension(tmp_path / "b" / "ext", {}, browser="firefox")
    assert a.read_bytes() == b.read_bytes()
    chrome = build_extension(tmp_path / "c" / "ext", {})
    assert chrome.suffix == ".zip" and chrome.read_bytes() != a.read_bytes()


def addons_linter() -> Path:
    path = ROOT / "extension_build" / "addons_linter" / "node_modules" / ".bin" / "addons-linter"
    if not path.exists():
        pytest.fail("addons-linter is not installed: run scripts/bootstrap.sh")
    return path


def test_firefox_package_passes_addons_linter(firefox_built):
    """Mozilla's addons-linter (pinned in extension_build/addons_linter): no error, and each
    warning code is one extension/README.md lists with the reason it stays."""
    _, xpi = firefox_built
    proc = subprocess.run(
        [str(addons_linter()), "--output", "json", str(xpi)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(proc.stdout)
    assert report["errors"] == [], report["errors"]
    readme = (ROOT / "extension" / "README.md").read_text(encoding="utf-8")
    unexplained = {w["code"] for w in report["warnings"] if f"`{w['code']}`" not in readme}
    assert unexplained == set()


@pytest.mark.parametrize(
    "bundle, page, entry",
    [
        ("herald_panel_modules.js", "panel/panel.html", "herald_panel"),
        ("herald_modules.js", "options/options-panel.html", "herald_options_page"),
    ],
)
def test_each_bundle_carries_its_pages_entry_script_precompiled(built, bundle, page, entry):
    """Brython compiles a page's inline <script type="text/python"> when the page starts; the
    bundle carries it compiled, keyed by the name and source Brython gives it (the browser test
    test_the_pages_compile_no_python_in_the_browser shows the compiler then never runs)."""
    out, _ = built
    text = (out / bundle).read_text()
    marker = "})(__BRYTHON__, "
    scripts = json.loads(text[text.rindex(marker) + len(marker) : text.rindex(");")])
    filename, source = page_script(page)
    assert list(scripts) == [f"{page}#__main__"] == [filename]
    assert scripts[filename][0] == source
    assert source.startswith(f"import {entry}\n{entry}.start()")
    assert f'$B.import("{entry}"' in scripts[filename][1]
