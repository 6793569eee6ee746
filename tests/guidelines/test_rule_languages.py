"""Rule messages and explanations per language: a plain string stays valid, an object gives
languages, the panel shows the employee's and falls back to the policy's default."""

from __future__ import annotations

import json

import jsonschema
import pytest
from gl_support import REPO

import guidelines
from guidelines.schemas import COMPILED_SCHEMA, POLICY_SCHEMA

LANGUAGES = ("en", "ru", "el", "it", "th")


def _doc(message, explain=None, **policy):
    rule = {
        "id": "r1",
        "kind": "terms",
        "severity": "warning",
        "message": message,
        "terms": ["foo"],
        "examples": {"flag": ["foo"], "pass": ["food"]},
    }
    if explain is not None:
        rule["explain"] = explain
    return {"version": 1, "name": "t", "rules": [rule], **policy}


def test_the_starter_policy_speaks_five_languages_in_every_rule():
    doc = guidelines.load_starter_policy()
    jsonschema.Draft202012Validator(POLICY_SCHEMA).validate(doc)
    for rule in doc["rules"]:
        for field in ("message", "explain"):
            assert set(rule[field]) == set(LANGUAGES), (rule["id"], field)
            assert all(text.strip() for text in rule[field].values())
    # Thai is written without spaces between words: no rule message is split word by word.
    for rule in doc["rules"]:
        assert rule["message"]["th"].count(" ") <= 3, rule["message"]["th"]


def test_findings_come_in_the_employees_language_else_the_default():
    compiled = guidelines.compile_policy(
        _doc({"en": "Mind foo", "ru": "Осторожно с foo"}, {"en": "Why", "ru": "Почему"})
    )
    jsonschema.Draft202012Validator(COMPILED_SCHEMA).validate(compiled)
    [ru] = guidelines.check("a foo", compiled, "x", "ru")
    assert (ru["message"], ru["explain"]) == ("Осторожно с foo", "Почему")
    [ru_ru] = guidelines.check("a foo", compiled, "x", "ru-RU")
    assert ru_ru["message"] == "Осторожно с foo"
    [th] = guidelines.check("a foo", compiled, "x", "th")  # no Thai: the default (English)
    assert (th["message"], th["explain"]) == ("Mind foo", "Why")
    [plain] = guidelines.check("a foo", compiled, "x")  # no language: as before
    assert plain["message"] == "Mind foo"


def test_the_policys_default_language_is_the_fallback():
    compiled = guidelines.compile_policy(
        _doc({"it": "Attenzione a foo", "el": "Προσοχή στο foo"}, default_language="it")
    )
    assert compiled["default_language"] == "it"
    [f] = guidelines.check("a foo", compiled, "linkedin", "ru")
    assert f["message"] == "Attenzione a foo"
    [f] = guidelines.check("a foo", compiled, "linkedin", "el")
    assert f["message"] == "Προσοχή στο foo"


def test_a_plain_string_policy_compiles_exactly_as_before():
    """Backward compatible: the same compiled document and hash as a policy written before languages."""
    compiled = guidelines.compile_policy(_doc("Mind foo", "Why"))
    assert "messages" not in compiled["rules"][0] and "default_language" not in compiled
    [f] = guidelines.check("a foo", compiled, "x", "ru")
    assert f["message"] == "Mind foo"


@pytest.mark.parametrize(
    "message",
    [{}, {"en": ""}, {"english": "x"}, {"EN": "x"}, 5],
)
def test_bad_language_maps_are_refused_with_the_field_named(message):
    with pytest.raises(guidelines.PolicyError) as err:
        guidelines.compile_policy(_doc(message))
    assert any(e["rule"] == "r1" and "message" in e["field"] for e in err.value.errors)


def test_shared_schema_files_are_current():
    on_disk = json.loads((REPO / "shared_schemas" / "policy.schema.json").read_text("utf-8"))
    assert on_disk == POLICY_SCHEMA
