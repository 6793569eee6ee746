"""Case-insensitive matching that means the same on SQLite and PostgreSQL, for every script.

SQLite's LIKE and LOWER fold ASCII letters only, so "ελένη" would not find "Ελένη" there while
PostgreSQL's ILIKE (under a UTF-8 locale) does. On SQLite both sides go through Python's
str.lower (registered on each connection as `herald_lower`, see server.db); on PostgreSQL the
database's own ILIKE and LOWER do it.
"""

from __future__ import annotations

from peewee import Expression, Field, SqliteDatabase, fn

from server.db import db

SQLITE_LOWER = "herald_lower"


def _on_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def lowered(field: Field):
    """The field in lower case, folded the same way on both engines (for comparing, not sorting)."""
    return getattr(fn, SQLITE_LOWER)(field) if _on_sqlite() else fn.LOWER(field)


def contains(field: Field, text: str) -> Expression:
    """`field` contains `text`, any case; LIKE wildcards in `text` match themselves."""
    if _on_sqlite():
        return lowered(field).contains(text.lower())
    return field.contains(text)  # ILIKE '%text%', wildcards escaped


def equals(field: Field, text: str) -> Expression:
    """`field` equals `text`, any case (team names: "Ομάδα" and "ΟΜΆΔΑ" are one team)."""
    return lowered(field) == text.lower()
