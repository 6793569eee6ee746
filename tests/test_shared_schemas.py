"""Every file in shared_schemas/ is a valid JSON Schema 2020-12 whose $id names its own path,
so `$ref`s resolve the same way in the server, the build and the tests."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMAS = Path(__file__).resolve().parents[1] / "shared_schemas"
FILES = sorted(SCHEMAS.rglob("*.schema.json"))


def test_there_are_schemas_for_api_messages_and_policy():
    names = {str(p.relative_to(SCHEMAS)) for p in FILES}
    assert {"policy.schema.json", "compiled-policy.schema.json", "share-event.schema.json"} <= names
    assert any(n.startswith("messages/") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SCHEMAS)))
def test_schema_is_valid_2020_12_and_named_after_its_path(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://herald.invalid/schemas/{path.relative_to(SCHEMAS)}"
