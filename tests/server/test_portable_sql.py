"""Where SQLite and PostgreSQL differ, Herald behaves the same on both.

scripts/test.sh runs this file (with every other server test) once on SQLite and once on a real
PostgreSQL server (HERALD_TEST_DATABASE=postgresql), so each test here is proven on both engines:
case-insensitive search in any script, upserts, RETURNING, and time zones.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from peewee import PostgresqlDatabase, SqliteDatabase

from server.db import db
from server.models import Setting, Share, TrackedLink
from server.settings import get_setting, set_setting
from server.snippets import create_snippet, transition
from server.tracked_links import ensure_links
from tests.conftest import make_user, on_postgres


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def test_the_run_uses_the_engine_it_was_asked_for(app):
    """Guards the PostgreSQL pass itself: a fixture quietly falling back to SQLite would make
    every 'passed on PostgreSQL' claim empty."""
    expected = PostgresqlDatabase if on_postgres() else SqliteDatabase
    assert isinstance(db.obj, expected)
    if on_postgres():
        with db.connection_context():
            (zone,) = db.execute_sql("SHOW TimeZone").fetchone()
        # The test cluster runs far from UTC, so a timestamp that leaned on the server's zone fails.
        assert zone != "UTC"


NAMES = ["Ελένη Παπαδοπούλου", "Жанна Иванова", "Émile Zola", "Zoë Ng"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ελένη", "Ελένη Παπαδοπούλου"),
        ("ΠΑΠΑΔΟΠΟΎΛΟΥ", "Ελένη Παπαδοπούλου"),
        ("жанна", "Жанна Иванова"),
        ("ИВАНОВА", "Жанна Иванова"),
        ("émile", "Émile Zola"),
        ("ZOË", "Zoë Ng"),
    ],
)
def test_people_search_ignores_case_in_every_script(client, admin_headers, query, expected):
    for n, name in enumerate(NAMES):
        make_user(f"person{n}@acme.test", name=name)
    resp = client.get("/api/v1/users", query_string={"q": query}, headers=admin_headers)
    assert resp.status_code == 200, resp.get_json()
    assert [u["name"] for u in resp.get_json()["items"]] == [expected]


def test_snippet_search_ignores_case_in_every_script(client, admin, admin_headers):
    with db.connection_context():
        for title, text in (
            ("Νέο προϊόν", "Δείτε το ΝΈΟ μας προϊόν"),
            ("Новый офис", "Мы открыли НОВЫЙ офис"),
            ("Launch", "We launched"),
        ):
            transition(
                admin, create_snippet(admin, {"title": title, "variants": {"x": [text]}}), "approve"
            )

    def found(q: str) -> list[str]:
        resp = client.get("/api/v1/snippets", query_string={"q": q}, headers=admin_headers)
        assert resp.status_code == 200, resp.get_json()
        return [s["title"] for s in resp.get_json()["items"]]

    assert found("ΝΈΟ ΠΡΟΪΌΝ") == ["Νέο προϊόν"]  # title
    assert found("новый офис") == ["Новый офис"]  # title, and the variant text
    assert found("δείτε") == ["Νέο προϊόν"]  # variant text only
    assert found("%") == []  # a LIKE wildcard matches itself


def test_team_names_clash_in_any_case(client, admin_headers):
    created = client.post("/api/v1/teams", json={"name": "Ομάδα Πωλήσεων"}, headers=admin_headers)
    assert created.status_code == 201, created.get_json()
    clash = client.post("/api/v1/teams", json={"name": "ΟΜΆΔΑ ΠΩΛΉΣΕΩΝ"}, headers=admin_headers)
    assert clash.status_code == 409
    assert clash.get_json()["error"]["code"] == "team_exists"
    listed = client.get("/api/v1/teams", query_string={"q": "πωλήσεων"}, headers=admin_headers)
    assert [t["name"] for t in listed.get_json()["items"]] == ["Ομάδα Πωλήσεων"]


def test_setting_upsert_keeps_one_row_with_the_latest_value(app):
    with app.app_context(), db.connection_context():
        set_setting("emv_currency", "EUR")
        set_setting("emv_currency", "GBP")  # INSERT .. ON CONFLICT (key) DO UPDATE
        assert get_setting("emv_currency") == "GBP"
        assert Setting.select().where(Setting.key == "emv_currency").count() == 1


def test_tracked_link_insert_skips_an_existing_pair(app, admin, employee):
    with app.app_context(), db.connection_context():
        snippet = create_snippet(admin, {"title": "Launch", "variants": {"x": ["Go"]}})
        first = ensure_links(employee.id, {snippet.id: "https://acme.test/a"})
        # INSERT .. ON CONFLICT DO NOTHING: the pair exists, its code stays
        again = ensure_links(employee.id, {snippet.id: "https://acme.test/a"})
        assert again == first
        assert TrackedLink.select().count() == 1


EVENT = {
    "network": "x",
    "snippet_id": None,
    "variant": None,
    "edited": False,
    "edit_distance": 0,
    "findings": [],
    "shared_at": "2026-01-05T09:30:00Z",
}


def test_share_batch_returning_names_only_the_rows_it_inserted(client, auth, employee):
    """INSERT .. ON CONFLICT DO NOTHING RETURNING event_id: a batch mixing new and replayed
    events reports each correctly, on both engines."""
    headers = auth.headers("eve@acme.test")
    known, fresh = str(uuid.uuid4()), str(uuid.uuid4())

    def event(event_id: str) -> dict:
        return {**EVENT, "event_id": event_id}

    assert (
        client.post("/api/v1/shares", json={"events": [event(known)]}, headers=headers).status_code
        == 200
    )
    resp = client.post(
        "/api/v1/shares",
        json={"events": [event(known), event(fresh), event(fresh)]},
        headers=headers,
    )
    assert resp.status_code == 200, resp.get_json()
    assert [r["outcome"] for r in resp.get_json()["results"]] == [
        "duplicate",
        "created",
        "duplicate",
    ]
    with db.connection_context():
        assert Share.select().count() == 2


def test_times_with_an_offset_are_stored_and_compared_in_utc(client, auth, employee):
    """A share sent at 23:30 in Athens (+02:00) is 21:30 UTC, whatever zone the database server
    runs in (the PostgreSQL pass runs it in Pacific/Chatham, +13:45 in January)."""
    headers = auth.headers("eve@acme.test")
    event = {**EVENT, "event_id": str(uuid.uuid4()), "shared_at": "2026-01-05T23:30:00+02:00"}
    assert (
        client.post("/api/v1/shares", json={"events": [event]}, headers=headers).status_code == 200
    )
    with db.connection_context():
        row = Share.get(Share.event_id == event["event_id"])
        assert row.shared_at == datetime(2026, 1, 5, 21, 30)
        # Comparisons in SQL use the same naive UTC: the share is inside [21:00, 22:00) UTC.
        inside = Share.select().where(
            Share.shared_at >= datetime(2026, 1, 5, 21, 0),
            Share.shared_at < datetime(2026, 1, 5, 22, 0),
        )
        assert inside.count() == 1
