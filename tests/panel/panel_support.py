"""Shared helpers for the panel tests: repo paths and the locale catalogs."""

import json
from pathlib import Path

from herald_i18n import SUPPORTED_LANGUAGES, catalogs_from_locale_files

REPO = Path(__file__).resolve().parents[2]
LOCALES = REPO / "extension" / "_locales"


def load_locale_files():
    return {
        lang: json.loads((LOCALES / lang / "messages.json").read_text("utf-8"))
        for lang in SUPPORTED_LANGUAGES
    }


def load_catalogs():
    return catalogs_from_locale_files(load_locale_files())


def load_schemas():
    """Message schemas by file name, plus the share event record schema (as the build embeds them)."""
    messages = REPO / "shared_schemas" / "messages"
    schemas = {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
        for path in messages.glob("*.schema.json")
    }
    schemas["share-event-record"] = json.loads(
        (REPO / "shared_schemas" / "share-event.schema.json").read_text("utf-8")
    )
    return schemas
