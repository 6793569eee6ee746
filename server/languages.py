"""The languages an employee reads: stored on their user row, used to put suggestions in them first.

Codes: any well-formed BCP 47 language tag is accepted (`shared_schemas/language-tag.schema.json`:
"en", "pt-BR", "zh-Hant-TW"), not only the five languages Herald's extension is translated into:
the browser's own language can be any, and a snippet's language is compared by its primary subtag.
So each tag is stored as that subtag, lower-cased ("pt-BR" -> "pt"), duplicates dropped, order
kept (the first is the one the employee reads most). An employee who never chose gets the
browser's language at sign-in (`browser_language` in the sign-in body), else their interface
language.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.models import User

MAX_LANGUAGES = 10


def primary(tag: str) -> str:
    """The primary language subtag of a (schema-checked) BCP 47 tag, lower-cased."""
    return tag.strip().split("-")[0].split("_")[0].lower()


def normalized(tags: Iterable[str]) -> list[str]:
    """Primary subtags in first-seen order, each once, at most MAX_LANGUAGES."""
    seen: dict[str, None] = {}
    for tag in tags:
        code = primary(tag)
        if code:
            seen.setdefault(code, None)
    return list(seen)[:MAX_LANGUAGES]


def stored(tags: Iterable[str]) -> str:
    """The column's text for these tags."""
    return ",".join(normalized(tags))


def of(user: User) -> list[str]:
    """The person's languages: as chosen, else their interface language. No query: `languages` is
    a column of the user row already read to authenticate the request."""
    if user.languages:
        return user.languages.split(",")
    return [user.language or "en"]


def default_at_sign_in(user: User, browser_language: str | None) -> None:
    """First sign-in with a browser language and no choice made yet: start from the browser's."""
    if browser_language and not user.languages:
        user.languages = stored([browser_language])
        User.update(languages=user.languages).where(
            User.id == user.id, User.languages.is_null()
        ).execute()
