"""Single sign-on against a real OpenID Connect provider (npm oidc-provider on loopback).

Each case runs through both front doors: the console (sign-in page button -> provider -> callback
-> console session) and the extension's API (start -> provider -> exchange -> Herald tokens). The
ID tokens the provider would never issue (wrong audience, expired) are signed with the provider's
own key, so Herald checks them against the real keys at the provider's jwks_uri.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from server import console_sessions, create_app, oidc
from server.config import DEFAULTS
from server.db import create_tables, db
from server.models import Membership, Team, User
from tests.conftest import PASSWORD, AuthActions, make_user
from tests.oidc_support import (
    EXTENSION_REDIRECT,
    FIREFOX_REDIRECT,
    sign_in_at_provider,
    start_provider,
)

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://herald.test"
CONSOLE_CALLBACK = f"{BASE}/admin/sign-in/sso/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    found = start_provider(
        tmp_path_factory.mktemp("oidc"), [EXTENSION_REDIRECT, FIREFOX_REDIRECT, CONSOLE_CALLBACK]
    )
    yield found
    found.stop()


@pytest.fixture
def app(tmp_path, provider):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "PUBLIC_BASE_URL": BASE,
            **provider.herald_config(OIDC_ALLOWED_DOMAINS=["acme.test"], OIDC_TEAMS_CLAIM="groups"),
        }
    )
    with app.app_context():
        create_tables()
    make_user("ada@acme.test", role="admin", name="Ada Admin")
    make_user("eve@acme.test", teams=("Engineering",), name="Eve Employee")
    with db.connection_context():  # no passwords: they only ever come by single sign-on
        User.create(email="dan@acme.test", name="Dan Disabled", status="disabled")
        User.create(email="ivy@acme.test", name="Ivy Invitee", status="invited")
        for name in ("Sales", "Marketing"):
            Team.create(name=name)
    yield app
    if not db.is_closed():
        db.close()


@dataclass
class Outcome:
    status: int
    code: str | None  # the API's error code, or None
    text: str  # the API's message, or the console page's text
    email: str | None  # who is signed in afterwards


class ApiFlow:
    """The extension's way in: POST start, the provider, POST exchange."""

    name = "api"

    def __init__(self, client, redirect: str = EXTENSION_REDIRECT):
        self.client = client
        self.redirect = redirect
        self.transaction = None

    def start(self) -> str:
        resp = self.client.post("/api/v1/auth/oidc/start", json={"redirect_uri": self.redirect})
        assert resp.status_code == 200, resp.get_json()
        self.transaction = resp.get_json()["transaction"]
        return resp.get_json()["authorization_url"]

    def finish(self, back: str, state: str | None = None) -> Outcome:
        assert back.startswith(self.redirect), back
        query = parse_qs(urlsplit(back).query)
        answer = {
            "transaction": self.transaction,
            "code": query["code"][0],
            "state": state or query["state"][0],
        }
        if "iss" in query:  # RFC 9207, as the extension forwards it
            answer["iss"] = query["iss"][0]
        resp = self.client.post("/api/v1/auth/oidc/exchange", json=answer)
        body = resp.get_json()
        if resp.status_code != 200:
            return Outcome(resp.status_code, body["error"]["code"], body["error"]["message"], None)
        me = self.client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert me.status_code == 200
        return Outcome(200, None, "", me.get_json()["email"])


class ConsoleFlow:
    """The console's way in: the sign-in page's button, the provider, the callback."""

    name = "console"

    def __init__(self, client):
        self.client = client

    def start(self) -> str:
        page = self.client.get("/admin/sign-in").get_data(as_text=True)
        assert "Sign in with Acme SSO" in page
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        resp = self.client.post(
            "/admin/sign-in/sso", data={"csrf_token": csrf, "next": "/admin/people"}
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return resp.location

    def finish(self, back: str, state: str | None = None) -> Outcome:
        assert back.startswith(CONSOLE_CALLBACK), back
        if state is not None:
            back = re.sub(r"state=[^&]+", f"state={state}", back)
        resp = self.client.get(back.removeprefix(BASE))
        text = re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))
        if resp.status_code != 302:
            return Outcome(resp.status_code, None, " ".join(text.split()), None)
        assert resp.location == "/admin/people"  # where the sign-in page was asked to go
        with self.client.session_transaction() as session:
            sid = session.get("sid")  # the server-side console session (server.console_sessions)
        with db.connection_context():
            uid = console_sessions.session_user_id(sid)
            email = User.get_by_id(uid).email if uid else None
        return Outcome(200, None, "", email)


@pytest.fixture(params=[ApiFlow, ConsoleFlow], ids=lambda cls: cls.name)
def flow(request, client):
    return request.param(client)


def nonce_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["nonce"][0]


def refused(outcome: Outcome, status: int, code: str, words: str) -> None:
    assert outcome.status == status, outcome
    assert outcome.email is None
    if outcome.code is not None:  # the API names the failure; the console explains it
        assert outcome.code == code, outcome
    assert words in outcome.text, outcome


def mint_for(provider, url: str, login: str, **claims) -> str:
    return provider.mint(
        sub=login,
        email=login,
        email_verified=True,
        nonce=nonce_of(url),
        **claims,
    )


# --- The seven cases the issue names, through both doors ------------------------------------------


def test_happy_path_signs_the_person_in(flow, client):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "ada@acme.test"))
    assert outcome == Outcome(200, None, "", "ada@acme.test")
    if flow.name == "console":
        assert "People" in client.get("/admin/people").get_data(as_text=True)


def test_id_token_for_another_audience_is_refused(flow, provider):
    url = flow.start()
    provider.serve_next_id_token(mint_for(provider, url, "ada@acme.test", aud="someone-else"))
    outcome = flow.finish(sign_in_at_provider(url, "ada@acme.test"))
    refused(outcome, 401, "sso_invalid_id_token", "issued for another application")


def test_expired_id_token_is_refused(flow, provider):
    url = flow.start()
    now = int(time.time())
    provider.serve_next_id_token(
        mint_for(provider, url, "ada@acme.test", iat=now - 7200, exp=now - 3600)
    )
    outcome = flow.finish(sign_in_at_provider(url, "ada@acme.test"))
    refused(outcome, 401, "sso_invalid_id_token", "it has expired")


def test_tampered_id_token_is_refused(flow, provider):
    """Eve signs in at the provider; on the way her token's e-mail is changed to the admin's."""
    url = flow.start()
    provider.tamper_next_id_token(email="ada@acme.test", sub="ada@acme.test")
    outcome = flow.finish(sign_in_at_provider(url, "eve@acme.test"))
    refused(outcome, 401, "sso_invalid_id_token", "signature does not match")


def test_replayed_nonce_is_refused(flow, provider, client):
    first = flow.finish(sign_in_at_provider(flow.start(), "eve@acme.test"))
    assert first.email == "eve@acme.test"
    stolen = provider.last_id_token()  # valid signature, audience and expiry; the old nonce
    second = type(flow)(client)
    url = second.start()
    provider.serve_next_id_token(stolen)
    outcome = second.finish(sign_in_at_provider(url, "eve@acme.test"))
    refused(outcome, 401, "sso_invalid_id_token", "another sign-in attempt (nonce)")


def test_state_mismatch_is_refused_and_burns_the_attempt(flow):
    back = sign_in_at_provider(flow.start(), "ada@acme.test")
    outcome = flow.finish(back, state="not-the-state-we-sent")
    refused(outcome, 400, "sso_state_mismatch", "does not belong to a sign-in started here")
    # The genuine answer arriving afterwards finds that attempt already over.
    again = flow.finish(back)
    refused(again, 400, "sso_state_mismatch", "already used")


def test_email_outside_the_allowed_domains_is_refused(flow):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "olga@other.test"))
    refused(outcome, 403, "sso_domain_not_allowed", "Accounts from other.test may not sign in")


def test_disabled_user_is_refused(flow):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "dan@acme.test"))
    refused(outcome, 403, "account_disabled", "This Herald account is disabled")


# --- More of the same door ---------------------------------------------------------------------


def test_an_answer_naming_another_issuer_is_refused(flow):
    """RFC 9207: the provider names itself in the redirect; a mixed-up answer goes nowhere."""
    back = sign_in_at_provider(flow.start(), "ada@acme.test")
    assert "iss=" in back
    forged = re.sub(r"iss=[^&]+", "iss=https%3A%2F%2Fevil.example", back)
    refused(flow.finish(forged), 400, "sso_issuer_mismatch", "came from another identity provider")


def test_an_answer_is_used_once(client):
    api = ApiFlow(client)
    back = sign_in_at_provider(api.start(), "eve@acme.test")
    assert api.finish(back).email == "eve@acme.test"
    refused(api.finish(back), 400, "sso_state_mismatch", "already used")


def test_console_callback_in_another_browser_is_refused(app, client):
    back = sign_in_at_provider(ConsoleFlow(client).start(), "ada@acme.test")
    stranger = app.test_client()  # no console session that started this attempt
    resp = stranger.get(back.removeprefix(BASE))
    assert resp.status_code == 400
    assert "does not belong to a sign-in started here" in resp.get_data(as_text=True)
    with stranger.session_transaction() as session:
        assert "sid" not in session


def test_unverified_email_is_refused(flow):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "uma@acme.test"))
    refused(outcome, 403, "sso_email_unverified", "has not verified this e-mail address")


def test_provider_saying_no_shows_a_page(client):
    ConsoleFlow(client).start()
    resp = client.get(
        "/admin/sign-in/sso/callback?error=access_denied&error_description=End-User+aborted"
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 401
    assert "did not sign you in (End-User aborted)" in page
    assert "Traceback" not in page


# --- Who may come in -----------------------------------------------------------------------------


def test_without_jit_only_invited_people_get_in(flow, app):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "nina@acme.test"))
    refused(outcome, 403, "sso_not_invited", "There is no Herald account for nina@acme.test")
    with app.app_context(), db.connection_context():
        assert User.get_or_none(User.email == "nina@acme.test") is None


def test_with_jit_a_newcomer_gets_an_employee_account_in_their_teams(app, client):
    app.config["OIDC_JIT"] = True
    api = ApiFlow(client)
    outcome = api.finish(sign_in_at_provider(api.start(), "nina@acme.test"))
    assert outcome.email == "nina@acme.test"
    with app.app_context(), db.connection_context():
        nina = User.get(User.email == "nina@acme.test")
        assert (nina.name, nina.role, nina.status) == ("Nina Newcomer", "employee", "active")
        assert nina.joined_at is not None and nina.password_hash is None
        teams = [m.team.name for m in Membership.select().where(Membership.user == nina)]
        assert teams == ["Marketing"]  # "Staff" has no Herald team: ignored, not created


def test_an_invited_person_signing_in_has_joined(flow, app):
    outcome = flow.finish(sign_in_at_provider(flow.start(), "ivy@acme.test"))
    assert outcome.email == "ivy@acme.test"
    with app.app_context(), db.connection_context():
        ivy = User.get(User.email == "ivy@acme.test")
        assert ivy.status == "active" and ivy.joined_at is not None


def test_console_is_for_admins_also_by_sso(client):
    console = ConsoleFlow(client)
    console.finish(sign_in_at_provider(console.start(), "eve@acme.test"))
    resp = client.get("/admin/people")
    assert resp.status_code == 403
    assert "The console is for admins" in resp.get_data(as_text=True)


def test_teams_follow_the_configured_claim(app, client, auth):
    api = ApiFlow(client)
    api.finish(sign_in_at_provider(api.start(), "eve@acme.test"))
    me = client.get("/api/v1/me", headers=auth.headers("eve@acme.test"))
    # The provider says Sales and Everyone: Engineering is left, Everyone is no Herald team.
    assert [t["name"] for t in me.get_json()["teams"]] == ["Sales"]


def test_teams_stay_as_they_are_without_a_teams_claim(app, client, auth):
    app.config["OIDC_TEAMS_CLAIM"] = None
    api = ApiFlow(client)
    api.finish(sign_in_at_provider(api.start(), "eve@acme.test"))
    me = client.get("/api/v1/me", headers=auth.headers("eve@acme.test"))
    assert [t["name"] for t in me.get_json()["teams"]] == ["Engineering"]


# --- Passwords stay ------------------------------------------------------------------------------


def test_password_sign_in_still_works_beside_sso(client, auth):
    assert auth.login("eve@acme.test").status_code == 200
    page = client.get("/admin/sign-in").get_data(as_text=True)
    assert 'name="password"' in page and "Sign in with Acme SSO" in page


def test_locked_out_password_owner_still_signs_in_by_sso(client, auth):
    for _ in range(5):
        assert auth.login("eve@acme.test", "wrong password").status_code == 401
    assert auth.login("eve@acme.test", PASSWORD).status_code == 429
    api = ApiFlow(client)
    assert api.finish(sign_in_at_provider(api.start(), "eve@acme.test")).email == "eve@acme.test"


# --- Settings and the public switch --------------------------------------------------------------


def test_public_info_says_sso_is_on(client):
    resp = client.get("/api/v1/auth/oidc")
    assert resp.get_json() == {"enabled": True, "provider_name": "Acme SSO"}


def test_firefox_signs_in_through_its_own_redirect_address(client):
    """Firefox's identity.getRedirectURL() is https://<SHA-1 of the add-on id>.extensions.allizom.org/:
    the server takes it like Chrome's, and the provider sends the person back there."""
    api = ApiFlow(client, FIREFOX_REDIRECT)
    back = sign_in_at_provider(api.start(), "eve@acme.test")
    assert api.finish(back).email == "eve@acme.test"


def test_the_firefox_redirect_the_console_lists_is_the_one_firefox_computes_for_herald():
    """One add-on id in two places (the Firefox manifest overlay and the server's default): they
    must agree, or the console would list an address Firefox never uses."""
    overlay = json.loads((ROOT / "manifest.firefox.json").read_text())
    addon_id = overlay["browser_specific_settings"]["gecko"]["id"]
    assert DEFAULTS["FIREFOX_ADDON_ID"] == addon_id
    digest = hashlib.sha1(addon_id.encode()).hexdigest()
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"})
    with app.app_context():
        assert oidc.firefox_redirect_uri() == f"https://{digest}.extensions.allizom.org/"


def test_start_refuses_a_redirect_uri_that_is_not_the_extensions(client):
    resp = client.post(
        "/api/v1/auth/oidc/start", json={"redirect_uri": "https://evil.example/steal"}
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/redirect_uri"


def test_settings_page_shows_sso_settings_but_never_the_secret(client, provider):
    page = client.get("/admin/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/admin/sign-in", data={"email": "ada@acme.test", "password": PASSWORD, "csrf_token": csrf}
    )
    settings = client.get("/admin/settings").get_data(as_text=True)
    assert provider.issuer in settings
    assert provider.client_id in settings
    assert "acme.test" in settings and "groups" in settings
    assert CONSOLE_CALLBACK in settings  # what to register at the provider
    assert FIREFOX_REDIRECT in settings
    assert provider.client_secret not in settings


def test_without_configuration_there_is_no_button_and_no_start(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'plain.sqlite3'}",
        }
    )
    with app.app_context():
        create_tables()
    client = app.test_client()
    assert "Sign in with" not in client.get("/admin/sign-in").get_data(as_text=True)
    assert client.get("/api/v1/auth/oidc").get_json() == {"enabled": False, "provider_name": None}
    resp = client.post("/api/v1/auth/oidc/start", json={"redirect_uri": EXTENSION_REDIRECT})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "sso_not_configured"
    if not db.is_closed():
        db.close()


def test_sign_in_page_lets_its_form_lead_to_the_provider(client, provider):
    """CSP form-action also covers the redirect after a form post: the provider must be in it."""
    csp = client.get("/admin/sign-in").headers["Content-Security-Policy"]
    form_action = next(d for d in csp.split("; ") if d.startswith("form-action"))
    assert form_action == f"form-action 'self' {provider.issuer}"
    other = client.get("/admin/settings").headers.get("Content-Security-Policy", "")
    assert provider.issuer not in other  # every other page keeps form-action 'self'


def test_settings_come_from_herald_oidc_environment_variables():
    from server.config import from_environment

    values = from_environment(
        {
            "HERALD_OIDC_ISSUER": "https://id.acme.com",
            "HERALD_OIDC_ALLOWED_DOMAINS": "acme.com, acme.de",
            "HERALD_OIDC_JIT": "true",
            "HERALD_OIDC_TEAMS_CLAIM": "groups",
        }
    )
    assert values == {
        "OIDC_ISSUER": "https://id.acme.com",
        "OIDC_ALLOWED_DOMAINS": ["acme.com", "acme.de"],
        "OIDC_JIT": True,
        "OIDC_TEAMS_CLAIM": "groups",
    }
    assert from_environment({"HERALD_OIDC_JIT": "0"}) == {"OIDC_JIT": False}


def test_a_provider_that_is_down_gets_a_clear_answer_and_passwords_still_work(tmp_path, provider):
    from tests.oidc_support import free_port

    issuer = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'down.sqlite3'}",
            **provider.herald_config(OIDC_ISSUER=issuer),
        }
    )
    with app.app_context():
        create_tables()
    make_user("ada@acme.test", role="admin")
    client = app.test_client()
    page = client.get("/admin/sign-in")
    assert page.status_code == 200 and "Sign in with Acme SSO" in page.get_data(as_text=True)
    assert f"form-action 'self' {issuer}" in page.headers["Content-Security-Policy"]
    resp = client.post("/api/v1/auth/oidc/start", json={"redirect_uri": EXTENSION_REDIRECT})
    assert resp.status_code == 502
    assert resp.get_json()["error"]["code"] == "sso_provider_unreachable"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    console = client.post("/admin/sign-in/sso", data={"csrf_token": csrf})
    assert console.status_code == 502
    assert "The identity provider did not answer" in console.get_data(as_text=True)
    assert AuthActions(client).login("ada@acme.test").status_code == 200
    if not db.is_closed():
        db.close()
