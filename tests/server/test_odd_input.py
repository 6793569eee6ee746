"""Out-of-range numbers, lone surrogates and odd digits: a 4xx in the one error shape, never a 500.

Each case here was a 500 found by fuzzing the OpenAPI document (issue 10).
"""

from __future__ import annotations

import pytest

from server.db import db
from server.models import Share
from tests.server.test_shares import event

HUGE = 2**63
SURROGATE = "\ud800"


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def _error(resp, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, (resp.status_code, resp.data[:300])
    return resp.get_json()["error"]


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", f"/api/v1/teams/{HUGE}"),
        ("PATCH", f"/api/v1/teams/{HUGE}"),
        ("DELETE", f"/api/v1/teams/{HUGE}/members/{HUGE}"),
        ("GET", f"/api/v1/users/{HUGE}"),
        ("GET", f"/api/v1/snippets/{HUGE}"),
        ("POST", f"/api/v1/snippets/{HUGE}/approve"),
        ("GET", f"/api/v1/campaigns/{HUGE}"),
        ("POST", f"/api/v1/invitations/{HUGE}/remind"),
    ],
)
def test_ids_past_the_database_range_are_not_found(client, admin_headers, method, path):
    resp = client.open(path, method=method, json={"name": "x"}, headers=admin_headers)
    # No route takes an id that large: not found, or (when another rule shares the prefix) 405.
    assert _error(resp, (404, 405))["code"] in ("not_found", "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/teams?page={HUGE}",
        f"/api/v1/users?page={HUGE}",
        f"/api/v1/campaigns?page={HUGE}",
        f"/api/v1/invitations?page={HUGE}",
        f"/api/v1/snippets?page={HUGE}",
        f"/api/v1/snippets?campaign={HUGE}",
        f"/api/v1/users?team={HUGE}",
        "/api/v1/users?team=%C2%B9",  # ?team=¹: str.isdigit() says yes, int() says no
        "/api/v1/teams?page=%C2%B9",
        "/api/v1/snippets?team=%EF%BC%91",  # a fullwidth １
    ],
)
def test_odd_numbers_in_the_query_are_a_422(client, admin_headers, path):
    error = _error(client.get(path, headers=admin_headers), 422)
    assert error["code"] == "validation_failed"
    assert error["details"][0]["path"]


def test_odd_page_on_suggestions_is_a_422(client, auth, employee):
    headers = auth.headers("eve@acme.test")
    resp = client.get(f"/api/v1/suggestions?network=x&page={HUGE}", headers=headers)
    assert _error(resp, 422)["code"] == "validation_failed"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "/api/v1/snippets", {"title": "t", "variants": {"x": ["a"]}, "team_ids": [HUGE]}),
        ("POST", "/api/v1/snippets", {"title": "t", "variants": {"x": ["a"]}, "campaign_id": HUGE}),
        ("POST", "/api/v1/teams/1/members", {"user_ids": [HUGE]}),
        ("PATCH", "/api/v1/users/1", {"teams": [HUGE]}),
        ("POST", "/api/v1/invitations", {"email": "n@acme.test", "name": "N", "teams": [HUGE]}),
    ],
)
def test_huge_ids_in_bodies_are_a_422(client, admin_headers, method, path, body):
    client.post("/api/v1/teams", json={"name": "Sales"}, headers=admin_headers)
    resp = client.open(path, method=method, json=body, headers=admin_headers)
    assert _error(resp, 422)["code"] == "validation_failed"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "/api/v1/teams", {"name": f"Sales{SURROGATE}"}),
        ("PATCH", "/api/v1/teams/1", {"name": f"Sales{SURROGATE}"}),
        ("POST", "/api/v1/campaigns", {"name": f"Spring{SURROGATE}"}),
        ("PATCH", "/api/v1/campaigns/1", {"hashtag": f"x{SURROGATE}"}),
        ("POST", "/api/v1/snippets", {"title": SURROGATE, "variants": {"x": ["a"]}}),
        ("PATCH", "/api/v1/users/1", {"name": f"Ada{SURROGATE}"}),
        ("POST", "/api/v1/invitations", {"email": "n@acme.test", "name": SURROGATE}),
        ("POST", "/api/v1/auth/login", {"email": f"ada{SURROGATE}@acme.test", "password": "x"}),
        ("PATCH", "/api/v1/me", {"language": SURROGATE}),
    ],
)
def test_a_lone_surrogate_is_a_422_not_a_500(client, admin_headers, method, path, body):
    client.post("/api/v1/teams", json={"name": "Sales"}, headers=admin_headers)
    client.post("/api/v1/campaigns", json={"name": "Spring"}, headers=admin_headers)
    resp = client.open(path, method=method, json=body, headers=admin_headers)
    error = _error(resp, 422)
    assert error["code"] in ("invalid_text", "validation_failed")


def test_one_bad_event_is_rejected_alone_and_the_rest_are_stored(client, auth, employee):
    """One out-of-range event used to make the whole batch 500; the extension retried it for ever."""
    good = event()
    batch = [
        good,
        event(snippet_id=HUGE),
        event(variant=HUGE),
        event(findings=[{"rule": f"r{SURROGATE}", "severity": "info"}]),
    ]
    resp = client.post(
        "/api/v1/shares", json={"events": batch}, headers=auth.headers("eve@acme.test")
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert [r["outcome"] for r in body["results"]] == [
        "created",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert body["results"][1]["errors"][0]["path"] == "/snippet_id"
    assert body["results"][2]["errors"][0]["path"] == "/variant"
    assert body["results"][3]["errors"][0]["path"] == "/findings/0/rule"
    with db.connection_context():
        assert [s.event_id for s in Share.select()] == [good["event_id"]]


def _integers(node, path=""):
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
            yield path, node
        for key, child in node.items():
            yield from _integers(child, f"{path}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _integers(child, f"{path}/{i}")


def test_every_integer_a_client_sends_has_a_database_sized_maximum(app):
    """Request bodies and share events: an integer past PostgreSQL's `integer` is a 422 up front."""
    from server.request_limits import MAX_INT
    from server.schemas import registry

    names = {getattr(view, "request_schema", None) for view in app.view_functions.values()} - {
        None,
        "shares/batch-request",
    }
    names |= {"share-event", "policy"}
    schemas = registry()[1]
    unbounded = [
        f"{name}{path}"
        for name in sorted(names)
        for path, node in _integers(schemas[name])
        if not isinstance(node.get("maximum"), int) or node["maximum"] > MAX_INT
    ]
    assert unbounded == []
