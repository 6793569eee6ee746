"""The same vectors and twitter-text lengths through Brython + native RegExp in chromium."""

from __future__ import annotations

import shutil

import pytest
from gl_support import load_vectors, twitter_vectors

import guidelines

pytestmark = pytest.mark.browser

RUNNER = """
import guidelines
out = []
for item in payload["cases"]:
    out.append(guidelines.check(item["text"], payload["policies"][item["policy"]], item["network"]))
result["findings"] = out
result["lengths"] = [guidelines.parse_x(t, e) for t, e in payload["lengths"]]
"""


@pytest.fixture(scope="module")
def page():
    if not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed")
    from tests.browser_harness import BrythonPage

    with BrythonPage() as p:
        yield p


def test_brython_matches_cpython(page):
    policies, cases = {}, []
    for v in load_vectors():
        doc = guidelines.load_starter_policy() if v["policy"] == "starter" else v["policy"]
        policies[v["name"]] = guidelines.compile_policy(doc)
        cases += [{"policy": v["name"], **c} for c in v["cases"]]
    lengths = [(t["text"], emo) for _, emo, t in twitter_vectors()]
    lengths += [("😀 中文 https://example.com/a?b=1 ok", True), ("x" * 300, True)]
    res = page.run(RUNNER, {"policies": policies, "cases": cases, "lengths": lengths})

    expected = [guidelines.check(c["text"], policies[c["policy"]], c["network"]) for c in cases]
    assert len(res["findings"]) == len(cases) > 30
    for case, got, exp in zip(cases, res["findings"], expected, strict=True):
        assert got == exp, case["text"]
    assert sum(len(f) for f in expected) > 30
    assert res["lengths"] == [guidelines.parse_x(t, e) for t, e in lengths]
    assert page.run("import sys\nresult['impl'] = sys.implementation.name", {})["impl"] == "Brython"
