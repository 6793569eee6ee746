"""Configuration: defaults, then the instance folder's `config.py`, then `HERALD_*` environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULT_SECRET_KEY = "dev-insecure-change-me"
# HS256 signs with the secret: shorter than the hash's 32 bytes makes tokens easier to forge.
MIN_SECRET_BYTES = 32


class ConfigError(RuntimeError):
    """A setting that keeps Herald from starting. `herald` prints the message as one line and exits
    1 (no traceback): the message names the setting and says how to fix it."""


DEFAULTS: dict[str, object] = {
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "CORS_ORIGINS": [],
    "ACCESS_TOKEN_MINUTES": 15,
    "REFRESH_TOKEN_DAYS": 30,
    "INVITATION_DAYS": 14,
    "LOGIN_MAX_FAILURES": 5,  # per account and address
    "LOGIN_ACCOUNT_MAX_FAILURES": 20,  # per account, from any address
    "LOGIN_ADDRESS_MAX_FAILURES": 100,  # per address, any account: a NAT hides a whole company
    "LOGIN_WINDOW_SECONDS": 900,
    "LOGIN_LOCKOUT_SECONDS": 900,
    "PUBLIC_BASE_URL": None,  # base for tracked links and invite links; None: the request's host
    "SHARE_BATCH_MAX": 500,
    # Console sessions end after this long without a request, and this long after sign-in at most.
    "CONSOLE_IDLE_MINUTES": 60,
    "CONSOLE_MAX_HOURS": 12,
    # Reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto/-Host are trusted; 0: none.
    "PROXY_HOPS": 0,
    # /r/: past this many visits a minute from one hashed visitor, stop recording (still redirect).
    "CLICK_RATE_PER_MINUTE": 20,
    # Background jobs (server.jobs): None = SQLite file `queue.sqlite3` in the instance folder;
    # redis://host:port/db for several worker machines; memory:// for tests.
    "QUEUE_URL": None,
    # Outgoing mail (server.mailer). No host: messages wait in the outbox, marked with the reason.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_SECURITY": "starttls",  # none | starttls | tls
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,  # from the environment; never shown in the console
    "SMTP_TIMEOUT": 30,
    "MAIL_FROM": "Herald <herald@localhost>",
    "MAIL_REPLY_TO": None,
    # Outbox delivery: retry after RETRY_BASE * 2**attempt seconds (capped), give up after MAX_ATTEMPTS;
    # a row claimed longer than LEASE_SECONDS ago by a worker that died is taken over.
    "OUTBOX_RETRY_BASE_SECONDS": 60,
    "OUTBOX_RETRY_MAX_SECONDS": 3600,
    "OUTBOX_MAX_ATTEMPTS": 10,
    "OUTBOX_LEASE_SECONDS": 300,
    "FEED_TIMEOUT_SECONDS": 10,  # per feed fetch (server.feeds)
    "FEED_POLL_MINUTES": 30,  # `herald worker` polls each active feed source this often
    "FEED_MAX_BYTES": 5_000_000,  # a feed response larger than this is refused
    "FEED_ALLOW_PRIVATE": "0",  # 1: feeds may be fetched from private/loopback/link-local addresses
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
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
    # The Firefox add-on's id (manifest.firefox.json, browser_specific_settings.gecko.id): Firefox's
    # SSO redirect address is derived from it, and the console lists that address to register.
    "FIREFOX_ADDON_ID": "{646dd3d3-187e-4ead-bfe3-e98a7f495205}",
    "PROPOSALS_PER_HOUR": 10,  # links one employee may propose per hour (server.proposals)
    # werkzeug method for new password hashes (server.passwords); the test suite lowers the cost.
    "PASSWORD_HASH_METHOD": "scrypt:32768:8:1",
}

# Environment variables that hold lists or numbers rather than strings.
_LIST_KEYS = {"CORS_ORIGINS", "OIDC_ALLOWED_DOMAINS"}
_BOOL_KEYS = {"OIDC_JIT"}
_INT_KEYS = {
    "ACCESS_TOKEN_MINUTES",
    "REFRESH_TOKEN_DAYS",
    "INVITATION_DAYS",
    "LOGIN_MAX_FAILURES",
    "LOGIN_ACCOUNT_MAX_FAILURES",
    "LOGIN_ADDRESS_MAX_FAILURES",
    "LOGIN_WINDOW_SECONDS",
    "LOGIN_LOCKOUT_SECONDS",
    "SHARE_BATCH_MAX",
    "CONSOLE_IDLE_MINUTES",
    "CONSOLE_MAX_HOURS",
    "PROXY_HOPS",
    "CLICK_RATE_PER_MINUTE",
    "SMTP_PORT",
    "SMTP_TIMEOUT",
    "OUTBOX_RETRY_BASE_SECONDS",
    "OUTBOX_RETRY_MAX_SECONDS",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_LEASE_SECONDS",
    "FEED_TIMEOUT_SECONDS",
    "FEED_POLL_MINUTES",
    "FEED_MAX_BYTES",
    "SQLITE_BUSY_TIMEOUT_MS",
    "PROPOSALS_PER_HOUR",
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
            try:
                values[key] = int(raw.strip())
            except ValueError:
                raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
        elif key in _BOOL_KEYS:
            values[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif key in DEFAULTS or key in {"DEBUG"}:
            values[key] = raw
    return values


def refuse_default_secret(app: Flask) -> None:
    """A default secret lets anyone mint tokens: only debug and tests may run with it."""
    secret = app.config["SECRET_KEY"]
    if secret == DEFAULT_SECRET_KEY and (app.debug or app.testing):
        return
    if secret is None or not str(secret).strip():
        raise ConfigError(
            "HERALD_SECRET_KEY is empty. Set it to a random value of at least "
            f"{MIN_SECRET_BYTES} bytes, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if secret != DEFAULT_SECRET_KEY and len(str(secret).encode()) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"HERALD_SECRET_KEY is too short ({len(str(secret).encode())} bytes): use at least "
            f"{MIN_SECRET_BYTES} random bytes, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if secret == DEFAULT_SECRET_KEY:
        raise ConfigError(
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


def check_settings(app: Flask) -> None:
    """Refuse settings Herald cannot run with, before anything is served (one message each)."""
    for key in sorted(_INT_KEYS):
        value = app.config.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"HERALD_{key} must be a whole number, not {value!r}.")
    check_database_url(app.config["DATABASE_URL"])


def check_database_url(url: str) -> None:
    """A known scheme, its driver installed, and (SQLite) a folder the file can be made in."""
    from urllib.parse import urlparse

    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = (
            url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else urlparse(url).path
        )
        if path and path != ":memory:" and not Path(path).parent.is_dir():
            raise ConfigError(
                f"The database folder {Path(path).parent} does not exist (HERALD_DATABASE_URL). "
                "Create it, or point HERALD_DATABASE_URL elsewhere."
            )
    elif scheme in {"postgres", "postgresql"}:
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise ConfigError(
                "HERALD_DATABASE_URL is a PostgreSQL URL, but the PostgreSQL driver is not installed: "
                "pip install 'herald[postgres]' (psycopg2-binary)."
            ) from None
    else:
        raise ConfigError(
            f"HERALD_DATABASE_URL has an unknown scheme {scheme + '://' if scheme else '(none)'}: "
            "use sqlite:///path/to/herald.sqlite3 or postgresql://user:password@host/dbname."
        )


def check_schema_current() -> None:
    """`herald run`: the database answers and every migration is applied (else `herald migrate`)."""
    from server.db import pending_migrations

    try:
        pending = pending_migrations()
    except Exception as exc:  # noqa: BLE001 — any failure to open the database stops the start
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigError(f"Cannot open the database (HERALD_DATABASE_URL): {first}") from None
    if pending:
        raise ConfigError(
            f"The database schema is not up to date: {len(pending)} migration(s) pending "
            f"({', '.join(pending)}). Run `herald migrate` first."
        )
