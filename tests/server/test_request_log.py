"""One JSON line per request, and nothing secret in it: the fields an operator needs, none a thief wants."""

from __future__ import annotations

import json
import logging

import pytest

from tests.server.live_server import LIVE_SECRET, herald_cli, herald_env, live_herald

ADMIN_PASSWORD = "Admin-Passw0rd-for-the-log-test"
INVITEE_PASSWORD = "Invitee-chose-this-passphrase-7"
DRAFT = "Our Q3 numbers leak early: revenue up 48% (confidential draft)"


def request_lines(records) -> list[dict]:
    return [r.fields for r in records if r.name == "herald.request"]


def test_a_request_logs_method_route_status_duration_user_and_request_id(
    client, auth, admin, employee, caplog
):
    headers = auth.headers("ada@acme.test")
    caplog.set_level(logging.INFO, logger="herald.request")
    caplog.clear()
    resp = client.get(
        f"/api/v1/users/{employee.id}", headers={**headers, "X-Request-ID": "trace-1234abcd"}
    )
    assert resp.status_code == 200
    assert resp.headers["X-Request-ID"] == "trace-1234abcd"
    [line] = request_lines(caplog.records)
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/users/<int:user_id>"  # the rule, not the id
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == admin.id
    assert line["request_id"] == "trace-1234abcd"


def test_a_request_without_a_sane_id_gets_a_fresh_one(client, caplog):
    caplog.set_level(logging.INFO, logger="herald.request")
    resp = client.get("/api/v1/program", headers={"X-Request-ID": "bad id\twith <html>"})
    generated = resp.headers["X-Request-ID"]
    assert generated != "bad id\twith <html>" and len(generated) == 32
    [line] = request_lines(caplog.records)
    assert line["request_id"] == generated
    assert line["user_id"] is None
    # An unknown path logs no route: the raw path might carry a token.
    caplog.clear()
    assert client.get("/api/v1/nope/secret-looking-thing").status_code == 404
    [line] = request_lines(caplog.records)
    assert line["route"] is None and line["status"] == 404
    assert "secret-looking-thing" not in caplog.text


def test_herald_run_logs_json_lines_and_no_secret(tmp_path):
    """The served process, as an operator sees it: every line of stderr, after a representative session."""
    env = herald_env(tmp_path)
    assert herald_cli(env, "init-db").returncode == 0
    made = herald_cli(
        env,
        "create-user",
        "--email",
        "ops-admin@acme.test",
        "--name",
        "Ops Admin",
        "--role",
        "admin",
        input=ADMIN_PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    secrets = [ADMIN_PASSWORD, INVITEE_PASSWORD, LIVE_SECRET, DRAFT]
    with live_herald(tmp_path, env, workers=1) as server:
        status, body, _ = server.request(
            "POST",
            "/api/v1/auth/login",
            {"email": "ops-admin@acme.test", "password": ADMIN_PASSWORD},
        )
        assert status == 200, body
        access, refresh = body["access_token"], body["refresh_token"]
        status, body, _ = server.request("POST", "/api/v1/auth/refresh", {"refresh_token": refresh})
        assert status == 200, body
        access2, refresh2 = body["access_token"], body["refresh_token"]
        bearer = {"Authorization": f"Bearer {access2}"}
        # A token in a query string (a careless client) must not reach the log either.
        status, _, got = server.request("GET", f"/api/v1/me?access_token={access2}", headers=bearer)
        assert status == 200
        status, body, _ = server.request(
            "POST", "/api/v1/policy/check", {"text": DRAFT, "network": "linkedin"}, bearer
        )
        assert status == 200, body
        status, body, _ = server.request(
            "POST",
            "/api/v1/invitations",
            {"email": "nia@acme.test", "name": "Nia Newcomer"},
            bearer,
        )
        assert status == 201, body
        invite_token = body["invite_url"].rsplit("/invite/", 1)[1]
        status, _, _ = server.request(
            "GET", f"/invite/{invite_token}", headers={"Accept": "text/html"}
        )
        assert status == 200
        status, body, _ = server.request(
            "POST",
            "/api/v1/invitations/accept",
            {"token": invite_token, "password": INVITEE_PASSWORD},
        )
        assert status == 200, body
        status, body, _ = server.request(
            "POST", "/api/v1/auth/login", {"email": "ops-admin@acme.test", "password": "wrong " * 3}
        )
        assert status == 401
        server.request("POST", "/api/v1/auth/logout", {"refresh_token": refresh2}, bearer)
        secrets += [access, refresh, access2, refresh2, invite_token, "wrong wrong"]
    log = server.stderr()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    routes = [
        (line["method"], line["route"], line["status"])
        for line in lines
        if line.get("event") == "request"
    ]
    assert ("POST", "/api/v1/auth/login", 200) in routes
    assert ("GET", "/invite/<token>", 200) in routes
    assert ("POST", "/api/v1/auth/login", 401) in routes
    me_line = next(line for line in lines if line.get("route") == "/api/v1/me")
    assert isinstance(me_line["user_id"], int) and len(me_line["request_id"]) == 32
    for secret in secrets:
        assert secret not in log, f"a secret reached the server's log: {secret[:12]}..."


@pytest.mark.parametrize("path", ["/api/v1/auth/login"])
def test_failed_login_logs_neither_email_password_nor_body(client, caplog, path):
    caplog.set_level(logging.DEBUG)
    resp = client.post(path, json={"email": "who@acme.test", "password": "hunter2-hunter2"})
    assert resp.status_code == 401
    assert "hunter2-hunter2" not in caplog.text
    [line] = request_lines(caplog.records)
    assert line["status"] == 401 and line["route"] == path
