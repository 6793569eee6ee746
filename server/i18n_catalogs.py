"""Keeping the catalogs complete: extract every message the templates and Python use, merge it into
each language's .po, and list what is still untranslated.

`herald i18n update` runs this after anyone adds or changes console or email text; the test
suite calls `missing()` so a string nobody translated fails CI instead of showing English.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from server.i18n import LANGUAGES, TRANSLATIONS

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
}


def extract() -> Catalog:
    """Every msgid used in server/ (Python and templates), as babel.cfg maps them."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="Herald", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def update(template: Catalog | None = None) -> dict[str, int]:
    """Merge the extracted messages into every language's .po (new ones empty, gone ones dropped).
    Returns how many messages each language still lacks."""
    template = template or extract()
    report = {}
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="Herald", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalog, width=0, omit_header=False, sort_output=False, no_location=True)
        report[lang] = len(missing_in(catalog, template)) if lang != "en" else 0
    return report


def missing_in(catalog: Catalog, template: Catalog) -> list[str]:
    """msgids of `template` that `catalog` has no (complete) translation for."""
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        if isinstance(strings, (tuple, list)):
            ok = all(strings)
        else:
            ok = bool(strings)
        if not ok or (found is not None and found.fuzzy):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def missing(template: Catalog | None = None) -> dict[str, list[str]]:
    """Per non-English language, the used messages it does not translate."""
    template = template or extract()
    return {lang: missing_in(read(lang), template) for lang in LANGUAGES if lang != "en"}
