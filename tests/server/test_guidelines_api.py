"""Guideline rules over the API: examples run on save, the compiled policy is cached by ETag."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import AuditEntry
from server.policy_store import load_starter_policy

RULE = {
    "id": "no-rumours",
    "kind": "terms",
    "severity": "warning",
    "message": "Don't repeat rumours.",
    "terms": ["rumour has it", "слухи"],
    "replacements": {"rumour has it": ["I heard"]},
    "examples": {
        "flag": ["Rumour has it we grow", "Ходят слухи о сделке"],
        "pass": ["A rumourless day"],
    },
}


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers(admin.email)


@pytest.fixture
def starter(app):
    with app.app_context(), db.connection_context():
        return load_starter_policy()


def test_starter_policy_is_listed_and_compiled(client, admin_headers, starter):
    rules = client.get("/api/v1/guidelines", headers=admin_headers).get_json()["items"]
    assert starter == len(rules)
    assert {rule["kind"] for rule in rules} == {"terms", "pattern", "detector", "require", "limit"}
    policy = client.get("/api/v1/policy", headers=admin_headers).get_json()
    assert [r["id"] for r in policy["rules"]] == [r["id"] for r in rules]


def test_create_rule_changes_the_policy_etag(client, admin_headers, employee, auth, starter):
    employee_headers = auth.headers(employee.email)
    first = client.get("/api/v1/policy", headers=employee_headers)
    etag = first.headers["ETag"]
    assert (
        client.get(
            "/api/v1/policy", headers={**employee_headers, "If-None-Match": etag}
        ).status_code
        == 304
    )

    resp = client.post("/api/v1/guidelines", json=RULE, headers=admin_headers)
    assert resp.status_code == 201, resp.get_json()

    again = client.get("/api/v1/policy", headers={**employee_headers, "If-None-Match": etag})
    assert again.status_code == 200
    assert again.headers["ETag"] != etag
    assert "no-rumours" in [r["id"] for r in again.get_json()["rules"]]


def test_rule_whose_example_fails_is_refused_naming_the_example(client, admin_headers):
    broken = {**RULE, "examples": {"flag": ["Rumour has it", "Nobody said anything"], "pass": []}}
    resp = client.post("/api/v1/guidelines", json=broken, headers=admin_headers)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "policy_invalid"
    assert "Nobody said anything" in error["message"]
    assert any("Nobody said anything" in detail["message"] for detail in error["details"])
    assert client.get("/api/v1/guidelines/no-rumours", headers=admin_headers).status_code == 404


def test_rule_outside_the_regex_subset_is_refused_naming_the_construct(client, admin_headers):
    rule = {
        "id": "backref",
        "kind": "pattern",
        "severity": "error",
        "message": "x",
        "pattern": r"(a)\1",
        "examples": {"flag": [], "pass": []},
    }
    resp = client.post("/api/v1/guidelines", json=rule, headers=admin_headers)
    assert resp.status_code == 422
    assert "backreference" in resp.get_json()["error"]["message"].lower()


def test_schema_errors_name_the_field(client, admin_headers):
    resp = client.post(
        "/api/v1/guidelines", json={**RULE, "severity": "fatal"}, headers=admin_headers
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/severity"


def test_replace_rename_and_delete(client, admin_headers):
    assert client.post("/api/v1/guidelines", json=RULE, headers=admin_headers).status_code == 201
    assert client.post("/api/v1/guidelines", json=RULE, headers=admin_headers).status_code == 409

    changed = {**RULE, "severity": "error"}
    resp = client.put("/api/v1/guidelines/no-rumours", json=changed, headers=admin_headers)
    assert resp.status_code == 200
    assert (
        client.get("/api/v1/guidelines/no-rumours", headers=admin_headers).get_json()["severity"]
        == "error"
    )

    assert client.delete("/api/v1/guidelines/no-rumours", headers=admin_headers).status_code == 204
    assert client.delete("/api/v1/guidelines/no-rumours", headers=admin_headers).status_code == 404
    with db.connection_context():
        actions = [
            e.action for e in AuditEntry.select().where(AuditEntry.object_type == "guideline")
        ]
    assert actions == ["create", "update", "delete"]


def test_playground_check_finds_violation_after_emoji(client, admin_headers, starter):
    text = "🚀 Our fund offers guaranteed returns!"
    resp = client.post(
        "/api/v1/policy/check", json={"text": text, "network": "x"}, headers=admin_headers
    )
    assert resp.status_code == 200
    body = resp.get_json()
    hits = [f for f in body["findings"] if f["match"].lower() == "guaranteed returns"]
    assert hits, body["findings"]
    assert text[hits[0]["start"] : hits[0]["end"]] == "guaranteed returns"
    assert body["length"] == {"network": "x", "value": len(text) + 1, "limit": 280}


def test_employees_cannot_send_drafts_or_edit_rules(client, auth, employee, starter):
    headers = auth.headers(employee.email)
    assert (
        client.post(
            "/api/v1/policy/check", json={"text": "x", "network": "x"}, headers=headers
        ).status_code
        == 403
    )
    assert client.post("/api/v1/guidelines", json=RULE, headers=headers).status_code == 403
