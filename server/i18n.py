"""The console's and the emails' languages: gettext catalogs (Flask-Babel) and CLDR dates and numbers.

People read Herald in their own language: the console follows the signed-in person's stored
language, else the browser's Accept-Language; an email follows its recipient's stored language.
Dates are shown in the company's time zone (Settings), the one the digest schedule uses.

Catalogs live in server/translations/<lang>/LC_MESSAGES/messages.po (reviewed text in git); the
binary .mo files are compiled from them at start-up when missing or older (never committed).
Re-extract and update after adding strings with `herald i18n update` (README, "Languages").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, force_locale, format_date, format_datetime, gettext
from markupsafe import Markup

LANGUAGES: tuple[str, ...] = ("en", "ru", "el", "it", "th")
# Each language named in itself: the switcher reads right whatever the page's language is.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Русский",
    "el": "Ελληνικά",
    "it": "Italiano",
    "th": "ไทย",
}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
SESSION_KEY = "lang"


def supported(language: str | None) -> str | None:
    """`language` if Herald speaks it ("pt-BR" → None, "ru-RU" → "ru"), else None."""
    if not language:
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def compile_catalogs(directory: Path = TRANSLATIONS, force: bool = False) -> list[Path]:
    """Writes each messages.mo beside its .po when missing or older. Returns the files written.

    A catalog that does not parse or compile raises: a broken translation must stop the start,
    not show English to half the company without a word."""
    from babel.messages.mofile import write_mo

    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo)  # atomic: a second process starting at once never reads half a file
        written.append(mo)
    return written


def _console_language() -> str | None:
    """The signed-in console user's stored language (the switcher persists it there)."""
    if not request.path.startswith(("/admin", "/invite/", "/unsubscribe/")):
        return None
    from server.admin.core import signed_in_user

    user = signed_in_user()
    return supported(user.language) if user is not None else None


def select_locale() -> str:
    """Stored user language, else the session's choice (signed out), else Accept-Language, else en."""
    if not has_request_context():
        return "en"
    return (
        _console_language()
        or supported(session.get(SESSION_KEY) if request.path.startswith("/admin") else None)
        or request.accept_languages.best_match(LANGUAGES)
        or "en"
    )


def select_timezone() -> str:
    """The company time zone set in Settings (the digest schedule's zone)."""
    from server.settings import get_setting

    return get_setting("timezone") or "UTC"


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Render in `lang` (an email in its recipient's language), whatever the request's is; a language Herald
    does not speak falls back to the company's (the console's settings page)."""
    from server.settings import default_language

    with force_locale(supported(lang) or default_language()):
        yield


def when(value: datetime | date | str | None, fmt: str = "medium") -> str:
    """A stored instant (naive UTC or ISO text) in the company time zone and the reader's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is not None:
        from datetime import UTC

        value = value.astimezone(UTC).replace(tzinfo=None)
    if fmt != "medium" or not isinstance(value, datetime):
        return format_datetime(value, fmt)
    # A medium date with a short time: "24 окт. 2026 г., 16:48", "24 ott 2026, 16:48" (no seconds).
    from flask_babel import format_time, get_locale

    combine = (get_locale() or Locale.parse("en")).datetime_formats["medium"]
    return (
        str(combine)
        .replace("{1}", format_date(value, "medium"))
        .replace("{0}", format_time(value, "short"))
    )


def day(value: date | str | None, fmt: str = "medium") -> str:
    """A calendar day (a date or ISO text such as "2026-12-03") in the reader's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, fmt, rebase=False)


def rule_text(value: str | dict | None, lang: str | None = None) -> str:
    """A guideline rule's message or explanation in `lang` (default: the reader's), falling back
    to English, then to any language the rule gives (plain strings are returned as they are)."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    lang = lang or current_language()
    return value.get(lang) or value.get("en") or next(iter(value.values()))


def rule_texts(value: str | dict | None) -> dict[str, str]:
    """{language: text} of a rule's message or explanation (a plain string is English)."""
    if not value:
        return {}
    return {"en": value} if isinstance(value, str) else dict(value)


def status_label(value: str) -> str:
    """The console's word for a stored keyword (status, role, message kind, severity), lower-case
    like the keyword; templates capitalize where it starts a heading."""
    labels = {
        "draft": gettext("draft"),
        "approved": gettext("approved"),
        "archived": gettext("archived"),
        "invited": gettext("invited"),
        "active": gettext("active"),
        "disabled": gettext("disabled"),
        "paused": gettext("paused"),
        "failing": gettext("failing"),
        "employee": gettext("employee"),
        "admin": gettext("admin"),
        "pending": gettext("pending"),
        "accepted": gettext("accepted"),
        "declined": gettext("declined"),
        "sending": gettext("sending"),
        "committing": gettext("committing"),
        "sent": gettext("sent"),
        "failed": gettext("failed"),
        "cancelled": gettext("cancelled"),
        "invitation": gettext("invitation"),
        "reminder": gettext("reminder"),
        "welcome": gettext("welcome"),
        "digest": gettext("digest"),
        "proposal-accepted": gettext("proposal accepted"),
        "proposal-declined": gettext("proposal declined"),
        "chat": gettext("team chat"),
        "recognition": gettext("recognition"),
        "error": gettext("error"),
        "warning": gettext("warning"),
        "info": gettext("info"),
    }
    return labels.get(value, value)


def weekday_name(number: int | str) -> str:
    """ISO weekday (1 = Monday) in the reader's language, from CLDR."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    return get_day_names("wide", locale=get_locale() or "en")[int(number) - 1].capitalize()


def month_day(value: date | str) -> str:
    """A short day label for charts ("2 Nov", "2 нояб.", "2 พ.ย.") in the reader's language."""
    from babel.dates import format_skeleton
    from flask_babel import get_locale

    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_skeleton("MMMd", value, locale=get_locale() or "en")


def init_app(app: Flask) -> None:
    compile_catalogs()
    Babel(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.filters.update(day=day, rule_text=rule_text, rule_texts=rule_texts)
    app.jinja_env.globals.update(
        when_text=when,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=current_language,
        status_label=status_label,
        weekday_name=weekday_name,
        Markup=Markup,
    )


def current_language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "en"
