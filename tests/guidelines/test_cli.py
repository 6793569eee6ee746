from __future__ import annotations

import json
import subprocess
import sys

from gl_support import REPO


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "guidelines", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_check_with_text_argument():
    p = run("check", "--policy", "starter", "--network", "x", "Acme idiot")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert [f["rule"] for f in out["findings"]] == ["employment-disclosure", "respectful-language"]
    assert out["length"] == {"network": "x", "value": 10, "limit": 280}


def test_check_from_stdin_without_findings():
    p = run("check", "--policy", str(REPO / "guidelines" / "starter_policy.json"), stdin="Hello")
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert out["findings"] == []
    assert out["length"] == {"network": "linkedin", "value": 5, "limit": 3000}


def test_test_command_passes_and_fails(tmp_path):
    assert run("test", "--policy", "starter").returncode == 0
    bad = {
        "version": 1,
        "name": "b",
        "rules": [
            {
                "id": "r1",
                "kind": "terms",
                "severity": "info",
                "message": "m",
                "terms": ["foo"],
                "examples": {"flag": ["no match"], "pass": ["foo"]},
            }
        ],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(bad))
    p = run("test", "--policy", str(path))
    assert p.returncode == 1
    assert "r1 examples.flag[0]" in p.stdout and "no match" in p.stdout
    assert "r1 examples.pass[0]" in p.stdout


def test_invalid_policy_exits_2(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "name": "b",
                "rules": [
                    {
                        "id": "r1",
                        "kind": "pattern",
                        "severity": "info",
                        "message": "m",
                        "pattern": "(a)\\1",
                    }
                ],
            }
        )
    )
    for cmd in ("check", "test"):
        p = (
            run(cmd, "--policy", str(path), "x")
            if cmd == "check"
            else run(cmd, "--policy", str(path))
        )
        assert p.returncode == 2
        assert "r1" in p.stderr and "backreference" in p.stderr
