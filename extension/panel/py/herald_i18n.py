"""UI strings for the panel and the options page, in the employee's language.

Strings come from Chrome's `_locales/<lang>/messages.json` files so translators edit one place;
the sandboxed pages cannot call `chrome.i18n`, so the build embeds them (see `herald_assets`).
"""

SUPPORTED_LANGUAGES = ("en", "ru", "el", "it", "th")
FALLBACK_LANGUAGE = "en"


def pick_language(*candidates):
    """First supported language among candidates like "ru", "pt-BR", "el_GR"; English otherwise."""
    for candidate in candidates:
        if not candidate:
            continue
        base = str(candidate).replace("_", "-").split("-")[0].lower()
        if base in SUPPORTED_LANGUAGES:
            return base
    return FALLBACK_LANGUAGE


def plural_category(language, count):
    """CLDR plural category for integer counts: Russian needs one/few/many, Thai has no plural."""
    if language == "ru":
        last, last_two = count % 10, count % 100
        if last == 1 and last_two != 11:
            return "one"
        if 2 <= last <= 4 and not 12 <= last_two <= 14:
            return "few"
        return "many"
    if language == "th":
        return "other"
    return "one" if count == 1 else "other"


class Strings:
    """Looks up messages by key, falling back to English, then to the key itself (never crashes the UI)."""

    def __init__(self, catalogs, language):
        self.language = language if language in catalogs else FALLBACK_LANGUAGE
        self._messages = catalogs.get(self.language, {})
        self._fallback = catalogs.get(FALLBACK_LANGUAGE, {})

    def get(self, key, **values):
        text = self._messages.get(key) or self._fallback.get(key) or key
        if values:  # (Brython ends every loop over a dict by raising StopIteration: ~40 µs)
            for name, value in values.items():
                text = text.replace("{" + name + "}", str(value))
        return text

    def plural(self, key, count, **values):
        """`key_one`, `key_few`, ... chosen by the language's plural rule; `{count}` is filled in."""
        category = plural_category(self.language, count)
        return self.get(key + "_" + category, count=self.number(count), **values)

    def number(self, value):
        """Integers with the language's thousands separator: 3,000 / 3 000 / 3.000."""
        sign = "-" if value < 0 else ""
        digits = str(abs(int(value)))
        separator = self.get("number_group_separator")
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        return sign + separator.join(groups)


def catalogs_from_locale_files(files):
    """{lang: messages.json content} -> {lang: {key: message}}: drop Chrome's descriptions."""
    return {
        language: {key: entry["message"] for key, entry in messages.items()}
        for language, messages in files.items()
    }
