from herald_i18n import Strings
from herald_suggestions import (
    campaign_hashtag,
    campaigns,
    has_hashtag,
    shared_label,
    variant_text,
    visible_suggestions,
    with_campaign_hashtag,
)
from panel_support import load_catalogs

LAUNCH = {"id": 5, "name": "Launch", "hashtag": "HeraldLaunch"}


def item(
    id_,
    title,
    network="linkedin",
    featured=False,
    campaign=None,
    approved="2026-11-01T00:00:00Z",
    **extra,
):
    return {
        "id": id_,
        "title": title,
        "network": network,
        "campaign": campaign,
        "hashtags": extra.pop("hashtags", []),
        "link": None,
        "variants": extra.pop("variants", [{"index": 0, "text": title + " text"}]),
        "featured": featured,
        "colleagues_shared": 3,
        "starts_at": extra.pop("starts_at", None),
        "expires_at": extra.pop("expires_at", None),
        "approved_at": approved,
    }


RESPONSE = {
    "items": [
        item(1, "Quarterly results", approved="2026-11-03T00:00:00Z"),
        item(2, "Office opening", featured=True, campaign=LAUNCH),
        item(3, "Tweet only", network="x"),
        item(4, "Old news", expires_at="2026-11-10T00:00:00Z"),
        item(5, "Hiring engineers", hashtags=["#hiring"], approved="2026-11-05T00:00:00Z"),
    ]
}
NOW = "2026-11-22T12:00:00.000Z"


def titles(items):
    return [entry["title"] for entry in items]


def test_featured_first_then_newest_and_only_this_network_and_current():
    assert titles(visible_suggestions(RESPONSE, "linkedin", now_iso=NOW)) == [
        "Office opening",
        "Hiring engineers",
        "Quarterly results",
    ]


def test_search_matches_every_word_in_title_text_hashtags_or_campaign():
    assert titles(visible_suggestions(RESPONSE, "linkedin", "HIRING", now_iso=NOW)) == [
        "Hiring engineers"
    ]
    assert titles(visible_suggestions(RESPONSE, "linkedin", "launch office", now_iso=NOW)) == [
        "Office opening"
    ]
    assert visible_suggestions(RESPONSE, "linkedin", "nothing like this", now_iso=NOW) == []


def test_campaign_filter_and_campaign_list():
    assert titles(visible_suggestions(RESPONSE, "linkedin", campaign_id=5, now_iso=NOW)) == [
        "Office opening"
    ]
    assert campaigns(RESPONSE["items"]) == [LAUNCH]
    assert campaign_hashtag(RESPONSE["items"][1]) == "#HeraldLaunch"


def test_variant_text_falls_back_to_the_first_variant():
    entry = item(9, "t", variants=[{"index": 0, "text": "one"}, {"index": 1, "text": "two"}])
    assert variant_text(entry, 1) == "two"
    assert variant_text(entry, 7) == "one"


def test_colleagues_shared_label_uses_plural_rules():
    catalogs = load_catalogs()
    assert shared_label(Strings(catalogs, "en"), 1) == "1 colleague shared this"
    assert shared_label(Strings(catalogs, "en"), 1200) == "1,200 colleagues shared this"
    assert shared_label(Strings(catalogs, "ru"), 3) == "3 коллеги поделились этим"
    assert shared_label(Strings(catalogs, "ru"), 11) == "11 коллег поделились этим"
    assert shared_label(Strings(catalogs, "ru"), 21) == "21 коллега поделился этим"
    assert shared_label(Strings(catalogs, "en"), 0) == "Be the first colleague to share this"


def test_the_employees_languages_come_first_and_the_others_fold():
    from herald_suggestions import split_by_language

    items = [
        dict(item(1, "Thai news"), language="th"),
        dict(item(2, "English news"), language="en"),
        dict(item(3, "Italian news"), language="it"),
        item(4, "No language given"),
        dict(item(5, "Greek news"), language="el"),
    ]
    mine, others = split_by_language(items, ["en-GB"])
    assert [i["title"] for i in mine] == ["English news", "No language given"]
    assert [i["title"] for i in others] == ["Thai news", "Italian news", "Greek news"]
    mine, others = split_by_language(items, ["en", "it"])
    assert [i["id"] for i in mine] == [2, 3, 4] and [i["id"] for i in others] == [1, 5]
    assert split_by_language(items, []) == (items, [])


def test_other_languages_label_in_every_language():
    catalogs = load_catalogs()
    for language in catalogs:
        text = Strings(catalogs, language).get("other_languages", count=3)
        assert "3" in text and "{count}" not in text
        if language != "en":
            assert text != catalogs["en"]["other_languages"].replace("{count}", "3")


def test_campaign_hashtag_is_appended_once_at_the_end():
    # X: one space; LinkedIn: a hashtags line of its own, or beside a trailing line of tags
    assert with_campaign_hashtag("Live now 🚀", "#AcmeLaunch", "x") == "Live now 🚀 #AcmeLaunch"
    assert with_campaign_hashtag("Live now\n", "#AcmeLaunch", "linkedin") == (
        "Live now\n\n#AcmeLaunch"
    )
    assert with_campaign_hashtag("Live now\n#Cloud #AI", "#AcmeLaunch", "linkedin") == (
        "Live now\n#Cloud #AI #AcmeLaunch"
    )
    assert with_campaign_hashtag("", "#AcmeLaunch", "x") == "#AcmeLaunch"
    assert with_campaign_hashtag("Live now", "", "x") == "Live now"


def test_campaign_hashtag_already_there_in_any_case_is_not_added_again():
    for text in ("Live #acmelaunch now", "Live now (#ACMELAUNCH)", "#AcmeLaunch: live"):
        assert with_campaign_hashtag(text, "#AcmeLaunch", "linkedin") == text
        assert has_hashtag(text, "#AcmeLaunch")
    # a longer tag is another tag
    assert not has_hashtag("Live #AcmeLaunchDay", "#AcmeLaunch")
    assert not has_hashtag("Live #AcmeLaunch_2", "#AcmeLaunch")
    assert with_campaign_hashtag("Live #AcmeLaunchDay", "#AcmeLaunch", "x") == (
        "Live #AcmeLaunchDay #AcmeLaunch"
    )
