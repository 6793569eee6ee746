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
    for mod in SERVER_ONLY | {"re", "json", "guidelines.browser_harness"}:
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
