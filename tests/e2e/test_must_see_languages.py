"""End-to-end: a must-see snippet is pinned first in the real panel with its label, and ticking a
language on the options page (saved on the server) moves suggestions in it out of "Other
languages" in the panel that is already open."""

from __future__ import annotations

import pytest
from e2e_support import ADMIN, EMPLOYEE, poll, run_sync_alarm

pytestmark = pytest.mark.browser


def top_level_cards(composer) -> list[tuple[str, str]]:
    """(title, label) of each card above the "Other languages" fold, in order."""
    cards = composer.panel.locator("#cards > .card")
    return [
        (
            cards.nth(i).locator(".card-title").text_content() or "",
            cards.nth(i).locator(".badge").text_content()
            if cards.nth(i).locator(".badge").count()
            else "",
        )
        for i in range(cards.count())
    ]


def test_must_see_first_and_a_new_language_unfolds_in_the_open_panel(
    signed_in, live_server, open_composer
):
    admin = live_server.login(ADMIN)
    employee = live_server.login(EMPLOYEE)
    # Signed in from an English browser: that is where the employee's languages started.
    assert live_server.api("GET", "/me", token=employee)["languages"] == ["en"]
    created = []

    def publish(title, text, **fields):
        body = {"title": title, "variants": {"linkedin": [text], "x": [text]}, **fields}
        snippet = live_server.api("POST", "/snippets", body, admin)
        live_server.api("POST", f"/snippets/{snippet['id']}/approve", {}, admin)
        created.append(snippet["id"])

    try:
        publish("Town hall on Friday", "Join our town hall on Friday", featured=True)
        publish("Optional: team lunch", "Team lunch photos are up")
        publish("งานสัมมนาประจำปี", "พบกันที่งานสัมมนาประจำปี", language="th")
        run_sync_alarm(signed_in.worker())
        composer = open_composer("x")
        poll(
            lambda: any(t == "Town hall on Friday" for t, _ in top_level_cards(composer)),
            timeout=20,
            message="the must-see snippet in the panel",
        )
        cards = top_level_cards(composer)
        titles = [t for t, _ in cards]
        assert dict(cards)["Town hall on Friday"] == "Must-see"
        assert dict(cards)["Optional: team lunch"] == ""
        # Pinned: every must-see card comes before every optional one, whatever its age.
        labels = [label for _, label in cards]
        assert labels == sorted(labels, key=lambda label: label != "Must-see"), cards
        assert titles.index("Town hall on Friday") < titles.index("Optional: team lunch")
        assert "งานสัมมนาประจำปี" not in titles  # Thai: folded under "Other languages"
        fold = composer.panel.locator(".fold > .fold-toggle")
        assert (fold.text_content() or "").startswith("Other languages")

        page, frame = signed_in.open_options()
        try:
            poll(lambda: frame.locator("#reads-th").count(), timeout=15, message="languages")
            assert frame.locator("#reads-en").is_checked()
            frame.locator("#reads-th").check()
            poll(
                lambda: "Saved" in (frame.locator("#participation-status").text_content() or ""),
                message="the languages saved",
            )
        finally:
            page.close()
        assert live_server.api("GET", "/me", token=employee)["languages"] == ["en", "th"]
        poll(
            lambda: "งานสัมมนาประจำปี" in [t for t, _ in top_level_cards(composer)],
            timeout=20,
            message="the Thai snippet out of the fold in the open panel",
        )
    finally:
        live_server.api("PATCH", "/me", {"languages": ["en"]}, employee)
        for snippet_id in created:  # leave the shared server as the other tests expect it
            live_server.api("POST", f"/snippets/{snippet_id}/archive", {}, admin)
