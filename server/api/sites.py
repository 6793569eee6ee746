"""Site adapters for the extension (GET, with a strong ETag: every composer that opens asks, and
nearly every answer is a 304), uploads and rollbacks for admins, and what each installation runs."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from server import site_adapters
from server.access import access
from server.errors import APIError
from server.models import NETWORKS
from server.schemas import accepts, returns

bp = Blueprint("sites", __name__, url_prefix="/api/v1/sites")


@bp.get("")
@access("employee")
@returns("sites/response")
def index():
    sites = site_adapters.active()
    etag = site_adapters.etag_of(sites)
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    if request.if_none_match.contains(etag):
        return "", 304, headers
    resp = jsonify(sites=sites)
    resp.headers.update(headers)
    return resp


index.conditional = True  # 304 on If-None-Match


@bp.post("")
@access("admin")
@accepts("sites/adapter")
@returns("sites/version", 201)
def upload(body):
    row = site_adapters.upload(g.user, body)
    return jsonify(network=row.network, version=row.version, active=True), 201


@bp.post("/<network>/activate")
@access("admin")
@accepts("sites/activate-request")
@returns("sites/version")
def activate(network: str, body):
    if network not in NETWORKS:
        raise APIError("not_found", "No such network.", 404)
    site_adapters.activate(g.user, network, body["version"])
    version = site_adapters.active()[network]["version"]
    return jsonify(network=network, version=version, active=True)


@bp.post("/report")
@access("employee")
@accepts("sites/report")
def report(body):
    site_adapters.record_report(g.user, body)
    return "", 204


report.response_status = 204  # no body: documented as such in the OpenAPI document
