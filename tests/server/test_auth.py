"""Access tokens, refresh rotation, sign-out, disabled accounts and sign-in throttling."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest

from server import create_app
from server.db import create_tables
from tests.conftest import PASSWORD, make_user

ME = "/api/v1/me"
SECRET = "test-secret-key-that-is-long-enough-for-hs256"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_for(user_id: int, **overrides) -> dict:
    now = time.time()
    claims = {
        "sub": str(user_id),
        "role": "employee",
        "iat": now,
        "exp": int(now) + 600,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return claims


def assert_unauthorized(resp) -> None:
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"
    assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_signed_with_the_app_secret_is_accepted(client, employee):
    """The control for the refusals below: a well-formed token minted by hand does work."""
    token = jwt.encode(claims_for(employee.id), SECRET, algorithm="HS256")
    resp = client.get(ME, headers=bearer(token))
    assert resp.status_code == 200
    assert resp.get_json()["email"] == "eve@acme.test"


def test_expired_access_token_is_refused(client, employee):
    past = time.time() - 3600
    token = jwt.encode(
        claims_for(employee.id, iat=past, exp=int(past) + 60), SECRET, algorithm="HS256"
    )
    assert_unauthorized(client.get(ME, headers=bearer(token)))


def test_a_token_accepted_before_is_refused_once_it_expires(client, employee, monkeypatch):
    """Verified tokens are remembered per worker; expiry must still apply to them."""
    token = jwt.encode(
        claims_for(employee.id, exp=int(time.time()) + 60), SECRET, algorithm="HS256"
    )
    assert client.get(ME, headers=bearer(token)).status_code == 200
    later = time.time() + 61
    monkeypatch.setattr("server.tokens.time.time", lambda: later)
    assert_unauthorized(client.get(ME, headers=bearer(token)))


def test_zero_minute_tokens_expire_at_once(app, client, auth, employee):
    app.config["ACCESS_TOKEN_MINUTES"] = 0
    resp = auth.login("eve@acme.test")
    assert resp.get_json()["expires_in"] == 0
    time.sleep(1.1)  # exp has whole-second resolution
    assert_unauthorized(client.get(ME, headers=bearer(resp.get_json()["access_token"])))


def test_tampered_token_is_refused(client, auth, employee):
    token = auth.login("eve@acme.test").get_json()["access_token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert_unauthorized(client.get(ME, headers=bearer(f"{header}.{forged}.{signature}")))


def test_alg_none_token_is_refused(client, employee):
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = (
        base64.urlsafe_b64encode(json.dumps(claims_for(employee.id)).encode()).rstrip(b"=").decode()
    )
    assert_unauthorized(client.get(ME, headers=bearer(f"{header}.{payload}.")))


def test_token_signed_with_another_key_is_refused(client, employee):
    token = jwt.encode(claims_for(employee.id), "some-other-key-of-sufficient-length!", "HS256")
    assert_unauthorized(client.get(ME, headers=bearer(token)))


def test_token_without_jti_is_refused(client, employee):
    claims = claims_for(employee.id)
    del claims["jti"]
    assert_unauthorized(client.get(ME, headers=bearer(jwt.encode(claims, SECRET, "HS256"))))


@pytest.mark.parametrize("header", ["", "Bearer", "Basic ZXZlOnNlY3JldA==", "Bearer not.a.jwt"])
def test_malformed_authorization_headers_are_refused(client, employee, header):
    assert_unauthorized(client.get(ME, headers={"Authorization": header}))


def test_refresh_rotates_the_refresh_token(client, auth, employee):
    first = auth.login("eve@acme.test").get_json()
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert resp.status_code == 200
    second = resp.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get(ME, headers=bearer(second["access_token"])).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, auth, employee):
    first = auth.login("eve@acme.test").get_json()["refresh_token"]
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first}).get_json()
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401
    assert reuse.get_json()["error"]["code"] == "refresh_reused"
    # The token it was rotated to is gone too: whoever stole the old one cannot keep a session.
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    assert after.get_json()["error"]["code"] == "invalid_refresh_token"


def test_reuse_leaves_other_sessions_alone(client, auth, employee):
    laptop = auth.login("eve@acme.test").get_json()["refresh_token"]
    phone = auth.login("eve@acme.test").get_json()["refresh_token"]
    client.post("/api/v1/auth/refresh", json={"refresh_token": laptop})
    client.post("/api/v1/auth/refresh", json={"refresh_token": laptop})  # reuse
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": phone}).status_code == 200


def test_unknown_refresh_token_is_refused(client, employee):
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "invalid_refresh_token"


def test_logout_revokes_refresh_and_access_tokens(client, auth, employee):
    tokens = auth.login("eve@acme.test").get_json()
    resp = client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": tokens["refresh_token"]},
        headers=bearer(tokens["access_token"]),
    )
    assert resp.status_code == 204
    assert_unauthorized(client.get(ME, headers=bearer(tokens["access_token"])))
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    # Signing in again afterwards works: logout is not a lockout.
    assert auth.login("eve@acme.test").status_code == 200


def test_logout_with_an_expired_access_token_still_revokes_the_refresh_token(
    client, auth, employee
):
    tokens = auth.login("eve@acme.test").get_json()
    past = time.time() - 3600
    stale = jwt.encode(claims_for(employee.id, iat=past, exp=int(past) + 60), SECRET, "HS256")
    resp = client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": tokens["refresh_token"]},
        headers=bearer(stale),
    )
    assert resp.status_code == 204
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


def test_disabled_users_lose_access_at_once(client, auth, admin, employee):
    tokens = auth.login("eve@acme.test").get_json()
    assert client.get(ME, headers=bearer(tokens["access_token"])).status_code == 200
    resp = client.patch(
        f"/api/v1/users/{employee.id}",
        json={"status": "disabled"},
        headers=auth.headers("ada@acme.test"),
    )
    assert resp.status_code == 200
    assert_unauthorized(client.get(ME, headers=bearer(tokens["access_token"])))
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    login = auth.login("eve@acme.test")
    assert login.status_code == 401
    assert login.get_json()["error"]["code"] == "invalid_credentials"


def test_wrong_password_and_unknown_email_look_the_same(auth, employee):
    wrong = auth.login("eve@acme.test", "not the password")
    unknown = auth.login("nobody@acme.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def _login_from(client, email: str, password: str, address: str):
    return client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_repeated_failures_for_one_account_from_many_addresses_are_throttled(app, client, employee):
    app.config.update(LOGIN_ACCOUNT_MAX_FAILURES=7)
    # Each attempt from a different address: the account alone triggers the lock.
    for n in range(7):
        assert _login_from(client, "eve@acme.test", "wrong", f"10.0.0.{n + 1}").status_code == 401
    resp = _login_from(client, "eve@acme.test", PASSWORD, "10.0.1.1")
    assert resp.status_code == 429
    assert resp.get_json()["error"]["code"] == "too_many_attempts"
    retry_after = int(resp.headers["Retry-After"])
    assert 0 < retry_after <= app.config["LOGIN_LOCKOUT_SECONDS"]
    assert resp.get_json()["error"]["details"]["retry_after"] == retry_after
    # Someone else can still sign in from that address.
    make_user("bob@acme.test")
    assert _login_from(client, "bob@acme.test", PASSWORD, "10.0.1.1").status_code == 200


def test_wrong_passwords_lock_that_account_at_that_address_only(app, client, employee):
    """Behind a NAT everyone shares one address: a few wrong passwords for one account must not
    lock every colleague out, as the old per-address lock after five failures did."""
    make_user("bob@acme.test")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert _login_from(client, "eve@acme.test", "wrong", "192.0.2.7").status_code == 401
    assert _login_from(client, "eve@acme.test", PASSWORD, "192.0.2.7").status_code == 429
    assert _login_from(client, "bob@acme.test", PASSWORD, "192.0.2.7").status_code == 200
    # Eve herself, from another address (home, or via SSO when that exists), is not locked yet.
    assert _login_from(client, "eve@acme.test", PASSWORD, "198.51.100.9").status_code == 200


def test_the_account_key_ignores_case_and_unicode_form(app, client, employee):
    """ "EVE@acme.test" and "eve@acme.test" are one account: guessing with another spelling of
    the address counts against the same lock."""
    for spelling in (
        "EVE@acme.test",
        "Eve@Acme.test",
        " eve@ACME.TEST",
        "eVe@acme.test",
        "eve@acme.test",
    ):
        assert _login_from(client, spelling, "wrong", "192.0.2.70").status_code == 401
    assert _login_from(client, "eve@acme.test", PASSWORD, "192.0.2.70").status_code == 429


def test_a_password_spray_from_one_address_is_throttled_at_a_higher_ceiling(app, client, employee):
    app.config.update(LOGIN_ADDRESS_MAX_FAILURES=12)
    # A different account each time: only the address ceiling applies, well above the per-account one.
    for n in range(12):
        assert _login_from(client, f"guess{n}@acme.test", "wrong", "192.0.2.8").status_code == 401
    blocked = _login_from(client, "eve@acme.test", PASSWORD, "192.0.2.8")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert _login_from(client, "eve@acme.test", PASSWORD, "192.0.2.9").status_code == 200


def test_forwarded_for_is_ignored_without_a_configured_proxy(app, client, employee):
    """Otherwise a guesser would write a new X-Forwarded-For on every try and never be counted."""
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        resp = client.post(
            "/api/v1/auth/login",
            json={"email": "eve@acme.test", "password": "wrong"},
            headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            environ_base={"REMOTE_ADDR": "192.0.2.50"},
        )
        assert resp.status_code == 401
    assert _login_from(client, "eve@acme.test", PASSWORD, "192.0.2.50").status_code == 429


def test_behind_a_configured_proxy_the_forwarded_client_address_counts(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
            "PROXY_HOPS": 1,
        }
    )
    with app.app_context():
        create_tables()
    make_user("eve@acme.test")
    client = app.test_client()

    def login(password: str, client_address: str):
        return client.post(
            "/api/v1/auth/login",
            json={"email": "eve@acme.test", "password": password},
            # The proxy appends the address it saw; anything before it the client may have forged.
            headers={"X-Forwarded-For": f"6.6.6.6, {client_address}"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy itself
        )

    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login("wrong", "198.51.100.20").status_code == 401
    assert login(PASSWORD, "198.51.100.20").status_code == 429
    # Another client behind the same proxy: not locked, though the proxy's address is the same.
    assert login(PASSWORD, "198.51.100.21").status_code == 200


def test_failures_below_the_limit_do_not_block(app, client, employee):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _login_from(client, "eve@acme.test", "wrong", "198.51.100.1")
    assert _login_from(client, "eve@acme.test", PASSWORD, "198.51.100.1").status_code == 200


def test_the_lock_lifts_after_the_lockout(app, client, employee):
    # Lockout counts from the latest failure; a few seconds leave room for slow password hashing.
    app.config.update(LOGIN_LOCKOUT_SECONDS=3)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login_from(client, "eve@acme.test", "wrong", "203.0.113.5")
    assert _login_from(client, "eve@acme.test", PASSWORD, "203.0.113.5").status_code == 429
    time.sleep(3.2)
    assert _login_from(client, "eve@acme.test", PASSWORD, "203.0.113.5").status_code == 200


def test_production_hashes_passwords_at_full_scrypt_cost_and_any_stored_method_signs_in(
    database_url,
):
    """The suite hashes cheaply (tests/conftest.TEST_HASH_METHOD); an app configured like
    production must still store scrypt at N=2**15, and sign-in must accept both kinds of hash."""
    from server.db import db
    from server.models import User
    from server.passwords import hash_password

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": database_url})
    with app.app_context():
        strong = hash_password(PASSWORD)
        assert strong.startswith("scrypt:32768:8:1$")  # each scrypt check costs ~0.5 s: few
        make_user("cheap@acme.test")
        with db.connection_context():
            User.create(
                email="strong@acme.test",
                name="S",
                role="employee",
                status="active",
                password_hash=strong,
            )
    client = app.test_client()
    for email in ("cheap@acme.test", "strong@acme.test"):
        resp = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert resp.status_code == 200, resp.get_json()
