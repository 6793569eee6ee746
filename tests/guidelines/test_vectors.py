from __future__ import annotations

import pytest
from gl_support import load_vectors

import guidelines

FINDING_KEYS = {
    "rule",
    "kind",
    "severity",
    "start",
    "end",
    "match",
    "message",
    "replacements",
    "explain",
    "fix",
}

CASES = [
    pytest.param(v, i, id=f"{v['name']}-{i}")
    for v in load_vectors()
    for i in range(len(v["cases"]))
]
_compiled: dict = {}


def compiled_for(vector: dict) -> dict:
    if vector["name"] not in _compiled:
        doc = (
            guidelines.load_starter_policy() if vector["policy"] == "starter" else vector["policy"]
        )
        _compiled[vector["name"]] = guidelines.compile_policy(doc)
    return _compiled[vector["name"]]


def test_vectors_cover_every_kind():
    kinds = set()
    for v in load_vectors():
        doc = guidelines.load_starter_policy() if v["policy"] == "starter" else v["policy"]
        kinds.update(r["kind"] for r in doc["rules"])
    assert kinds == {"terms", "pattern", "detector", "require", "limit"}


@pytest.mark.parametrize("vector,index", CASES)
def test_vector(vector, index):
    case = vector["cases"][index]
    got = guidelines.check(case["text"], compiled_for(vector), case["network"])
    for finding in got:
        assert set(finding) == FINDING_KEYS
        assert case["text"][finding["start"] : finding["end"]] == finding["match"]
    projected = [{k: g[k] for k in e} for g, e in zip(got, case["expected"], strict=False)]
    assert len(got) == len(case["expected"]), got
    assert projected == case["expected"]
    assert got == sorted(got, key=lambda f: (f["start"], f["end"], f["rule"]))
