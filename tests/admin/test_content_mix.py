"""Content mix: company / third-party / employee-proposed content in the live library and in
the last 30 days' shares, against the target the admin sets (Settings, adds up to 100 %)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from server.db import db
from server.models import Campaign, FeedEntry, FeedSource, utcnow
from server.settings import get_setting
from tests.admin.conftest import add_share, add_snippet
from tests.conftest import make_user

SETTINGS_FORM = {
    "program_name": "Acme Voices",
    "default_expiry_days": "180",
    "emv_currency": "USD",
    "linkedin_cpm": "30",
    "linkedin_cpc": "5",
    "linkedin_avg_audience": "500",
    "x_cpm": "6.5",
    "x_cpc": "1.5",
    "x_avg_audience": "300",
}


def feed_draft(title: str, third_party: bool, **fields):
    snippet = add_snippet(title, source="feed", **fields)
    with db.connection_context():
        source = FeedSource.create(
            name=f"{title} feed", url="https://news.acme.test/feed", third_party=third_party
        )
        FeedEntry.create(
            key=f"{title:>64}"[:64], source=source, snippet=snippet, third_party=third_party
        )
    return snippet


@pytest.fixture
def library(app, admin):
    """Live: 3 company (2 manual, 1 own feed), 1 third-party, 1 employee-proposed; not live: a
    draft, an expired one and one of an ended campaign. Shares in 30 days: 4 company, 2
    third-party, 2 employee, 1 own words; older and flagged shares do not count."""
    now = utcnow()
    with db.connection_context():
        ended = Campaign.create(name="Over", ends_at=now - timedelta(days=1))
    company = add_snippet("Company news")
    add_snippet("Company howto")
    add_snippet("Company draft", status="draft")
    add_snippet("Company expired", expires_at=now - timedelta(hours=1))
    add_snippet("Ended campaign", campaign=ended)
    own_feed = feed_draft("Our blog", third_party=False)
    partner = feed_draft("Partner article", third_party=True)
    proposal = add_snippet("Erin's idea", source="employee")
    erin = make_user("erin@acme.test")
    for snippet, n in ((company, 3), (own_feed, 1), (partner, 2), (proposal, 2)):
        for i in range(n):
            add_share(erin, "linkedin", now - timedelta(days=i + 1), snippet)
    add_share(erin, "x", now - timedelta(days=2))  # own words
    add_share(erin, "x", now - timedelta(days=40), partner)  # too old
    add_share(erin, "x", now - timedelta(days=3), partner, suspect_reason="before_snippet")


def test_the_api_gives_the_mix_beside_the_target(client, auth, library):
    resp = client.get("/api/v1/analytics/content-mix", headers=auth.headers("ada@acme.test"))
    assert resp.status_code == 200  # and @returns checked it against analytics/content-mix
    mix = resp.get_json()
    assert mix["target"] == {"company": 60, "third_party": 30, "employee": 10}
    assert mix["library"]["counts"] == {"company": 3, "third_party": 1, "employee": 1}
    assert mix["library"]["percent"] == {"company": 60.0, "third_party": 20.0, "employee": 20.0}
    assert mix["shared"]["counts"] == {"company": 4, "third_party": 2, "employee": 2}
    assert mix["shared"]["percent"] == {"company": 50.0, "third_party": 25.0, "employee": 25.0}
    assert mix["shared"]["own_words"] == 1 and mix["shared"]["days"] == 30
    employee = auth.headers("erin@acme.test")
    assert client.get("/api/v1/analytics/content-mix", headers=employee).status_code == 403


def test_the_dashboard_shows_target_beside_actual(admin_console, library):
    html = admin_console.page("/admin/")
    assert 'id="content-mix"' in html and "Content mix (%)" in html  # the chart
    row = html.split('data-kind="third_party"')[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", " ", c.split(">", 1)[1]) for c in row.split("<td")[1:]]
    cells = [" ".join(c.split()) for c in cells]
    assert cells == ["30 %", "20 % (1) 10 pts below", "25 % (2) 5 pts below"]
    employee = html.split('data-kind="employee"')[1].split("</tr>")[0]
    assert "10 pts above" in employee
    assert "1 post was in the employee's own words" in html


def test_the_target_mix_is_saved_when_it_adds_up_to_100(admin_console, app):
    form = {**SETTINGS_FORM, "mix_company": "50", "mix_third_party": "25", "mix_employee": "25"}
    resp = admin_console.post("/admin/settings", form, follow_redirects=True)
    assert "Settings saved." in resp.get_data(as_text=True)
    with app.app_context(), db.connection_context():
        assert get_setting("content_mix_target") == {
            "company": 50,
            "third_party": 25,
            "employee": 25,
        }
    page = admin_console.page("/admin/settings")
    assert 'name="mix_third_party" value="25"' in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("50", "30", "30"), "must add up to 100 % (these add up to 110 %)"),
        (("50", "-5", "55"), "Third-party: a whole percentage from 0 to 100."),
        (("50", "40", "ten"), "Employee-proposed: a whole percentage from 0 to 100."),
        (("150", "0", "0"), "Company: a whole percentage from 0 to 100."),
    ],
)
def test_a_target_mix_that_does_not_add_up_is_refused(admin_console, app, values, message):
    form = {**SETTINGS_FORM}
    form.update(zip(("mix_company", "mix_third_party", "mix_employee"), values, strict=True))
    resp = admin_console.post("/admin/settings", form)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    with app.app_context(), db.connection_context():
        assert get_setting("content_mix_target") == {
            "company": 60,
            "third_party": 30,
            "employee": 10,
        }
