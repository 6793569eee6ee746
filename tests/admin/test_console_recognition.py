"""Console: the admin sets point values and edits the recognition email with a preview."""

from __future__ import annotations

import html

from server.db import db
from server.models import AuditEntry
from server.recognition import settings_json


def form(**changes) -> dict:
    values = {
        "points_share": "10",
        "points_click": "1",
        "points_accepted_proposal": "25",
        "mail_enabled": "on",
        "top_n": "3",
        "top_subject": "Well done, {name}",
        "top_body": "Hello {name},\r\n\r\nYou placed #{rank} with {points} points.",
        "first_share_subject": "Your first share, {name}",
        "first_share_body": "Thank you for your first share in {program}.",
        "action": "save",
    }
    return values | changes


def saved() -> dict:
    with db.connection_context():
        return settings_json()


def test_settings_page_leads_to_recognition_which_shows_values_and_previews(admin_console):
    assert "/admin/settings/recognition" in admin_console.page("/admin/settings")
    page = html.unescape(admin_console.page("/admin/settings/recognition"))
    assert 'name="points_share" value="10"' in page
    assert 'name="points_click" value="1"' in page
    # The default wording, filled in for a sample person.
    assert "Thank you, Alex Example: you were among last week's top contributors" in page
    assert "Last week you placed #1 in Herald, with a score of 42" in page
    assert "Thank you for your first share, Alex Example" in page


def test_preview_shows_the_typed_wording_without_saving(admin_console):
    resp = admin_console.post("/admin/settings/recognition", form(action="preview"))
    page = html.unescape(resp.get_data(as_text=True))
    assert resp.status_code == 200
    assert "Well done, Alex Example" in page
    assert "You placed #1 with 42 points." in page
    assert "Your first share, Alex Example" in page
    assert saved()["templates"]["top"]["subject"].startswith("Thank you, {name}")


def test_save_changes_points_and_wording_and_audits(admin_console):
    resp = admin_console.post(
        "/admin/settings/recognition", form(points_share="3", top_n="5"), follow_redirects=True
    )
    assert "Recognition settings saved." in resp.get_data(as_text=True)
    now = saved()
    assert now["points"] == {"share": 3, "click": 1, "accepted_proposal": 25}
    assert now["top_n"] == 5
    assert (
        now["templates"]["top"]["body"]
        == "Hello {name},\n\nYou placed #{rank} with {points} points."
    )
    with db.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "recognition.settings")
    assert entry.before["points"]["share"] == 10 and entry.after["points"]["share"] == 3


def test_bad_values_are_explained_and_what_was_typed_stays(admin_console):
    resp = admin_console.post(
        "/admin/settings/recognition",
        form(
            points_click="-2",
            points_share="1001",
            top_n="99",
            top_body="Hi {first_name}",
            first_share_subject="",
        ),
    )
    assert resp.status_code == 422
    page = html.unescape(resp.get_data(as_text=True))
    for text in (
        "points click must be a whole number.",
        "top n: Must be at most 20.",
        "points share: Must be at most 1000.",
        "uses {first_name}; available: {name}",
        "The first share subject must not be empty.",
    ):
        assert text in page, text
    assert "should be non-empty" not in page  # said once, in plain words
    assert "Hi {first_name}" in page  # the typed text is kept to fix
    assert saved()["points"]["click"] == 1 and saved()["top_n"] == 3


def test_template_problems_are_said_in_the_admins_language(admin_console):
    admin_console.post("/admin/language", {"language": "ru", "next": "/admin/"})
    resp = admin_console.post(
        "/admin/settings/recognition", form(top_body="Hi {first_name}", first_share_subject="")
    )
    assert resp.status_code == 422
    page = html.unescape(resp.get_data(as_text=True))
    assert "В тексте письма лучшим участникам есть {first_name}; доступны: {name}" in page
    assert "Тема письма за первую публикацию не может быть пустой." in page
    assert "must not be empty" not in page and "available:" not in page
