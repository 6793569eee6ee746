"""The compiled policy for the extension to cache, and a server-side check for the console's tools."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from guidelines import check, post_length
from server import policy_store
from server.access import access
from server.schemas import accepts, returns

bp = Blueprint("policy", __name__, url_prefix="/api/v1/policy")


@bp.get("")
@access("employee")
@returns("compiled-policy")
def show():
    compiled = policy_store.compiled_policy()
    etag = compiled["hash"]
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    resp = jsonify(compiled)
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = "private, no-cache"
    return resp


show.conditional = True  # 304 on If-None-Match


@bp.post("/check")
@access("admin")  # employees' drafts never leave the browser; this is the console's tool
@accepts("guidelines/check-request")
@returns("guidelines/check-response")
def check_text(body):
    compiled = policy_store.compiled_policy()
    findings = check(body["text"], compiled, body["network"])
    return jsonify(findings=findings, length=post_length(body["text"], compiled, body["network"]))
