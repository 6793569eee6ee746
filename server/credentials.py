"""What counts as an email address and as a password good enough to sign in with.

One place for both, used by `herald create-user`, invitations (API, console form, CSV import) and
accepting an invitation. Emails go through `email-validator` (syntax per the RFCs, internationalised
domains, no quoted local parts, no special-use domains such as .local or .invalid; the reserved .test
domain is allowed so demo and test data work, and no DNS look-up is made). Passwords need at least
MIN_PASSWORD_LENGTH characters, must not be one of the most common passwords (zxcvbn's list, drawn
from leaked password sets), and must score at least MIN_PASSWORD_SCORE on zxcvbn's guessability
estimate, which also catches keyboard walks, repeats, dates, l33t variants and the person's own
name or address.
"""

from __future__ import annotations

import functools

from email_validator import EmailNotValidError, validate_email

from server.errors import APIError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
# zxcvbn: 3 = "safely unguessable: moderate protection from an offline slow-hash scenario" (< 10^10 guesses).
MIN_PASSWORD_SCORE = 3


def _invalid(path: str, summary: str, message: str) -> APIError:
    return APIError("validation_failed", summary, 422, [{"path": path, "message": message}])


def email_problem(raw: str) -> str | None:
    """Why `raw` is not a usable email address, or None."""
    try:
        normalized_email(raw)
    except APIError as err:
        return err.details[0]["message"]
    return None


def normalized_email(raw: str, path: str = "/email") -> str:
    """The address as stored (lower-cased, domain normalised), or a 422 saying what is wrong."""
    if not isinstance(raw, str) or "\x00" in raw:
        raise _invalid(path, "Not a valid email address.", "contains a NUL character")
    try:
        result = validate_email(raw.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as err:
        raise _invalid(path, "Not a valid email address.", str(err)) from None
    return result.normalized.lower()


@functools.cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of the most common passwords (about 30,000, lower-case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` is refused, in words for the person choosing it, or None when it is fine."""
    if "\x00" in password:
        return "The password must not contain a NUL character."
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.lower() in common_passwords():
        return "This is one of the most common passwords. Choose another."
    from zxcvbn import zxcvbn

    inputs = [part for part in (email, email.split("@")[0], *name.split()) if part]
    verdict = zxcvbn(password[:100], user_inputs=inputs)  # zxcvbn slows down on very long input
    if verdict["score"] < MIN_PASSWORD_SCORE:
        hint = verdict["feedback"].get("warning") or ""
        return " ".join(
            part
            for part in (
                "This password is too easy to guess.",
                hint,
                "Add more words or characters.",
            )
            if part
        )
    return None


def check_password(
    password: str, *, email: str = "", name: str = "", path: str = "/password"
) -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise _invalid(path, "The password is not strong enough.", problem)
