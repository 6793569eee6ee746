"""The OpenAPI document lists what a client (and the fuzzer) needs: every query parameter, and the
304/413/422/429/503 answers where they happen."""

from __future__ import annotations

import re
from pathlib import Path

from server.openapi import build

API = Path(__file__).resolve().parents[2] / "server" / "api"


def _op(app, path: str, method: str) -> dict:
    return build(app)["paths"][path][method]


def _query(op: dict) -> dict[str, dict]:
    return {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}


def test_suggestions_list_their_query_parameters_and_304(app):
    op = _op(app, "/api/v1/suggestions", "get")
    query = _query(op)
    assert set(query) == {"network", "q", "campaign", "page", "per_page"}
    assert query["network"]["required"] is True
    assert query["campaign"]["schema"]["maximum"] == 2_147_483_647
    assert "304" in op["responses"] and "422" in op["responses"]
    assert "304" in _op(app, "/api/v1/policy", "get")["responses"]


def test_every_query_parameter_a_view_reads_is_documented(app):
    """Each name read with request.args.get / args.get / query_int in server/api appears."""
    document = build(app)
    documented = {
        p["name"]
        for item in document["paths"].values()
        for op in item.values()
        for p in op.get("parameters", [])
        if p["in"] == "query"
    }
    read = set()
    for source in API.glob("*.py"):
        text = source.read_text()
        read |= set(re.findall(r'args\.get\(\s*"([a-z_]+)"', text))
        read |= set(re.findall(r'query_int\(\s*args,\s*"([a-z_]+)"', text))
    assert read and read <= documented, read - documented


def test_bodies_may_be_too_large_login_may_be_throttled_writes_may_be_busy(app):
    login = _op(app, "/api/v1/auth/login", "post")["responses"]
    assert {"400", "413", "415", "422", "429", "503"} <= set(login)
    shares = _op(app, "/api/v1/shares", "post")["responses"]
    assert {"413", "503"} <= set(shares)
    team = _op(app, "/api/v1/teams/{team_id}", "get")
    assert team["parameters"][0]["schema"]["maximum"] == 2_147_483_647
