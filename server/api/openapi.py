"""The bundled OpenAPI document, for API clients and tools that want one self-contained file."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from server.access import access
from server.openapi import build, bundle

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
@access("public")
def document():
    """This API described as OpenAPI 3.1, schemas included inline."""
    # Routes and schema files do not change while the process runs: build once per app.
    cached = current_app.extensions.get("herald_openapi")
    if cached is None:
        cached = current_app.extensions["herald_openapi"] = bundle(build(current_app))
    return jsonify(cached)


document.response_status = 200
