"""Share ingestion: each event judged alone, stored once, replays reported as duplicates."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db import db
from server.models import Share
from server.snippets import create_snippet, transition

URL = "/api/v1/shares"


def event(**fields) -> dict:
    base = {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "snippet_id": None,
        "variant": None,
        "edited": True,
        "edit_distance": 12,
        "findings": [{"rule": "length", "severity": "warning"}],
        "shared_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    base.update(fields)
    return base


@pytest.fixture
def headers(auth, employee):
    return auth.headers("eve@acme.test")


@pytest.fixture
def snippet(admin):
    with db.connection_context():
        s = create_snippet(admin, {"title": "Launch", "variants": {"x": ["We launched"]}})
        return transition(admin, s, "approve")


def stored() -> int:
    with db.connection_context():
        return Share.select().count()


def test_valid_events_are_created(client, headers, snippet, employee):
    resp = client.post(
        URL,
        json={
            "events": [
                event(snippet_id=snippet.id, variant=0, edited=False, edit_distance=0),
                event(),
            ]
        },
        headers=headers,
    )
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["created"], body["duplicates"], body["rejected"]) == (2, 0, 0)
    assert [r["outcome"] for r in body["results"]] == ["created", "created"]
    with db.connection_context():
        row = Share.get(Share.snippet == snippet.id)
        assert row.user_id == employee.id and row.edited is False
        assert row.findings == [{"rule": "length", "severity": "warning"}]


def test_snippet_id_and_variant_may_be_left_out(client, headers):
    e = event()
    del e["snippet_id"], e["variant"]
    assert client.post(URL, json={"events": [e]}, headers=headers).get_json()["created"] == 1


def test_partial_batch_keeps_the_valid_and_explains_the_rest(client, headers):
    future = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    events = [
        event(),
        event(network="mastodon"),
        event(event_id="not-a-uuid", edit_distance=-1),
        event(snippet_id=987654),
        event(shared_at=future),
        event(shared_at="yesterday"),
        "not an object",
    ]
    body = client.post(URL, json={"events": events}, headers=headers).get_json()
    assert (body["created"], body["rejected"]) == (1, 6)
    outcomes = {r["index"]: r for r in body["results"]}
    assert outcomes[0]["outcome"] == "created" and "errors" not in outcomes[0]
    assert [e["path"] for e in outcomes[1]["errors"]] == ["/network"]
    assert {e["path"] for e in outcomes[2]["errors"]} == {"/edit_distance", "/event_id"}
    assert outcomes[3]["errors"][0]["path"] == "/snippet_id"
    assert outcomes[4]["errors"] == [{"path": "/shared_at", "message": "is in the future"}]
    assert outcomes[5]["errors"][0]["path"] == "/shared_at"
    assert outcomes[6]["outcome"] == "rejected" and outcomes[6]["event_id"] is None
    assert stored() == 1


def test_a_little_clock_skew_is_fine(client, headers):
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert (
        client.post(URL, json={"events": [event(shared_at=soon)]}, headers=headers).get_json()[
            "created"
        ]
        == 1
    )


def test_replays_are_duplicates_and_never_counted_twice(client, headers):
    first = event()
    client.post(URL, json={"events": [first]}, headers=headers)
    body = client.post(URL, json={"events": [first, first, event()]}, headers=headers).get_json()
    assert [r["outcome"] for r in body["results"]] == ["duplicate", "duplicate", "created"]
    assert (body["created"], body["duplicates"]) == (1, 2)
    assert stored() == 2


def test_racing_requests_store_an_event_once(app, auth, employee):
    token = auth.headers("eve@acme.test")
    events = [event() for _ in range(20)]
    outcomes: list[list[str]] = []

    def post():
        with app.test_client() as c:
            body = c.post(URL, json={"events": events}, headers=token).get_json()
            outcomes.append([r["outcome"] for r in body["results"]])

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stored() == 20
    created = sum(o.count("created") for o in outcomes)
    assert created == 20 and sum(o.count("duplicate") for o in outcomes) == 60


@pytest.mark.parametrize(
    "body, status",
    [
        ([], 422),
        ({"events": "nope"}, 422),
        ({"items": []}, 422),
        ({"events": [], "extra": 1}, 422),
    ],
)
def test_bad_envelopes(client, headers, body, status):
    resp = client.post(URL, json=body, headers=headers)
    assert resp.status_code == status
    assert resp.get_json()["error"]["code"] == "validation_failed"


def test_too_many_events(client, headers, app):
    app.config["SHARE_BATCH_MAX"] = 3
    resp = client.post(URL, json={"events": [event() for _ in range(4)]}, headers=headers)
    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "batch_too_large"
    assert stored() == 0


def test_sign_in_required(client):
    assert client.post(URL, json={"events": [event()]}).status_code == 401


def test_fast_path_is_trusted_only_for_the_schema_it_was_written_against():
    from server.api import shares

    assert shares.schema_fingerprint() == shares.SCHEMA_FINGERPRINT, (
        "shared_schemas/share-event.schema.json changed: check plainly_valid() in "
        "server/api/shares.py against it, then update SCHEMA_FINGERPRINT"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"snippet_id": 3, "variant": 1},
        {"snippet_id": 0},
        {"variant": -1},
        {"variant": True},
        {"edited": 1},
        {"edit_distance": 10001},
        {"edit_distance": 2.0},
        {"network": "X"},
        {"event_id": "3F2504E0-4F89-41D3-9A0C-0305E82C3301"},
        {"event_id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"},
        {"findings": [{"rule": "", "severity": "error"}]},
        {"findings": [{"rule": "r", "severity": "fatal"}]},
        {"findings": [{"rule": "r", "severity": "info", "extra": 1}]},
        {"findings": [{"rule": "r", "severity": "info"}] * 201},
        {"shared_at": 5},
        {"text": "draft text is never accepted"},
    ],
)
def test_fast_path_never_accepts_what_the_schema_rejects(changes):
    from server.api.shares import plainly_valid
    from server.schemas import errors_for

    candidate = event(**changes)
    if plainly_valid(candidate):
        assert errors_for("share-event", candidate) == []
    for key in ("event_id", "network", "edited", "edit_distance", "findings", "shared_at"):
        missing = {k: v for k, v in candidate.items() if k != key}
        assert not plainly_valid(missing) and errors_for("share-event", missing)
