"""Program settings kept in the database, editable in the console."""

from __future__ import annotations

import re
from typing import Any

from server.models import Setting

DEFAULT_SETTINGS: dict[str, Any] = {
    "program_name": "Herald",
    "program_logo_url": None,
    "program_tagline": "Share what we make, in your own words.",
    "default_expiry_days": 180,
    "extension_origins": [],
    # Earned media value: EMV = CPM * estimated_impressions / 1000 + CPC * clicks
    "emv_rates": {
        "linkedin": {"cpm": 30.0, "cpc": 5.0, "avg_audience": 500},
        "x": {"cpm": 6.5, "cpc": 1.5, "avg_audience": 300},
    },
    "emv_currency": "USD",
    # Four-eyes review: an admin cannot approve a snippet draft they wrote or last edited.
    "four_eyes": False,
    # The company's language (one of server.i18n.LANGUAGES): chat posts (a channel has many readers), and mail to
    # someone whose own language Herald does not speak.
    "default_language": "en",
    # Guidelines: the policy's on_post.errors_left ("note" when True), see server.policy_store
    "post_anyway_note": False,
    # Weekly digest and reminders (server.digest, server.reminders), in the company's time zone.
    "digest_enabled": True,  # the program-wide switch; each employee also chooses in the options page
    "timezone": "UTC",
    "digest_weekday": 1,  # ISO: 1 = Monday ... 7 = Sunday
    "digest_hour": 9,
    "digest_max_snippets": 5,
    "reminder_days": [
        3,
        7,
    ],  # automatic reminders to invitees who have not joined, days after the invitation
    # The content mix the program aims for, in % (server.content_mix; the parts sum to 100).
    "content_mix_target": {"company": 60, "third_party": 30, "employee": 10},
    # Recognition (server.recognition): points, and the weekly thank-you mail to people who opted in.
    "recognition_points": {"share": 10, "click": 1, "accepted_proposal": 25},
    "recognition_mail_enabled": True,  # sent at the digest's day and hour
    "recognition_top_n": 3,
    "recognition_templates": {
        "top": {
            "subject": "Thank you, {name}: you were among last week's top contributors",
            "body": "Hello {name},\n\nLast week you placed #{rank} in {program}, with a score of "
            "{points} (shares: {shares}, clicks on your links: {clicks}).\n\n"
            "Thank you for sharing what we make.",
        },
        "first_share": {
            "subject": "Thank you for your first share, {name}",
            "body": "Hello {name},\n\nLast week you shared a post through {program} for the "
            "first time. Thank you: every share helps people see what we make.",
        },
    },
    # Site health (server.site_health): a site turns red when "not found" or "insert failed" reaches this % of
    # composer opens in the last 24 h, and happened at least this many times.
    "health_red_rate": 5.0,
    "health_min_count": 5,
}


# Browser extension origins, exactly: Chrome's id is 32 letters a-p, Firefox's a UUID. A prefix check
# ("starts with chrome-extension://") let "chrome-extension://x.evil.test" or any https site through.
_EXTENSION_ORIGIN = re.compile(
    r"chrome-extension://[a-p]{32}"
    r"|moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def is_extension_origin(origin: str) -> bool:
    return isinstance(origin, str) and _EXTENSION_ORIGIN.fullmatch(origin) is not None


def get_setting(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return DEFAULT_SETTINGS.get(key) if row is None else row.value


def default_language() -> str:
    """The company's language as set in the console, or English (a stored value Herald no longer speaks)."""
    from server.i18n import supported

    return supported(get_setting("default_language")) or "en"


def set_setting(key: str, value: Any) -> None:
    if key not in DEFAULT_SETTINGS:
        raise KeyError(key)
    Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


def all_settings() -> dict[str, Any]:
    values = dict(DEFAULT_SETTINGS)
    # Only console settings: the table also keeps internal rows (compiled policy, visitor salt).
    keys = list(DEFAULT_SETTINGS)
    values.update({row.key: row.value for row in Setting.select().where(Setting.key.in_(keys))})
    return values
