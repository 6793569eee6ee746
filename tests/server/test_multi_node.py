"""Two `herald run` nodes over one PostgreSQL database behave as one server.

Each node is a real `herald run` (gunicorn, two workers each, so four separate worker caches) on
its own port, sharing HERALD_DATABASE_URL and the secret, as behind a load balancer. A change made
through node A must show through node B within the staleness bound documented in docs/DEPLOY.md
(STALENESS_BOUND_S); sign-outs and disabled accounts stop tokens on both at once; colleague counts
agree; failed sign-ins count across both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.pg_support import free_port

pytestmark = pytest.mark.postgresql

# docs/DEPLOY.md promises this; the index checks a database stamp on every request, so in practice
# a change shows on the very next request after it commits.
STALENESS_BOUND_S = 2.0
POLL_EVERY_S = 0.05
SECRET = "multi-node-test-secret-key-long-enough-for-hs256"
PASSWORD = "correct horse battery"
ADMIN = "ada@acme.test"
EVE = "eve@acme.test"  # Engineering
MAX_FAILURES = 4
HERALD = str(Path(sys.executable).parent / "herald")


def call(base: str, method: str, path: str, body=None, token: str | None = None):
    """(status, JSON body or None) of one request; errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, (json.loads(raw) if raw else None)


class Node:
    def __init__(self, name: str, env: dict, log: Path):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [HERALD, "run", "--port", str(self.port), "--workers", "2"],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = log

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node {self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                if call(self.base, "GET", "/api/v1/openapi.json")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"node {self.name} did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()

    def api(self, method: str, path: str, body=None, token: str | None = None):
        status, payload = call(self.base, method, "/api/v1" + path, body, token)
        assert status < 400, (self.name, method, path, status, payload)
        return payload

    def login(self, email: str, password: str = PASSWORD) -> str:
        return self.api("POST", "/auth/login", {"email": email, "password": password})[
            "access_token"
        ]

    def suggestions(self, token: str) -> dict[int, dict]:
        body = self.api("GET", "/suggestions?network=linkedin&per_page=100", token=token)
        return {item["id"]: item for item in body["items"]}


@pytest.fixture(scope="module")
def nodes(databases, tmp_path_factory):
    url = databases.new(empty=True)
    base = tmp_path_factory.mktemp("nodes")
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": url,
        "HERALD_SECRET_KEY": SECRET,
        "HERALD_PUBLIC_BASE_URL": "http://herald.test",
        "HERALD_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "HERALD_INSTANCE_PATH": str(base / "instance"),
    }

    def cli(*args: str, stdin: str | None = None) -> None:
        subprocess.run(
            [HERALD, *args], env=env, input=stdin, text=True, check=True, capture_output=True
        )

    cli("init-db")
    password = f"{PASSWORD}\n{PASSWORD}\n"
    cli("create-user", "--email", ADMIN, "--name", "Ada", "--role", "admin", stdin=password)
    for email, team in [
        (EVE, "Engineering"),
        ("sam@acme.test", "Engineering"),
        ("kim@acme.test", "Engineering"),
        ("lou@acme.test", "Sales"),
        ("max@acme.test", "Sales"),
    ]:
        cli(
            "create-user",
            "--email",
            email,
            "--name",
            email[:3].title(),
            "--team",
            team,
            stdin=password,
        )
    # Each node its own instance folder, as on two machines: only the database is shared.
    a = Node("A", {**env, "HERALD_INSTANCE_PATH": str(base / "a")}, base / "a.log")
    b = Node("B", {**env, "HERALD_INSTANCE_PATH": str(base / "b")}, base / "b.log")
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b
    finally:
        a.stop()
        b.stop()
        databases.drop(url)


def seen_within(check, what: str, in_a_row: int = 6) -> float:
    """Poll until check() holds on `in_a_row` consecutive requests (each may reach either worker
    of the node, and every worker must have caught up); the seconds until the first of them,
    failing past the documented bound."""
    started = time.monotonic()
    first_seen = None
    streak = 0
    while True:
        now = time.monotonic()
        if check():
            first_seen = now if streak == 0 else first_seen
            streak += 1
            if streak == in_a_row:
                return first_seen - started
        else:
            streak = 0
        elapsed = time.monotonic() - started
        assert elapsed <= STALENESS_BOUND_S + in_a_row * 0.5, (
            f"{what}: not seen steadily after {elapsed:.2f} s"
        )
        assert streak or elapsed <= STALENESS_BOUND_S, f"{what}: not seen after {elapsed:.2f} s"
        time.sleep(POLL_EVERY_S)


def test_snippet_changes_through_one_node_show_through_the_other(nodes):
    a, b = nodes
    admin = a.login(ADMIN)
    eve = b.login(EVE)
    teams = {t["name"]: t["id"] for t in a.api("GET", "/teams", token=admin)["items"]}
    for _ in range(3):  # warm every worker of B: each keeps its own live set
        b.suggestions(eve)

    snippet = a.api(
        "POST",
        "/snippets",
        {"title": "Launch", "variants": {"linkedin": ["We launched"]}},
        token=admin,
    )
    sid = snippet["id"]
    assert sid not in b.suggestions(eve)  # a draft is nobody's suggestion
    a.api("POST", f"/snippets/{sid}/approve", {}, token=admin)
    timings = {"approve": seen_within(lambda: sid in b.suggestions(eve), "approval")}

    a.api("PATCH", f"/snippets/{sid}", {"title": "Launch, day two"}, token=admin)
    timings["edit"] = seen_within(
        lambda: b.suggestions(eve).get(sid, {}).get("title") == "Launch, day two", "edit"
    )

    a.api("PATCH", f"/snippets/{sid}", {"team_ids": [teams["Sales"]]}, token=admin)
    timings["re-target away"] = seen_within(lambda: sid not in b.suggestions(eve), "re-target")
    a.api("PATCH", f"/snippets/{sid}", {"team_ids": [teams["Engineering"]]}, token=admin)
    timings["re-target back"] = seen_within(lambda: sid in b.suggestions(eve), "re-target back")

    a.api("POST", f"/snippets/{sid}/archive", {}, token=admin)
    timings["archive"] = seen_within(lambda: sid not in b.suggestions(eve), "archive")
    print("seen through node B after (s):", {k: round(v, 3) for k, v in timings.items()})


def test_sign_out_through_one_node_stops_the_token_on_both(nodes):
    a, b = nodes
    token = a.login("sam@acme.test")
    for node in (a, b, b, b):  # remembered as verified by B's workers
        assert call(node.base, "GET", "/api/v1/me", token=token)[0] == 200
    assert call(a.base, "POST", "/api/v1/auth/logout", {}, token=token)[0] == 204
    for node in (b, b, b, a):
        status, body = call(node.base, "GET", "/api/v1/me", token=token)
        assert status == 401, (node.name, body)


def test_disabling_through_one_node_stops_the_tokens_on_both(nodes):
    a, b = nodes
    admin = a.login(ADMIN)
    token = b.login("kim@acme.test")
    for _ in range(3):
        assert call(b.base, "GET", "/api/v1/me", token=token)[0] == 200
    users = a.api("GET", "/users?q=kim", token=admin)["items"]
    a.api("PATCH", f"/users/{users[0]['id']}", {"status": "disabled"}, token=admin)
    for node in (b, b, b, a):
        status, _ = call(node.base, "GET", "/api/v1/me", token=token)
        assert status == 401, node.name


def test_colleague_counts_agree_on_both_nodes(nodes):
    a, b = nodes
    admin = a.login(ADMIN)
    sid = a.api(
        "POST", "/snippets", {"title": "Hiring", "variants": {"linkedin": ["Join us"]}}, token=admin
    )["id"]
    a.api("POST", f"/snippets/{sid}/approve", {}, token=admin)
    eve_a, eve_b = a.login(EVE), b.login(EVE)
    for node, token in ((a, eve_a), (b, eve_b)):
        for _ in range(3):
            assert node.suggestions(token)[sid]["colleagues_shared"] == 0

    def share(node: Node, email: str) -> None:
        token = node.login(email)
        event = {
            "event_id": str(uuid.uuid4()),
            "network": "linkedin",
            "snippet_id": sid,
            "variant": 0,
            "edited": False,
            "edit_distance": 0,
            "findings": [],
            "shared_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        result = node.api("POST", "/shares", {"events": [event]}, token=token)
        assert result["created"] == 1, result

    share(a, "lou@acme.test")  # through A
    share(b, "max@acme.test")  # through B
    for node, token in ((a, eve_a), (b, eve_b), (a, eve_a), (b, eve_b)):
        seen_within(
            lambda node=node, token=token: node.suggestions(token)[sid]["colleagues_shared"] == 2,
            f"colleague count on node {node.name}",
        )


def test_failed_sign_ins_count_across_both_nodes(nodes):
    """Wrong passwords sent alternately to A and B add up to one lockout, whatever the throttle's
    keys are: neither node alone saw MAX_FAILURES of them."""
    a, b = nodes
    email = "lou@acme.test"
    for attempt in range(MAX_FAILURES):
        node = (a, b)[attempt % 2]
        status, body = call(
            node.base, "POST", "/api/v1/auth/login", {"email": email, "password": "wrong"}
        )
        assert status == 401, (attempt, node.name, body)
    for node in (a, b):
        status, body = call(
            node.base, "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}
        )
        assert status == 429, (node.name, body)
        assert body["error"]["code"] == "too_many_attempts"
