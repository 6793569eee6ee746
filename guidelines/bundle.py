"""Build ONE deterministic ``.js`` file registering Python modules in Brython's VFS.

Usage (extension build)::

    from guidelines.bundle import build_brython_bundle
    build_brython_bundle("dist/guidelines.brython.js")

Load it after ``brython.js`` (not ``brython_stdlib.js``); then ``import guidelines`` works in
Brython. Server-only modules are left out; the stdlib modules the browser path imports are
copied, with their own dependencies, from the ``brython`` package's ``brython_stdlib.js``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

# never bundled: server tooling, and modules only functions unused in the browser import
SERVER_ONLY = {
    "guidelines.__main__",
    "guidelines.backend_py",
    "guidelines.builtin_sources",
    "guidelines.bundle",
    "guidelines.compiler",
    "guidelines.regex_subset",
    "guidelines.schemas",
}
# stdlib imported only by functions the browser never calls (compile_policy, the starter file)
CPYTHON_ONLY_IMPORTS = {"json", "re", "unicodedata", "pathlib", "jsonschema", "hashlib"}
# modules implemented inside brython.js itself
_BUILTIN = {"browser", "javascript", "_sys", "builtins", "_io", "posix"}
RUNTIME_NAME = "Brython"  # sys.implementation.name under Brython 3.15


def brython_data_dir() -> Path:
    import brython

    return Path(brython.__file__).resolve().parent / "data"


def _stdlib_vfs() -> dict:
    text = (brython_data_dir() / "brython_stdlib.js").read_text(encoding="utf-8")
    start = text.index("var scripts = ") + len("var scripts = ")
    end = text.rindex("__BRYTHON__.update_VFS")
    return json.loads(text[start:end].strip().rstrip(";"))


def _implementation_test(test: ast.expr) -> bool | None:
    """Value of ``sys.implementation.name[.lower()] ==/!= "..."`` under Brython, else None."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.NotEq)
        and isinstance(test.comparators[0], ast.Constant)
        and isinstance(test.comparators[0].value, str)
    ):
        return None
    left, name = test.left, RUNTIME_NAME
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and not left.args:
        if left.func.attr != "lower":
            return None
        left, name = left.func.value, name.lower()
    if ast.unparse(left) != "sys.implementation.name":
        return None
    same = name == test.comparators[0].value
    return same if isinstance(test.ops[0], ast.Eq) else not same


def _imports(source: str, modname: str, is_package: bool, functions: bool = True) -> list[str]:
    """Absolute names a module imports when run by Brython.

    Branches on ``sys.implementation.name`` are resolved for Brython (the other branch's imports
    are left out); with ``functions=False`` only import-time statements count (not function
    bodies), which is how stdlib dependencies are followed.
    """
    pkg = modname.split(".") if is_package else modname.split(".")[:-1]
    found: set[str] = set()

    def visit(stmts: list) -> None:
        for node in stmts:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg[: len(pkg) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                    found.add(mod)
                    for a in node.names:
                        found.add(f"{mod}.{a.name}")
                else:
                    found.add(node.module or "")
            elif isinstance(node, ast.If):
                which = _implementation_test(node.test)
                if which is not False:
                    visit(node.body)
                if which is not True:
                    visit(node.orelse)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if functions:
                    visit(node.body)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for h in node.handlers:
                    visit(h.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.ClassDef | ast.With | ast.For | ast.While):
                visit(node.body)
                visit(getattr(node, "orelse", []))

    visit(ast.parse(source).body)
    return sorted(m for m in found if m)


def _browser_source(name: str, src: str) -> str:
    """The generated regex table keeps only the ECMAScript flavor in the browser."""
    if name != "guidelines._builtin":
        return src
    from ._builtin import PATTERNS

    js = {k: {"js": v["js"]} for k, v in sorted(PATTERNS.items())}
    return (
        '"""Browser copy of guidelines._builtin: ECMAScript flavor only."""\n\n'
        f"PATTERNS = {json.dumps(js, ensure_ascii=False, indent=1)}\n"
    )


def _skipped(name: str, extra: frozenset = frozenset()) -> bool:
    """Never bundled: SERVER_ONLY / CPYTHON_ONLY_IMPORTS / ``extra`` modules and their names."""
    skip = SERVER_ONLY | CPYTHON_ONLY_IMPORTS | extra
    parts = name.split(".")
    return any(".".join(parts[:k]) in skip for k in range(1, len(parts) + 1))


def collect_package(package: str, root: Path | None = None) -> dict[str, list]:
    """VFS entries for a package's browser-safe modules: name -> [ext, source, imports(, 1)]."""
    root = root or Path(__file__).resolve().parents[1]
    pkg_dir = root / package.replace(".", "/")
    out: dict[str, list] = {}
    for path in sorted(pkg_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        name = ".".join(parts)
        if name in SERVER_ONLY:
            continue
        src = _browser_source(name, path.read_text(encoding="utf-8"))
        # import lists name only what Brython will import (other build tools follow them)
        deps = [d for d in _imports(src, name, is_pkg) if not _skipped(d)]
        entry: list = [".py", src, deps]
        if is_pkg:
            entry.append(1)
        out[name] = entry
    return out


def build_brython_bundle(
    out_path: str | Path,
    packages: list[str] | None = None,
    extra_stdlib: list[str] | None = None,
    exclude: list[str] | None = None,
    entries: list[str] | None = None,
) -> Path:
    """Write the bundle; returns its path. Same inputs -> byte-identical output.

    Only the import closure of ``entries`` (default: each package's ``__init__`` plus
    ``guidelines.jsonio``) is bundled: modules imported under a CPython-only branch, listed in
    ``exclude`` / ``SERVER_ONLY`` / ``CPYTHON_ONLY_IMPORTS``, or imported only by stdlib
    functions are left out.
    """
    packages = packages or ["guidelines"]
    skip = frozenset(exclude or [])
    available: dict[str, list] = {}
    for p in packages:
        available.update(collect_package(p))
    stdlib = _stdlib_vfs()
    todo = list(
        entries or [*packages, *(["guidelines.jsonio"] if "guidelines" in packages else [])]
    )
    todo += list(extra_stdlib or [])
    vfs: dict[str, list] = {}
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or _skipped(name, skip) or name in _BUILTIN:
            continue
        seen.add(name)
        if name in available:
            entry = available[name]
            deps = entry[2]
        elif name in stdlib:
            entry = stdlib[name]
            deps = []
            if entry[0] == ".py":
                deps = _imports(entry[1], name, len(entry) > 3 and entry[3] == 1, functions=False)
        else:
            continue
        vfs[name] = entry
        todo.extend(deps)
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)
    body = json.dumps(dict(sorted(vfs.items())), ensure_ascii=False, sort_keys=True)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "// Generated by guidelines.bundle.build_brython_bundle. Do not edit.\n"
        "__BRYTHON__.use_VFS = true;\n"
        f"__BRYTHON__.update_VFS({body});\n",
        encoding="utf-8",
    )
    return out
