"""The JSON API under /api/v1: one blueprint module per resource."""

from __future__ import annotations

import importlib

from flask import Flask

# Resource modules; each exposes `bp`. Order does not matter.
RESOURCES = [
    "auth",
    "me",
    "program",
    "users",
    "invitations",
    "teams",
    "campaigns",
    "snippets",
    "suggestions",
    "shares",
    "links",
    "guidelines",
    "policy",
    "analytics",
    "openapi",
    "auth_oidc",
    "feeds",
    "chat",
    "proposals",
    "recognition",
    "sites",
    "health_reports",
]


def init_app(app: Flask) -> None:
    for name in RESOURCES:
        try:
            module = importlib.import_module(f"server.api.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"server.api.{name}":
                continue  # resource not written yet
            raise
        app.register_blueprint(module.bp)
