"""PATCH /me takes exactly what the contract lists: an employee cannot rename or promote themselves."""

from __future__ import annotations

import pytest

from server.db import db
from server.models import User


@pytest.fixture
def headers(auth, employee):
    return auth.headers("eve@acme.test")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Admin (IT Security)"},
        {"name": "Admin (IT Security)", "language": "it"},
        {"role": "admin"},
        {"email": "ceo@acme.test"},
        {"status": "active", "digest_opt_in": False},
        {"teams": [1]},
    ],
)
def test_fields_outside_the_contract_are_refused_and_nothing_changes(
    client, headers, employee, body
):
    resp = client.patch("/api/v1/me", json=body, headers=headers)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert any("unexpected" in d["message"] for d in error["details"]), error
    with db.connection_context():
        after = User.get_by_id(employee.id)
    assert (after.name, after.role, after.email, after.language, after.digest_opt_in) == (
        "Eve Employee",
        "employee",
        "eve@acme.test",
        "en",
        True,
    )


def test_the_listed_preferences_still_save(client, headers):
    resp = client.patch(
        "/api/v1/me",
        json={
            "language": "it",
            "leaderboard_opt_in": True,
            "digest_opt_in": False,
            "follower_count": 420,
        },
        headers=headers,
    )
    assert resp.status_code == 200, resp.get_json()
    me = resp.get_json()
    assert (
        me["name"],
        me["language"],
        me["leaderboard_opt_in"],
        me["digest_opt_in"],
        me["follower_count"],
    ) == (
        "Eve Employee",
        "it",
        True,
        False,
        420,
    )
