"""Guidelines pages: the rules list, the form editor with examples, the playground shell."""

from __future__ import annotations

import json
import re

import pytest

from server.db import db
from server.errors import APIError
from server.models import AuditEntry
from server.policy_store import get_rule, load_starter_policy


@pytest.fixture
def starter(app):
    with app.app_context(), db.connection_context():
        assert load_starter_policy() > 0


RULE = {
    "id": "no-moonshots",
    "kind": "terms",
    "severity": "warning",
    "message": "Avoid hype.",
    "terms": "moonshot\nto the moon",
    "networks": ["linkedin", "x"],
    "enabled": "1",
    "examples_flag": "This is a moonshot",
    "examples_pass": "We shipped a release",
}


def test_rules_list_shows_the_starter_policy(admin_console, starter):
    page = admin_console.page("/admin/guidelines")
    assert "no-promissory-claims" in page
    assert "personal-data" in page


def test_saving_a_rule_runs_its_examples(admin_console, starter):
    resp = admin_console.post("/admin/guidelines/new", RULE)
    assert resp.status_code == 302
    with db.connection_context():
        doc = get_rule("no-moonshots")
        assert doc["terms"] == ["moonshot", "to the moon"]
        assert doc["examples"] == {"flag": ["This is a moonshot"], "pass": ["We shipped a release"]}
        assert AuditEntry.get(AuditEntry.object_id == "no-moonshots").actor.email == "ada@acme.test"
    assert "no-moonshots" in admin_console.page("/admin/guidelines")


def test_a_failing_example_is_rejected_and_shown(admin_console, starter):
    resp = admin_console.post(
        "/admin/guidelines/new",
        {**RULE, "examples_pass": "We shipped a release\nOur moonshot landed"},
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert re.search(
        r"should pass but does not: <q class=\"failed-example\">Our moonshot landed</q>", page
    )
    assert 'value="no-moonshots"' in page  # the form keeps what was typed
    with db.connection_context(), pytest.raises(APIError):
        get_rule("no-moonshots")


def test_editing_an_existing_rule_round_trips_its_fields(admin_console, starter):
    page = admin_console.page("/admin/guidelines/no-promissory-claims")
    assert "guaranteed returns" in page
    assert admin_console.client.get("/admin/guidelines/nope").status_code == 404


def test_delete_a_rule(admin_console, starter):
    resp = admin_console.post("/admin/guidelines/cashtag/delete", follow_redirects=True)
    assert "Rule cashtag deleted." in resp.get_data(as_text=True)
    assert ">cashtag<" not in admin_console.page("/admin/guidelines")


def test_playground_embeds_the_compiled_policy(admin_console, starter):
    page = admin_console.page("/admin/playground")
    raw = re.search(
        r'<script type="application/json" id="policy-data">(.*?)</script>', page, re.S
    ).group(1)
    policy = json.loads(raw)
    assert policy["format"] == "herald-compiled-policy/1"
    assert any(rule["id"] == "no-promissory-claims" for rule in policy["rules"])
    assert "/admin/assets/guidelines.brython.js" in page


def test_guidelines_bundle_is_built_once_and_cached(admin_console, app, tmp_path):
    app.instance_path = str(tmp_path)  # the default instance folder is shared with other runs
    first = admin_console.client.get("/admin/assets/guidelines.brython.js")
    assert first.status_code == 200
    assert b"__BRYTHON__.update_VFS" in first.get_data()
    cached = list((tmp_path / "console-cache").glob("guidelines-*.brython.js"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    second = admin_console.client.get("/admin/assets/guidelines.brython.js")
    assert second.get_data() == first.get_data()
    assert cached[0].stat().st_mtime_ns == stamp  # served from the cache, not rebuilt
