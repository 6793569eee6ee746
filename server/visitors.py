"""Who clicked, only as far as "the same visitor today": a salted hash with a salt that rotates daily.

A tracked-link click is counted once per visitor per link per UTC day. To tell a repeat from a
new visitor without storing anyone's address, the visitor is keyed by
HMAC(salt of the day, address + user agent). The salt lives in the settings table under its day;
the first click of a new day replaces it, and the old salt is gone, so yesterday's hashes can no
longer be recomputed from an address (nor joined with today's). The raw address is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import date, datetime

from server.db import db
from server.models import Setting

SALT_KEY = "visitor_salt"  # not a console setting: never shown, never exported

_lock = threading.Lock()
_cached: tuple[str, bytes] | None = None  # (database + day, salt) this worker last read


def salt_for(day: date) -> bytes:
    """The salt of `day`, created on first use; concurrent workers agree on one (first write wins)."""
    global _cached
    key = day.isoformat()
    cache_key = f"{db.database}|{key}"
    cached = _cached
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    with _lock:
        row = Setting.get_or_none(Setting.key == SALT_KEY)
        value = row.value if row is not None else None
        if not (isinstance(value, dict) and value.get("day") == key):
            fresh = {"day": key, "salt": secrets.token_hex(32)}
            if row is None:
                Setting.insert(key=SALT_KEY, value=fresh).on_conflict_ignore().execute()
            else:
                # Compare-and-set on the old value: of two workers rotating at once, one wins.
                Setting.update(value=fresh).where(
                    (Setting.key == SALT_KEY) & (Setting.value == value)
                ).execute()
            value = Setting.get(Setting.key == SALT_KEY).value
        _cached = (f"{db.database}|{value['day']}", bytes.fromhex(value["salt"]))
        return _cached[1]


def forget_cached_salt() -> None:
    """Tests and the CLI: make the next call read the database again."""
    global _cached
    _cached = None


def visitor_hash(address: str | None, user_agent: str | None, now: datetime) -> str:
    """32 hex digits: enough to tell visitors apart, keyed so it cannot be reversed without the salt."""
    message = f"{address or ''}\n{user_agent or ''}".encode()
    return hmac.new(salt_for(now.date()), message, hashlib.sha256).hexdigest()[:32]
