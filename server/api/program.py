"""Program branding (name, logo) the extension's panel shows. Public: it is shown before sign-in."""

from __future__ import annotations

from flask import Blueprint, jsonify

from server.access import access
from server.schemas import returns
from server.settings import get_setting

bp = Blueprint("program", __name__, url_prefix="/api/v1/program")


@bp.get("")
@access("public")
@returns("program")
def show():
    return jsonify(
        name=get_setting("program_name"),
        logo_url=get_setting("program_logo_url"),
        tagline=get_setting("program_tagline"),
    )
