from __future__ import annotations

import ast
import json

from gl_support import REPO

from guidelines.bundle import SERVER_ONLY, build_brython_bundle, collect_package

BROWSER_FORBIDDEN = {"re", "json", "unicodedata", "jsonschema", "hashlib"}


def _vfs(path):
    text = path.read_text("utf-8")
    start = text.index("update_VFS(") + len("update_VFS(")
    return json.loads(text[start : text.rindex(");")])


def test_bundle_is_deterministic_and_excludes_server_modules(tmp_path):
    a = build_brython_bundle(tmp_path / "a.js")
    b = build_brython_bundle(tmp_path / "b.js")
    assert a.read_bytes() == b.read_bytes()
    vfs = _vfs(a)
    assert "guidelines" in vfs and vfs["guidelines"][3] == 1
    for mod in ("guidelines.check", "guidelines.weighted", "guidelines.backend_js", "_json"):
        assert mod in vfs
    for mod in SERVER_ONLY | {"re", "json", "tests.browser_harness"}:
        assert mod not in vfs


def test_browser_modules_do_not_import_re_at_module_level():
    for name, entry in collect_package("guidelines").items():
        tree = ast.parse(entry[1])
        top = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                top.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                top.add(node.module.split(".")[0])
        if name == "guidelines.jsonio":
            continue  # imports json only in its CPython branch
        assert not top & BROWSER_FORBIDDEN, name
    assert (REPO / "guidelines" / "regex_subset.py").exists()


PANEL_DIR = REPO / "extension" / "panel"
NEVER_IN_BROWSER = {"re", "_pyrepl", "_pydecimal", "_pydatetime", "datetime", "decimal", "json"}


def _panel_bundle(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_assets", PANEL_DIR / "build_assets.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build_herald_modules(tmp_path / "herald_modules.js")


def test_panel_bundle_is_small_and_has_only_runtime_imports(tmp_path):
    out = _panel_bundle(tmp_path)
    assert out.stat().st_size < 400_000
    text = out.read_text("utf-8")
    names = set()
    for chunk in text.split("__BRYTHON__.update_VFS(")[1:]:
        names |= set(json.loads(chunk[: chunk.rindex(");")]))
    assert not names & NEVER_IN_BROWSER
    assert {"guidelines.check", "guidelines.backend_js", "herald_panel"} <= names
    assert "guidelines.backend_py" not in names and "guidelines.compiler" not in names
    # the browser copy of the regex table carries only the ECMAScript flavor
    vfs = _vfs(build_brython_bundle(tmp_path / "g.js"))
    assert '"py"' not in vfs["guidelines._builtin"][1] and '"js"' in vfs["guidelines._builtin"][1]


def test_panel_modules_import_only_browser_javascript_guidelines_and_each_other():
    allowed = {"browser", "javascript", "guidelines"}
    for path in sorted((PANEL_DIR / "py").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [node.module or ""]
            else:
                continue
            for m in mods:
                top = m.split(".")[0]
                assert top in allowed or top.startswith("herald_"), (path.name, m)


def test_runtime_branches_resolve_for_brython_and_every_check_is_case_insensitive():
    from guidelines.bundle import _implementation_test, _imports

    src = (
        "import sys\n"
        "if sys.implementation.name.lower() == 'brython':\n    import _json\n"
        "else:\n    import json\n"
        "def f():\n    import decimal\n"
    )
    assert _imports(src, "m", False) == ["_json", "decimal", "sys"]
    assert _imports(src, "m", False, functions=False) == ["_json", "sys"]
    exact = ast.parse("sys.implementation.name == 'brython'", mode="eval").body
    assert _implementation_test(exact) is False  # Brython reports "Brython"
    for path in sorted((REPO / "guidelines").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare) and "sys.implementation.name" in ast.unparse(
                node.left
            ):
                assert ".lower()" in ast.unparse(node.left), path.name
