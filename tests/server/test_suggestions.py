"""What an employee's panel lists: targeting, schedule, tracked links, colleague counts, ETags."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from server.db import db
from server.models import Campaign, Share, Snippet, Team, TrackedLink, utcnow
from server.snippets import create_snippet, transition
from tests.conftest import make_user

URL = "/api/v1/suggestions"
LINK = "https://acme.test/launch"


def stamp(delta: timedelta) -> str:
    return (utcnow() + delta).isoformat() + "Z"


def publish(admin, title="Launch", approve=True, **fields):
    body = {
        "title": title,
        "variants": {
            "linkedin": [f"{title}: read {LINK} today", "Second take"],
            "x": [f"{title}!"],
        },
        "link_url": LINK,
        **fields,
    }
    with db.connection_context():
        snippet = create_snippet(admin, body)
        if approve:
            snippet = transition(admin, snippet, "approve")
    return snippet


def share(user, snippet, n=1):
    with db.connection_context():
        for _ in range(n):
            Share.create(
                event_id=str(uuid.uuid4()),
                user=user,
                network="x",
                snippet=snippet,
                shared_at=utcnow(),
            )


@pytest.fixture
def eve_headers(auth, employee):
    return auth.headers("eve@acme.test")


def titles(client, headers, query="network=linkedin"):
    resp = client.get(f"{URL}?{query}", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return [item["title"] for item in resp.get_json()["items"]]


def test_targeting_and_schedule_window(client, admin, employee, eve_headers):
    with db.connection_context():
        sales = Team.create(name="Sales")
        engineering = Team.get(Team.name == "Engineering")
    publish(admin, "Everyone")
    publish(admin, "Engineering only", team_ids=[engineering.id])
    publish(admin, "Sales only", team_ids=[sales.id])
    publish(admin, "Not yet", starts_at=stamp(timedelta(days=1)))
    publish(
        admin,
        "Expired",
        starts_at=stamp(-timedelta(days=10)),
        expires_at=stamp(-timedelta(seconds=1)),
    )
    publish(admin, "Still a draft", approve=False)
    archived = publish(admin, "Archived")
    with db.connection_context():
        transition(admin, archived, "archive")
    assert sorted(titles(client, eve_headers)) == ["Engineering only", "Everyone"]


def test_people_in_several_teams_see_each_snippet_once(client, auth, admin):
    with db.connection_context():
        sales, support, legal = (Team.create(name=n) for n in ("Sales", "Support", "Legal"))
        cloud = Campaign.create(name="Cloud", hashtag="#AcmeCloud")
    make_user("sam@acme.test", teams=("Sales", "Support"))
    publish(admin, "Everyone")
    publish(admin, "Both teams", team_ids=[sales.id, support.id], campaign_id=cloud.id)
    publish(admin, "Sales and Legal", team_ids=[sales.id, legal.id])
    publish(admin, "Legal only", team_ids=[legal.id], campaign_id=cloud.id)
    publish(admin, "Support, Cloud", team_ids=[support.id], campaign_id=cloud.id)
    headers = auth.headers("sam@acme.test")
    body = client.get(f"{URL}?network=x", headers=headers).get_json()
    assert [i["title"] for i in body["items"]] == [
        "Support, Cloud",
        "Sales and Legal",
        "Both teams",
        "Everyone",
    ]
    assert body["total"] == 4
    body = client.get(f"{URL}?network=x&campaign={cloud.id}&per_page=1", headers=headers).get_json()
    assert ([i["title"] for i in body["items"]], body["total"]) == (["Support, Cloud"], 2)


def test_people_without_teams_see_only_snippets_for_everyone(client, auth, admin):
    make_user("solo@acme.test")
    with db.connection_context():
        team = Team.create(name="Sales")
    publish(admin, "Everyone")
    publish(admin, "Sales only", team_ids=[team.id])
    assert titles(client, auth.headers("solo@acme.test")) == ["Everyone"]


def test_items_carry_only_the_networks_variants_with_my_tracked_link(client, admin, eve_headers):
    publish(admin, "Launch")
    publish(admin, "LinkedIn only", variants={"linkedin": ["Only here"]}, link_url=None)
    linkedin = client.get(f"{URL}?network=linkedin", headers=eve_headers).get_json()
    x = client.get(f"{URL}?network=x", headers=eve_headers).get_json()
    assert [i["title"] for i in x["items"]] == ["Launch"]

    item = next(i for i in linkedin["items"] if i["title"] == "Launch")
    link = item["link"]
    assert link.startswith("http://herald.test/r/") and len(link.rsplit("/", 1)[1]) >= 10
    # The snippet's link is replaced where it appears, and appended where it does not.
    assert item["variants"] == [
        {"index": 0, "text": f"Launch: read {link} today"},
        {"index": 1, "text": f"Second take {link}"},
    ]
    assert LINK not in str(linkedin)
    assert x["items"][0]["variants"] == [{"index": 0, "text": f"Launch! {link}"}]
    assert x["items"][0]["network"] == "x"

    no_link = next(i for i in linkedin["items"] if i["title"] == "LinkedIn only")
    assert no_link["link"] is None
    assert no_link["variants"] == [{"index": 0, "text": "Only here"}]


def test_one_tracked_link_per_person_and_snippet(client, auth, admin, eve_headers):
    snippet = publish(admin, "Launch")
    make_user("sam@acme.test")
    first = client.get(f"{URL}?network=x", headers=eve_headers).get_json()["items"][0]["link"]
    again = client.get(f"{URL}?network=linkedin", headers=eve_headers).get_json()["items"][0][
        "link"
    ]
    other = client.get(f"{URL}?network=x", headers=auth.headers("sam@acme.test")).get_json()
    assert first == again
    assert other["items"][0]["link"] != first
    with db.connection_context():
        assert TrackedLink.select().where(TrackedLink.snippet == snippet.id).count() == 2
        assert {t.target_url for t in TrackedLink.select()} == {LINK}


def test_colleagues_shared_counts_other_people_once(client, admin, employee, eve_headers):
    snippet = publish(admin, "Launch")
    sam, kim = make_user("sam@acme.test"), make_user("kim@acme.test")
    share(sam, snippet, n=3)
    share(kim, snippet)
    share(employee, snippet, n=2)
    item = client.get(f"{URL}?network=x", headers=eve_headers).get_json()["items"][0]
    assert item["colleagues_shared"] == 2


def test_newest_first_and_pagination(client, admin, eve_headers):
    for i in range(5):
        publish(admin, f"Snippet {i}")
    body = client.get(f"{URL}?network=x&per_page=2&page=2", headers=eve_headers).get_json()
    assert [i["title"] for i in body["items"]] == ["Snippet 2", "Snippet 1"]
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 5)
    first = client.get(f"{URL}?network=x", headers=eve_headers).get_json()
    assert first["items"][0]["title"] == "Snippet 4"
    assert first["latest_approved_at"] == first["items"][0]["approved_at"]
    assert client.get(f"{URL}?network=x&page=9", headers=eve_headers).get_json()["items"] == []


def test_search_and_campaign_filters(client, admin, eve_headers):
    with db.connection_context():
        campaign = Campaign.create(name="Cloud", hashtag="AcmeCloud")
    publish(admin, "Cloud launch", campaign_id=campaign.id)
    publish(admin, "Hiring")
    assert titles(client, eve_headers, "network=x&q=hiring") == ["Hiring"]
    body = client.get(f"{URL}?network=x&campaign={campaign.id}", headers=eve_headers).get_json()
    assert [i["title"] for i in body["items"]] == ["Cloud launch"]
    assert body["items"][0]["campaign"] == {
        "id": campaign.id,
        "name": "Cloud",
        "hashtag": "AcmeCloud",
    }
    assert body["total"] == 1


def test_etag_gives_304_until_something_changes(client, admin, eve_headers):
    snippet = publish(admin, "Launch")
    first = client.get(f"{URL}?network=x", headers=eve_headers)
    etag = first.headers["ETag"]
    assert etag
    again = client.get(f"{URL}?network=x", headers={**eve_headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    share(make_user("sam@acme.test"), snippet)
    changed = client.get(f"{URL}?network=x", headers={**eve_headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["items"][0]["colleagues_shared"] == 1
    assert changed.headers["ETag"] != etag


def test_new_approvals_show_up_at_once(client, admin, eve_headers):
    publish(admin, "First")
    assert titles(client, eve_headers) == ["First"]
    publish(admin, "Second")
    assert titles(client, eve_headers) == ["Second", "First"]


def test_network_is_required_and_sign_in_too(client, eve_headers):
    resp = client.get(URL, headers=eve_headers)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "?network"
    assert client.get(f"{URL}?network=x").status_code == 401


def item_on(client, headers, network="x", **extra):
    resp = client.get(f"{URL}?network={network}", headers={**headers, **extra})
    return resp, (resp.get_json()["items"][0] if resp.status_code == 200 else None)


def test_edits_to_a_live_snippet_and_its_campaign_show_at_once(client, auth, admin, eve_headers):
    """Each worker keeps encoded suggestions in memory: every kind of edit must refresh them."""
    admin_headers = auth.headers("ada@acme.test")
    with db.connection_context():
        campaign = Campaign.create(name="Cloud", hashtag="AcmeCloud")
    snippet = publish(admin, "Launch", campaign_id=campaign.id)
    first, item = item_on(client, eve_headers)
    assert (item["title"], item["variants"][0]["text"]) == ("Launch", f"Launch! {item['link']}")

    resp = client.patch(
        f"/api/v1/snippets/{snippet.id}",
        json={"title": "Relaunch", "variants": {"linkedin": ["In", "Two"], "x": ["New text"]}},
        headers=admin_headers,
    )
    assert resp.status_code == 200, resp.get_json()
    edited, item = item_on(client, eve_headers, **{"If-None-Match": first.headers["ETag"]})
    assert edited.status_code == 200
    assert (item["title"], item["variants"][0]["text"]) == ("Relaunch", f"New text {item['link']}")

    resp = client.patch(
        f"/api/v1/campaigns/{campaign.id}",
        json={"name": "Cloud 2", "hashtag": "#AcmeCloud2"},
        headers=admin_headers,
    )
    assert resp.status_code == 200, resp.get_json()
    renamed, item = item_on(client, eve_headers, **{"If-None-Match": edited.headers["ETag"]})
    assert renamed.status_code == 200
    assert item["campaign"] == {"id": campaign.id, "name": "Cloud 2", "hashtag": "#AcmeCloud2"}

    assert (
        client.delete(f"/api/v1/campaigns/{campaign.id}", headers=admin_headers).status_code == 204
    )
    _, item = item_on(client, eve_headers)
    assert item["campaign"] is None
    assert (
        client.get(f"{URL}?network=x&campaign={campaign.id}", headers=eve_headers).get_json()[
            "items"
        ]
        == []
    )


def test_texts_keep_every_character_around_my_link(client, admin, eve_headers):
    """Items are assembled from pre-escaped JSON pieces: quotes, backslashes, tabs, emoji and
    Thai must come out exactly, with my link in each place the snippet's link was."""
    tricky = 'Say "hi" \\o/ \u2713 \U0001f600 \u0e44\u0e17\u0e22\tend'
    publish(
        admin,
        'A "quoted" title \\',
        variants={"linkedin": [f"{tricky} {LINK} and {LINK}!", tricky], "x": [tricky]},
        hashtags=["Acme", "\u0e44\u0e17\u0e22"],
    )
    resp, item = item_on(client, eve_headers, network="linkedin")
    link = item["link"]
    assert item["title"] == 'A "quoted" title \\'
    assert item["hashtags"] == ["Acme", "\u0e44\u0e17\u0e22"]
    assert item["variants"] == [
        {"index": 0, "text": f"{tricky} {link} and {link}!"},
        {"index": 1, "text": f"{tricky} {link}"},
    ]
    assert resp.headers["Content-Type"] == "application/json"


def test_colleague_counts_follow_new_shares(client, admin, employee, eve_headers, monkeypatch):
    """Counts are caught up from new share rows; a burst past the catch-up limit starts afresh."""
    monkeypatch.setattr("server.sharers.CATCH_UP_LIMIT", 2)
    snippet = publish(admin, "Launch")
    other = publish(admin, "Other")
    people = [make_user(f"p{i}@acme.test") for i in range(5)]

    def counts():
        items = client.get(f"{URL}?network=x", headers=eve_headers).get_json()["items"]
        return {i["title"]: i["colleagues_shared"] for i in items}

    assert counts() == {"Launch": 0, "Other": 0}
    share(people[0], snippet)
    share(employee, snippet)  # my own share is not a colleague's
    assert counts() == {"Launch": 1, "Other": 0}
    for person in people[1:4]:  # six new shares: more than the limit of two
        share(person, snippet, n=2)
    share(people[4], other)
    assert counts() == {"Launch": 4, "Other": 1}
    share(people[4], snippet)
    assert counts() == {"Launch": 5, "Other": 1}


def test_items_carry_the_snippets_language(client, admin, eve_headers):
    """The panel shows the employee's languages first: it needs each suggestion's language."""
    publish(admin, "Lancio", language="it")
    publish(admin, "Launch")
    body = client.get(f"{URL}?network=x", headers=eve_headers).get_json()
    assert {i["title"]: i["language"] for i in body["items"]} == {"Lancio": "it", "Launch": "en"}


def test_campaign_window_decides_what_is_suggested(client, admin, eve_headers, monkeypatch):
    now = utcnow()
    with db.connection_context():
        ended = Campaign.create(name="Last spring", ends_at=now - timedelta(days=90))
        later = Campaign.create(name="Next launch", starts_at=now + timedelta(days=3))
        running = Campaign.create(
            name="Running", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9)
        )
        closing = Campaign.create(name="Closing", ends_at=now + timedelta(seconds=5))
    publish(admin, "Old news", campaign_id=ended.id)
    publish(admin, "Teaser", campaign_id=later.id)
    publish(admin, "Current", campaign_id=running.id)
    publish(admin, "Last call", campaign_id=closing.id)
    publish(admin, "No campaign")
    expected = ["Current", "Last call", "No campaign"]
    assert sorted(titles(client, eve_headers)) == expected
    assert sorted(titles(client, eve_headers, "network=linkedin&q=read")) == expected
    # Ten seconds on, nothing was edited: the campaign's end alone takes "Last call" away.
    later_now = now + timedelta(seconds=10)
    monkeypatch.setattr("server.api.suggestions.utcnow", lambda: later_now)
    assert sorted(titles(client, eve_headers)) == ["Current", "No campaign"]
    assert sorted(titles(client, eve_headers, "network=linkedin&q=read")) == [
        "Current",
        "No campaign",
    ]


def test_an_edit_shows_at_once_even_from_a_node_whose_clock_lags(client, auth, admin, eve_headers):
    """Another node with a clock minutes ahead stamped a snippet's updated_at in our future; an
    edit made here now writes an older updated_at, so MAX(updated_at) does not move. The edit must
    show anyway (the change token in server.snippets), not a minute later."""
    admin_headers = auth.headers("ada@acme.test")
    ahead = publish(admin, "From the fast node")
    snippet = publish(admin, "Launch")
    with db.connection_context():
        Snippet.update(updated_at=utcnow() + timedelta(minutes=5)).where(
            Snippet.id == ahead.id
        ).execute()
    assert "Launch" in titles(client, eve_headers, "network=x")  # the live set is built

    resp = client.patch(
        f"/api/v1/snippets/{snippet.id}", json={"title": "Relaunch"}, headers=admin_headers
    )
    assert resp.status_code == 200, resp.get_json()
    assert "Relaunch" in titles(client, eve_headers, "network=x")
    resp = client.post(f"/api/v1/snippets/{snippet.id}/archive", headers=admin_headers)
    assert resp.status_code == 200, resp.get_json()
    assert titles(client, eve_headers, "network=x") == ["From the fast node"]


def test_a_share_that_commits_after_a_newer_one_still_counts(client, admin, eve_headers):
    """On PostgreSQL share ids are taken at insert and may commit out of order (two requests,
    perhaps on two nodes): id 102 is visible while 101 is still committing. Catching up past 102
    must not lose 101 (server.sharers remembers the gap and looks again)."""
    snippet = publish(admin, "Launch")
    people = [make_user(f"p{i}@acme.test") for i in range(3)]

    def colleagues() -> int:
        resp, item = item_on(client, eve_headers)
        assert item is not None, (resp.status_code, resp.get_data(as_text=True)[:500])
        return item["colleagues_shared"]

    def committed(share_id: int, user) -> None:
        with db.connection_context():
            Share.create(
                id=share_id,
                event_id=str(uuid.uuid4()),
                user=user,
                network="x",
                snippet=snippet,
                shared_at=utcnow(),
            )

    assert colleagues() == 0
    committed(100, people[0])
    committed(102, people[1])
    assert colleagues() == 2
    committed(101, people[2])  # took its id before 102, committed after
    assert colleagues() == 3
