"""`herald demo`: a believable program in five languages, and running it twice adds nothing."""

from __future__ import annotations

from server.db import db
from server.demo import DEMO_PASSWORD, load_demo
from server.models import (
    ALL_MODELS,
    Click,
    Share,
    Snippet,
    SnippetVariant,
    TrackedLink,
    User,
)
from server.settings import get_setting
from server.snippets import safe_link, x_weighted_length


def counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def test_demo_is_idempotent(app):
    with app.app_context(), db.connection_context():
        load_demo()
        first = counts()
        lines = load_demo()
        assert counts() == first
    assert first["Share"] > 0 and first["Click"] > 0 and first["TrackedLink"] > 0
    assert any("0 new shares and 0 new clicks" in line for line in lines)


def test_demo_content(app):
    with app.app_context(), db.connection_context():
        lines = load_demo()
        approved = list(Snippet.select().where(Snippet.status == "approved"))
        assert len(approved) >= 25
        assert {s.language for s in approved} == {"en", "ru", "el", "it", "th"}
        assert any(s.targeted for s in approved) and any(not s.targeted for s in approved)
        assert any(s.featured for s in approved)
        assert any(s.link_url for s in approved) and all(
            safe_link(s.link_url) for s in approved if s.link_url
        )
        for snippet in approved:
            networks = {v.network for v in snippet.variants}
            assert networks == {"linkedin", "x"}, snippet.title
        for variant in SnippetVariant.select().where(SnippetVariant.network == "x"):
            assert x_weighted_length(variant.text) <= 280, variant.text
        assert get_setting("program_name") == "Acme Voices"
        assert User.get(User.email == "admin@acme.test").role == "admin"
        assert User.select().where(User.status == "invited").count() >= 2
        eve = User.get(User.email == "eve@acme.test")
        assert [m.team.name for m in eve.memberships] == ["Engineering"]
        # A few weeks of activity for the dashboard, spread over more than one week.
        days = {s.shared_at.date() for s in Share.select()}
        assert len(days) > 7
        assert {c.ua_family for c in Click.select()} <= {
            "chrome",
            "firefox",
            "safari",
            "edge",
            "bot",
            "other",
        }
        assert TrackedLink.select().count() > 0
    text = "\n".join(lines)
    for expected in (
        "admin@acme.test",
        "eve@acme.test",
        DEMO_PASSWORD,
        "herald run",
        "/admin",
        "herald build-extension --out dist/chrome",
        "Load unpacked",
        "tests/fixtures/sites/",
    ):
        assert expected in text


def test_demo_accounts_can_sign_in_and_see_suggestions(app, client, auth):
    with app.app_context(), db.connection_context():
        load_demo()
    headers = auth.headers("eve@acme.test", DEMO_PASSWORD)
    body = client.get("/api/v1/suggestions?network=x&per_page=100", headers=headers).get_json()
    assert body["total"] >= 15
    assert all(item["variants"] for item in body["items"])
    assert auth.login("nora@acme.test", DEMO_PASSWORD).status_code == 401  # invited, not joined


def test_cli_prints_the_credentials(runner, app, monkeypatch):
    monkeypatch.setattr("server.cli._app", lambda **_: app)
    from server.cli import main

    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "admin@acme.test" in result.output and DEMO_PASSWORD in result.output
    assert "Loaded the starter policy" in result.output


def test_demo_suggestions_pass_the_demo_policy(app):
    """What the demo suggests must be shareable as is: no finding of the policy `herald demo`
    loads (the starter policy) on any approved variant, for its network."""
    import guidelines
    from server.policy_store import compiled_policy, load_starter_policy

    with app.app_context(), db.connection_context():
        load_starter_policy()
        load_demo()
        policy = compiled_policy()
        checked = 0
        for snippet in Snippet.select().where(Snippet.status == "approved"):
            for variant in snippet.variants:
                findings = guidelines.check(variant.text, policy, variant.network)
                assert findings == [], (snippet.title, variant.text, findings)
                checked += 1
    assert checked >= 50
