"""Password hashes: one place that knows the method, so the cost is a setting.

Production keeps werkzeug's strong default (scrypt, N=2**15: ~0.1-0.8 s a hash on a small
machine, which is the point: a stolen table resists guessing). The test suite sets a cheap method
(PASSWORD_HASH_METHOD) because it creates and signs in thousands of people; the stored hash names
its method, so sign-in checks any hash whatever the setting says now.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt:32768:8:1"  # werkzeug 3's default, spelled out so it cannot drift lower


def _method() -> str:
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD)
    return DEFAULT_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such account", method=method)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Checks against a hash of the configured method when there is none (unknown email, invited
    person), so a miss costs the same time as a wrong password."""
    return check_password_hash(stored_hash or _dummy_hash(_method()), password) and bool(
        stored_hash
    )
