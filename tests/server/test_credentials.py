"""Real email validation and password rules wherever accounts are made, and no NUL anywhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from server.cli import main
from server.credentials import MIN_PASSWORD_LENGTH, password_problem
from server.db import db
from server.models import User

BAD_EMAILS = [
    "a@b",  # no dot in the domain
    "ann..lee@acme.com",  # two dots in a row
    "ann@acme.local",  # special-use domain
    "ann lee@acme.com",
    "ann@acme.com\x00",
    "@acme.com",
    "ann@-acme.com",
]


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers("ada@acme.test")


def user_count() -> int:
    with db.connection_context():
        return User.select().count()


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_api_invitations_refuse_invalid_emails(client, admin_headers, email):
    before = user_count()
    resp = client.post(
        "/api/v1/invitations", json={"email": email, "name": "Ann Lee"}, headers=admin_headers
    )
    assert resp.status_code in (400, 422), resp.get_json()
    error = resp.get_json()["error"]
    assert error["details"][0]["path"] == "/email" or error["code"] == "invalid_characters"
    assert user_count() == before


def test_api_invitation_normalises_a_valid_address(client, admin_headers):
    resp = client.post(
        "/api/v1/invitations",
        json={"email": "Nia.Newcomer@ACME.test", "name": "Nia"},
        headers=admin_headers,
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["invitation"]["user"]["email"] == "nia.newcomer@acme.test"


@pytest.mark.parametrize(
    "password, words",
    [
        ("short", f"at least {MIN_PASSWORD_LENGTH} characters"),
        ("password1234", "most common passwords"),
        ("iloveyou12345", "too easy to guess"),
        ("qwertyuiop", "most common passwords"),
        ("1234567890", "most common passwords"),
        ("aaaaaaaaaaaaaa", "too easy to guess"),
        ("P@ssw0rd2024", "too easy to guess"),
        ("nia.newcomer", "too easy to guess"),  # the person's own address
    ],
)
def test_accepting_an_invitation_refuses_weak_passwords(client, admin_headers, password, words):
    sent = client.post(
        "/api/v1/invitations",
        json={"email": "nia.newcomer@acme.test", "name": "Nia Newcomer"},
        headers=admin_headers,
    )
    token = sent.get_json()["invite_url"].rsplit("/invite/", 1)[1]
    resp = client.post("/api/v1/invitations/accept", json={"token": token, "password": password})
    assert resp.status_code == 422
    detail = resp.get_json()["error"]["details"][0]
    assert detail["path"] == "/password"
    if len(password) >= MIN_PASSWORD_LENGTH:  # shorter ones are the schema's to refuse
        assert words in detail["message"], detail
    with db.connection_context():
        assert User.get(User.email == "nia.newcomer@acme.test").status == "invited"
    good = client.post(
        "/api/v1/invitations/accept", json={"token": token, "password": "plum-kettle-orbit"}
    )
    assert good.status_code == 200, good.get_json()


def test_the_rule_accepts_passphrases():
    for password in ("correct horse battery", "plum-kettle-orbit", "Tr4vel.Mug.Sunday"):
        assert password_problem(password) is None, password


def test_invite_page_refuses_a_common_password(client, admin_headers):
    sent = client.post(
        "/api/v1/invitations", json={"email": "nia@acme.test", "name": "Nia"}, headers=admin_headers
    )
    token = sent.get_json()["invite_url"].rsplit("/invite/", 1)[1]
    page = client.get(f"/invite/{token}").get_data(as_text=True)
    assert f'minlength="{MIN_PASSWORD_LENGTH}"' in page
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    resp = client.post(
        f"/invite/{token}",
        data={"password": "1q2w3e4r5t", "password_again": "1q2w3e4r5t", "csrf_token": csrf},
    )
    assert resp.status_code == 422
    assert "most common passwords" in resp.get_data(as_text=True)


@pytest.fixture
def cli_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("HERALD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("HERALD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("HERALD_SECRET_KEY", "cli-test-secret-key-long-enough-for-hs256")
    yield
    if not db.is_closed():
        db.close()


@pytest.mark.parametrize("email", ["a@b", "ann@acme.local", "ann..lee@acme.com", "x\x00@acme.com"])
def test_create_user_refuses_invalid_emails(cli_instance, email):
    result = CliRunner().invoke(
        main, ["create-user", "--email", email, "--name", "Ann"], input="plum-kettle-orbit\n"
    )
    assert result.exit_code == 1
    assert "is not a valid email address" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "password, words",
    [
        ("too short", "at least 10 characters"),
        ("long enough", "too easy to guess"),
        ("baseball123", "too easy to guess"),
        ("1234567890", "most common passwords"),
        ("ann-lee-acme", "too easy to guess"),
    ],
)
def test_create_user_refuses_weak_passwords(cli_instance, password, words):
    result = CliRunner().invoke(
        main,
        ["create-user", "--email", "ann-lee@acme.test", "--name", "Ann Lee"],
        input=password + "\n",
    )
    assert result.exit_code == 1, result.output
    assert "Password refused" in result.output and words in result.output, result.output


def test_create_user_refuses_a_nul_in_the_name(cli_instance):
    result = CliRunner().invoke(
        main,
        ["create-user", "--email", "ann@acme.test", "--name", "Ann\x00Admin"],
        input="plum-kettle-orbit\n",
    )
    assert result.exit_code == 1
    assert "NUL" in result.output


# --- NUL bytes, everywhere ---


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("post", "/api/v1/invitations", {"email": "nia@acme.test", "name": "Nia\x00"}),
        ("post", "/api/v1/teams", {"name": "Sales\x00"}),
        ("patch", "/api/v1/me", {"language": "en", "x\x00": 1}),
        ("post", "/api/v1/policy/check", {"text": "hello\x00world", "network": "x"}),
    ],
)
def test_nul_in_a_json_body_is_refused(client, admin_headers, method, url, body):
    resp = getattr(client, method)(url, json=body, headers=admin_headers)
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["code"] == "invalid_characters"
    assert "NUL" in error["message"]


def test_nul_in_a_query_string_is_refused(client, admin_headers):
    resp = client.get("/api/v1/users?q=ev%00e", headers=admin_headers)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["details"] == [
        {"path": "query/q", "message": "contains a NUL character"}
    ]
