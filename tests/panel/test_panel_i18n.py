import re

import pytest
from herald_i18n import SUPPORTED_LANGUAGES, Strings, pick_language
from panel_support import REPO, load_catalogs, load_locale_files

PY_SOURCES = list((REPO / "extension" / "panel" / "py").glob("*.py")) + list(
    (REPO / "extension" / "options").glob("**/*.py")
)


def test_every_key_is_translated_in_all_five_locales():
    files = load_locale_files()
    english = set(files["en"])
    for language, messages in files.items():
        assert set(messages) == english, language
        for key, entry in messages.items():
            assert entry["message"], (language, key)


def test_placeholders_are_the_same_in_every_translation():
    files = load_locale_files()
    for key, entry in files["en"].items():
        wanted = set(re.findall(r"\{\w+\}", entry["message"]))
        for language in SUPPORTED_LANGUAGES:
            assert set(re.findall(r"\{\w+\}", files[language][key]["message"])) == wanted, (
                language,
                key,
            )


def test_translations_are_real_not_copies_of_english():
    files = load_locale_files()
    for language in ("ru", "el", "th"):
        assert files[language]["signed_out"]["message"] != files["en"]["signed_out"]["message"]
        assert files[language]["insert"]["message"] != files["en"]["insert"]["message"]


def test_chrome_manifest_keys_exist():
    english = load_locale_files()["en"]
    for key in (
        "extension_name",
        "extension_description",
        "command_toggle_panel",
        "button_aria_label",
    ):
        assert key in english


def test_every_key_the_python_code_asks_for_exists():
    english = load_locale_files()["en"]
    asked = set()
    for path in PY_SOURCES:
        asked |= set(
            re.findall(
                r"""(?:strings|self\.strings)\.get\(\s*["']([a-z0-9_]+)["']\s*[,)]""",
                path.read_text("utf-8"),
            )
        )
    missing = sorted(key for key in asked if key not in english)
    assert asked and not missing


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [(("ru-RU",), "ru"), (("pt-BR", "el_GR"), "el"), ((None, "th"), "th"), (("de",), "en")],
)
def test_language_choice(candidates, expected):
    assert pick_language(*candidates) == expected


def test_numbers_use_the_language_grouping():
    catalogs = load_catalogs()
    assert Strings(catalogs, "en").number(3000) == "3,000"
    assert Strings(catalogs, "ru").number(3000) == "3\u00a0000"  # no line break inside a number
    assert Strings(catalogs, "it").number(1234567) == "1.234.567"
    assert Strings(catalogs, "en").number(280) == "280"
