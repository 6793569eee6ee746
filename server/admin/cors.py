"""Extension origins saved in Settings are allowed for the API at once, no restart needed.

flask-cors (set up in create_app from HERALD_CORS_ORIGINS) decides everything else; this hook only
answers for origins an admin added in the console, using flask-cors's own header logic.
"""

from __future__ import annotations

from flask import Flask, request
from flask_cors.core import get_cors_options, set_cors_headers

from server.settings import get_setting, is_extension_origin


def init_app(app: Flask) -> None:
    # Registered after CORS(app): Flask runs after_request hooks in reverse, so this runs first and
    # flask-cors then leaves a response alone once it carries Access-Control-Allow-Origin.
    @app.after_request
    def _settings_origins(resp):
        origin = request.headers.get("Origin")
        if not origin or not request.path.startswith("/api/"):
            return resp
        if origin in app.config.get("CORS_ORIGINS", []):
            return resp
        try:
            allowed = get_setting("extension_origins") or []
        except Exception:  # noqa: BLE001 — a missing table (fresh install) must not break the API
            return resp
        # Exact match against a stored list that is itself checked (rows saved before the check too).
        if is_extension_origin(origin) and origin in allowed:
            options = get_cors_options(
                app,
                {"origins": [origin], "expose_headers": ["ETag", "Retry-After"], "max_age": 600},
            )
            set_cors_headers(resp, options)
        return resp
