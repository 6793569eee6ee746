"""Configuration: defaults, then the instance folder's `config.py`, then `HERALD_*` environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULT_SECRET_KEY = "dev-insecure-change-me"

DEFAULTS: dict[str, object] = {
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "CORS_ORIGINS": [],
    "ACCESS_TOKEN_MINUTES": 15,
    "REFRESH_TOKEN_DAYS": 30,
    "INVITATION_DAYS": 14,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_SECONDS": 900,
    "LOGIN_LOCKOUT_SECONDS": 900,
    "PUBLIC_BASE_URL": None,  # base for tracked links and invite links; None: the request's host
    "SHARE_BATCH_MAX": 500,
    # Reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto/-Host are trusted; 0: none.
    "PROXY_HOPS": 0,
    # /r/: past this many visits a minute from one hashed visitor, stop recording (still redirect).
    "CLICK_RATE_PER_MINUTE": 20,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Single sign-on (OpenID Connect): on when issuer, client id and client secret are all set.
    "OIDC_ISSUER": None,
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,  # from the environment or instance config only; never shown
    "OIDC_ALLOWED_DOMAINS": [],  # empty: any e-mail domain the provider vouches for
    "OIDC_JIT": False,  # create unknown people on first sign-in; off: invited people only
    "OIDC_TEAMS_CLAIM": None,  # e.g. "groups": the person's teams follow this claim
    "OIDC_PROVIDER_NAME": "single sign-on",  # the button reads "Sign in with <name>"
    "OIDC_SCOPES": "openid email profile",
}

# Environment variables that hold lists or numbers rather than strings.
_LIST_KEYS = {"CORS_ORIGINS", "OIDC_ALLOWED_DOMAINS"}
_BOOL_KEYS = {"OIDC_JIT"}
_INT_KEYS = {
    "ACCESS_TOKEN_MINUTES",
    "REFRESH_TOKEN_DAYS",
    "INVITATION_DAYS",
    "LOGIN_MAX_FAILURES",
    "LOGIN_WINDOW_SECONDS",
    "LOGIN_LOCKOUT_SECONDS",
    "SHARE_BATCH_MAX",
    "PROXY_HOPS",
    "CLICK_RATE_PER_MINUTE",
}


def load(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment(os.environ))
    else:
        app.config.update(test_config)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "herald.sqlite3")
    app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)


def from_environment(environ: os._Environ | dict) -> dict:
    values: dict[str, object] = {}
    for name, raw in environ.items():
        if not name.startswith("HERALD_"):
            continue
        key = name.removeprefix("HERALD_")
        if key in _LIST_KEYS:
            values[key] = [part.strip() for part in raw.split(",") if part.strip()]
        elif key in _INT_KEYS:
            values[key] = int(raw)
        elif key in _BOOL_KEYS:
            values[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif key in DEFAULTS or key in {"DEBUG"}:
            values[key] = raw
    return values


def refuse_default_secret(app: Flask) -> None:
    """A default secret lets anyone mint tokens: only debug and tests may run with it."""
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "HERALD_SECRET_KEY is not set. Set it in the environment, or run `herald init-db`, "
            "which writes a random one into the instance folder."
        )


def ensure_instance_secret(instance_path: str) -> bool:
    """Write a random SECRET_KEY into instance/config.py unless one is configured. Returns True if written."""
    if os.environ.get("HERALD_SECRET_KEY"):
        return False
    path = Path(instance_path) / "config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text() if path.exists() else ""
    if "SECRET_KEY" in existing:
        return False
    with path.open("a") as fh:
        fh.write(f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n")
    path.chmod(0o600)
    return True
