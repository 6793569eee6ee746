"""One comparison key for names people type: what makes "ÉQUIPE-X" and "équipe-x" the same name."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """Unicode caseless key: NFC, full case folding (ß → ss, İ → i̇), NFC again, outer spaces off.

    SQL's LOWER() folds ASCII only on SQLite, so uniqueness is decided on this key, stored in its
    own column with a unique index, rather than in the query.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text.strip()).casefold())
