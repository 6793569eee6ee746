"""The OpenAPI document: committed copy up to date, valid schemas, and a self-contained served copy."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from server.openapi import OPENAPI_PATH, build, render
from server.schemas import registry


def test_committed_document_is_up_to_date(app):
    assert OPENAPI_PATH.exists(), "shared_schemas/openapi.json is missing: run `herald openapi`"
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == render(build(app)), (
        "shared_schemas/openapi.json is stale (a route or schema changed): "
        "run `herald openapi` and commit the result"
    )


def test_every_request_and_response_schema_is_valid_2020_12(app):
    _, by_name = registry()
    declared = set()
    for endpoint, view in app.view_functions.items():
        for attr in ("request_schema", "response_schema"):
            name = getattr(view, attr, None)
            if name:
                assert name in by_name, f"{endpoint}: no schema file for {name!r}"
                declared.add(name)
    assert {"users/user-list", "invitations/invitation-accept"} <= declared  # the walk found views
    for name in sorted(declared | {"error"}):
        Draft202012Validator.check_schema(by_name[name])
        assert by_name[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        assert by_name[name]["$id"] == f"https://herald.invalid/schemas/{name}.schema.json", name


def test_every_api_operation_declares_who_may_call_it(app):
    doc = build(app)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op["x-herald-access"] in ("public", "employee", "admin"), (method, path)
            if op["x-herald-access"] == "public":
                assert op["security"] == []
            else:
                assert op["security"] == [{"bearerAuth": []}]
                assert op["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}


def test_documented_shapes(app):
    doc = build(app)
    users = doc["paths"]["/api/v1/users/{user_id}"]
    assert users["patch"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/users.user-update"
    }
    assert users["get"]["parameters"][0] == {
        "name": "user_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 2_147_483_647},
    }
    listing = doc["paths"]["/api/v1/users"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"page", "per_page", "status", "team", "q"}
    assert "201" in doc["paths"]["/api/v1/invitations"]["post"]["responses"]
    assert "204" in doc["paths"]["/api/v1/teams/{team_id}"]["delete"]["responses"]
    error = doc["components"]["responses"]["ValidationFailed"]
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/error"}
    assert doc["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] == "JWT"
    # The committed copy points at the schema files, relative to shared_schemas/.
    assert doc["components"]["schemas"]["users.admin-user"] == {
        "$ref": "users/admin-user.schema.json"
    }


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _pointer(doc, ref: str):
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_served_document_is_self_contained(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"] == "3.1.0"
    refs = set(_refs(doc))
    assert refs and all(ref.startswith("#/") for ref in refs), sorted(refs)[:5]
    for ref in refs:
        _pointer(doc, ref)  # raises KeyError when a reference leads nowhere
    assert "$id" not in json.dumps(doc["components"]["schemas"])


def test_real_responses_match_the_served_document(client, auth, admin, employee):
    doc = client.get("/api/v1/openapi.json").get_json()
    base = "urn:herald:openapi"
    reg = Registry().with_resource(base, Resource(contents=doc, specification=DRAFT202012))

    def check(schema_key: str, instance) -> None:
        validator = Draft202012Validator(
            {"$ref": f"{base}#/components/schemas/{schema_key}"}, registry=reg
        )
        assert list(validator.iter_errors(instance)) == []

    headers = auth.headers("ada@acme.test")
    check("users.user-list", client.get("/api/v1/users", headers=headers).get_json())
    check("teams.team-list", client.get("/api/v1/teams", headers=headers).get_json())
    bad = client.get("/api/v1/users?page=0", headers=headers).get_json()
    check("error", bad)
    # And the document can tell a wrong body apart: a page without its total fails.
    broken = client.get("/api/v1/users", headers=headers).get_json()
    del broken["total"]
    validator = Draft202012Validator(
        {"$ref": f"{base}#/components/schemas/users.user-list"}, registry=reg
    )
    assert not validator.is_valid(broken)
