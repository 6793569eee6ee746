"""Herald's companion server: the API the extension and the admin console stand on."""

from __future__ import annotations

import os

from flask import Flask
from flask_cors import CORS

from server import config


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=_instance_path())
    config.load(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    config.refuse_default_secret(app)
    config.check_settings(app)
    from server.suggestion_replay import SuggestionReplay

    # Inside ProxyFix (installed next), so it sees the client's scheme and host as Flask does.
    app.wsgi_app = SuggestionReplay(app.wsgi_app, app)
    _trust_proxies(app)

    from server import api, db, errors, health, input_guard, request_limits, request_log

    request_log.init_app(app)
    # Before every hook that reads a body (the NUL guard, the console's forms): sizes are checked unread.
    request_limits.init_app(app)
    input_guard.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    CORS(
        app,
        resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
        expose_headers=["ETag", "Retry-After"],
        max_age=600,
    )
    api.init_app(app)
    health.init_app(app)
    from server import i18n

    i18n.init_app(app)
    _init_optional(app)
    from server import jobs

    jobs.init_app(app)
    from server.access import check_every_route_declared

    check_every_route_declared(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind nginx every request comes from 127.0.0.1 over plain HTTP: without this, sign-in
    throttling would count everyone as one address and links would say http:// and the
    upstream's host. Only as many hops as configured are believed, so clients cannot spoof."""
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _instance_path() -> str | None:
    return os.environ.get("HERALD_INSTANCE_PATH") or None


def _init_optional(app: Flask) -> None:
    """Parts that land in their own modules: the console and the tracked-link redirect."""
    import importlib

    for name in ("server.redirects", "server.admin"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.init_app(app)
