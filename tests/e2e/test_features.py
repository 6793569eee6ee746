"""Meta-test in the refined-github style: every bridge feature is registered, loaded and documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "extension" / "bridge"
README = (ROOT / "extension" / "README.md").read_text(encoding="utf-8")
FEATURE = re.compile(r"Herald\.feature\(\{\s*name:\s*\"([a-z-]+)\"")


def feature_files() -> dict[str, Path]:
    found = {}
    for path in sorted(BRIDGE.glob("*.js")):
        for name in FEATURE.findall(path.read_text(encoding="utf-8")):
            found[name] = path
    return found


def test_bridge_has_features():
    assert {"composer-finder", "highlights", "post-detect", "relay"} <= set(feature_files())


def test_every_feature_has_setup_and_teardown():
    for name, path in feature_files().items():
        source = path.read_text(encoding="utf-8")
        block = source[source.index(f'name: "{name}"') :]
        assert re.search(r"\bsetup\b", block), f"{name} has no setup"
        assert re.search(r"\bteardown\b", block), f"{name} has no teardown"


def test_every_feature_is_documented():
    for name, path in feature_files().items():
        row = f"| `{name}` | `bridge/{path.name}` |"
        assert row in README, f"extension/README.md lacks the row for {name}: {row}"
    documented = set(re.findall(r"^\| `([a-z-]+)` \| `bridge/", README, re.MULTILINE))
    assert documented == set(feature_files()), "README lists features the bridge does not register"


def test_every_bridge_file_is_loaded_on_both_sites():
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    scripts = [entry["js"] for entry in manifest["content_scripts"]]
    assert len(scripts) >= 2, "one content-script entry per site"
    for path in BRIDGE.glob("*.js"):
        for js in scripts:
            assert f"bridge/{path.name}" in js, f"{path.name} is not loaded by {js}"
        for js in scripts:
            assert (
                js.index("bridge/core.js") < js.index(f"bridge/{path.name}")
                or path.name == "core.js"
            )
            assert js[-1] == "bridge/main.js", "main.js boots the features, so it loads last"
