"""Program settings kept in the database, editable in the console."""

from __future__ import annotations

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
}


def get_setting(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return DEFAULT_SETTINGS.get(key) if row is None else row.value


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
