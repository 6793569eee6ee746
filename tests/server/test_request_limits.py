"""Request size limits per route class and JSON depth: refused in the one error shape, before reading."""

from __future__ import annotations

import io

import pytest

from server.request_limits import BODY_LIMITS, MAX_JSON_DEPTH

LOGIN = "/api/v1/auth/login"
SHARES = "/api/v1/shares"


class UnreadableBody(io.RawIOBase):
    """A body the server must not read: refusing by Content-Length costs no memory."""

    read_calls = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        UnreadableBody.read_calls += 1
        raise AssertionError("the server read a body it should have refused unread")


def _huge_post(client, path: str, headers: dict | None = None):
    UnreadableBody.read_calls = 0
    return client.post(
        path,
        headers=headers or {},
        content_type="application/json",
        environ_overrides={
            "wsgi.input": UnreadableBody(),
            "CONTENT_LENGTH": str(150 * 1024 * 1024),
        },
    )


def _assert_too_large(resp, limit: int) -> None:
    assert resp.status_code == 413, resp.data[:300]
    error = resp.get_json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["details"]["max_bytes"] == limit
    assert UnreadableBody.read_calls == 0


def test_an_anonymous_150_mb_login_is_refused_unread(client):
    _assert_too_large(_huge_post(client, LOGIN), BODY_LIMITS["auth"])


def test_a_150_mb_share_batch_is_refused_unread(client, auth, employee):
    resp = _huge_post(client, SHARES, auth.headers("eve@acme.test"))
    _assert_too_large(resp, BODY_LIMITS["shares"])


def test_the_console_sign_in_form_is_refused_unread(client):
    UnreadableBody.read_calls = 0
    resp = client.post(
        "/admin/sign-in",
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(10**8)},
    )
    assert resp.status_code == 413
    assert UnreadableBody.read_calls == 0


def test_each_route_class_has_its_own_ceiling(client, auth, employee):
    """A login just over 16 KiB is refused; a share batch of that size is fine."""
    padding = "x" * (BODY_LIMITS["auth"] + 10)
    resp = client.post(LOGIN, json={"email": "eve@acme.test", "password": padding})
    assert resp.status_code == 413
    assert resp.get_json()["error"]["details"]["max_bytes"] == BODY_LIMITS["auth"]
    resp = client.post(
        SHARES, json={"events": [], "padding": padding}, headers=auth.headers("eve@acme.test")
    )
    assert resp.status_code == 422  # read and judged: the extra key is the only problem


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 1000, 100_000])
def test_deeply_nested_json_is_a_400_on_anonymous_login(client, levels):
    resp = client.post(
        LOGIN,
        data='{"email": "a@b.test", "password": ' + _nested(levels) + "}",
        content_type="application/json",
    )
    assert resp.status_code in (400, 413)
    assert resp.get_json()["error"]["code"] in ("too_deeply_nested", "payload_too_large")
    if levels < 5000:
        assert resp.status_code == 400
        assert resp.get_json()["error"]["details"] == {"max_depth": MAX_JSON_DEPTH}


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 1000])
def test_deeply_nested_json_is_a_400_on_shares(client, auth, employee, levels):
    resp = client.post(
        SHARES,
        data='{"events": ' + _nested(levels) + "}",
        content_type="application/json",
        headers=auth.headers("eve@acme.test"),
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "too_deeply_nested"


def test_json_within_the_depth_limit_is_judged_as_usual(client):
    resp = client.post(
        LOGIN,
        data='{"email": "a@b.test", "password": ' + _nested(MAX_JSON_DEPTH - 1) + "}",
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "validation_failed"
