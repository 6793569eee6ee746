"""End-to-end: inserting a campaign's suggestion adds the campaign's hashtag to the post, once,
through the editor's own model (Quill on the LinkedIn-like page, Draft.js on the X-like one)."""

from __future__ import annotations

import os

import pytest
from e2e_support import ADMIN, poll

pytestmark = pytest.mark.browser

HASHTAG = "#AcmeLaunchWeek"
UNTAGGED = {
    "linkedin": "Launch week at Acme: five releases in five days. Follow along!",
    "x": "Launch week at Acme: five releases, five days 🚀",
}
TAGGED = {  # the tag is already there, in another case: nothing is added
    "linkedin": "Day two of #acmelaunchweek: our new dashboards are live.",
    "x": "Day two of #ACMELAUNCHWEEK: dashboards are live",
}
# 270 of X's 280: the tag (16 with its space) would not fit
LONG_X = "Launch week recap: " + "all five releases are out. " * 9 + "Thanks all"
EXPECTED = {
    "linkedin": UNTAGGED["linkedin"] + "\n\n" + HASHTAG,
    "x": UNTAGGED["x"] + " " + HASHTAG,
}


@pytest.fixture(scope="module")
def campaign_snippets(live_server):
    token = live_server.login(ADMIN)
    campaign = live_server.api(
        "POST", "/campaigns", {"name": "Launch week", "hashtag": HASHTAG}, token
    )
    ids = {}
    long_texts = {"linkedin": "Launch week recap, the long read.", "x": LONG_X}
    for name, texts in (("untagged", UNTAGGED), ("tagged", TAGGED), ("long", long_texts)):
        snippet = live_server.api(
            "POST",
            "/snippets",
            {
                "title": f"Launch week ({name})",
                "campaign_id": campaign["id"],
                "variants": {"linkedin": [texts["linkedin"]], "x": [texts["x"]]},
            },
            token,
        )
        live_server.api("POST", f"/snippets/{snippet['id']}/approve", {}, token)
        ids[name] = snippet["id"]
    return ids


def insert(composer, shown_text: str) -> None:
    panel = composer.panel
    toggle = panel.locator("#suggestions-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()  # with a draft the suggestions fold below the hints
    card = panel.locator("li.card", has_text=shown_text)
    poll(lambda: card.count(), timeout=20, message="the campaign's suggestion in the panel")
    before = composer.model_text()
    card.locator("button.insert").click()
    try:
        poll(lambda: composer.model_text() != before, timeout=5, message="the insert")
    except AssertionError:
        # CI once saw the editor unchanged 10 s after the click, on a panel that had just drawn
        # the campaign's new card (the list is drawn again when the worker's sync comes back):
        # a click on a card replaced under it is lost. Once more, then say what the editor holds.
        card.locator("button.insert").click()
        poll(
            lambda: composer.model_text() != before,
            message=f"the insert (the editor holds {composer.model_text()!r})",
        )


@pytest.mark.parametrize("site", ["linkedin", "x"])
def test_insert_appends_the_campaign_hashtag_once(campaign_snippets, open_composer, site):
    composer = open_composer(site)
    insert(composer, UNTAGGED[site])
    poll(lambda: composer.model_text() == EXPECTED[site], message=f"{EXPECTED[site]!r} in model")
    assert composer.model_text().count(HASHTAG) == 1
    # the employee may still edit: the tag is ordinary text in the editor's model
    assert composer.post_enabled()
    note = composer.panel.locator("#hashtag-note")
    assert note.is_hidden()

    # A suggestion that already carries the tag (in another case) is inserted as it is.
    insert(composer, TAGGED[site])
    poll(lambda: composer.model_text() == TAGGED[site], message="the tagged text unchanged")
    assert HASHTAG.lower() not in composer.model_text().replace(TAGGED[site], "").lower()

    out = os.environ.get("HERALD_SCREENSHOTS")  # a folder: keep the panel after insert as png
    if out:
        insert(composer, UNTAGGED[site])
        poll(lambda: composer.model_text() == EXPECTED[site], message="re-inserted")
        composer.page.screenshot(path=f"{out}/panel-after-insert-{site}.png")


def test_a_hashtag_that_would_pass_xs_limit_is_not_added_and_the_panel_says_why(
    campaign_snippets, open_composer
):
    composer = open_composer("x")
    insert(composer, LONG_X[:60])
    poll(lambda: composer.model_text() == LONG_X, message="the long post inserted as it is")
    note = composer.panel.locator("#hashtag-note")
    poll(lambda: note.is_visible(), message="the note about the hashtag")
    assert note.text_content() == (
        f"{HASHTAG} was not added: the post would be longer than 280 characters. "
        f"Shorten it and add {HASHTAG} yourself."
    )
    out = os.environ.get("HERALD_SCREENSHOTS")
    if out:
        composer.page.screenshot(path=f"{out}/panel-hashtag-over-limit-x.png")
