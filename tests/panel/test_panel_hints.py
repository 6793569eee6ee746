"""Every finding of the starter policy offers the employee something to do, and findings of one
rule are grouped with their matched words as chips (herald_hints under CPython, real engine)."""

import json

import herald_hints
import pytest
from herald_i18n import Strings
from panel_support import load_catalogs

import guidelines


@pytest.fixture(scope="module")
def starter():
    return guidelines.compile_policy(guidelines.load_starter_policy())


def analyze(starter, text, network="linkedin"):
    return herald_hints.analyze(
        guidelines.check, guidelines.x_weighted_length, network, text, starter
    )


def by_rule(analysis, rule):
    return [f for f in analysis["findings"] if f["rule"] == rule]


def test_every_kind_of_finding_has_a_fix(starter):
    text = "Acme is confidential, that idiot said. Our revenue will double. #a #b #c #d #e #f"
    analysis = analyze(starter, text)
    assert {f["rule"] for f in analysis["findings"]} == {
        "employment-disclosure",
        "no-confidential",
        "respectful-language",
        "forward-looking-claims",
        "length-and-hashtags",
    }
    for finding in analysis["findings"]:
        assert finding["fixes"], finding
    # substitution from the policy
    assert by_rule(analysis, "respectful-language")[0]["fixes"][0]["replacement"] == "person"
    # append from the policy
    assert by_rule(analysis, "employment-disclosure")[0]["fixes"] == [{"append": " #AcmeEmployee"}]
    # remove, taking the space before it (punctuation follows) so no stray space is left
    fix = by_rule(analysis, "no-confidential")[0]["fixes"][0]
    assert fix["replacement"] == ""
    assert text[: fix["start"]] + text[fix["end"] :] == (
        "Acme is, that idiot said. Our revenue will double. #a #b #c #d #e #f"
    )
    # the sixth hashtag is removed with the space before it (it ends the post)
    fix = by_rule(analysis, "length-and-hashtags")[0]["fixes"][0]
    assert text[: fix["start"]] + text[fix["end"] :] == text[: -len(" #f")]


def test_over_length_gets_shorten_guidance_not_a_deletion(starter):
    text = "word " * 62  # 310 weighted characters on X
    analysis = analyze(starter, text, "x")
    over = by_rule(analysis, "length-and-hashtags")
    assert [f["fixes"] for f in over] == [[{"shorten": 30}]]
    assert herald_hints.fixes_to_apply(over[0]) == []
    strings = Strings(load_catalogs(), "en")
    assert herald_hints.fix_label(strings, over[0]["fixes"][0]) == "Shorten by 30 characters"
    ru = Strings(load_catalogs(), "ru")
    assert herald_hints.fix_label(ru, {"shorten": 22}) == "Сократите на 22 символа"
    assert herald_hints.fix_label(ru, {"shorten": 25}) == "Сократите на 25 символов"


def test_findings_of_one_rule_are_one_group_with_chips(starter):
    text = "Guaranteed returns, risk-free, a sure thing. Acme idiot."
    analysis = analyze(starter, text)
    groups = herald_hints.group_findings(analysis["findings"])
    assert [g["rule"] for g in groups] == [
        "no-promissory-claims",
        "employment-disclosure",
        "respectful-language",
    ]
    promissory = groups[0]
    chips = [
        text[analysis["findings"][i]["start"] : analysis["findings"][i]["end"]]
        for i in promissory["items"]
    ]
    assert chips == ["Guaranteed returns", "risk-free", "sure thing"]
    assert promissory["severity"] == "error" and promissory["explanation"]
    assert herald_hints.summary(analysis["findings"]) == (5, 3)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Будьте вежливы."),
        ("th", "ใช้ถ้อยคำที่สุภาพและให้เกียรติผู้อื่น"),
        ("pt", "Keep it respectful."),  # not in the policy: its default language
    ],
)
def test_the_panel_shows_rule_messages_in_the_employees_language(starter, language, expected):
    analysis = herald_hints.analyze(
        guidelines.check,
        guidelines.x_weighted_length,
        "linkedin",
        "what an idiot",
        starter,
        language,
    )
    [finding] = by_rule(analysis, "respectful-language")
    assert finding["message"] == expected


def test_the_account_limit_moves_the_counter_and_the_length_hint(starter):
    """X Premium: 25,000. The counter, the over-length finding and its fix follow the account's
    limit where the policy keeps X's default; a company's own lower limit stays."""
    text = "word " * 62  # 310 weighted characters on X
    subscriber = herald_hints.with_account_limit(starter, "x", 25000)
    analysis = analyze(subscriber, text, "x")
    assert analysis["limit"] == 25000 and analysis["length"] == 310
    assert by_rule(analysis, "length-and-hashtags") == []
    assert analysis["limit"] == herald_hints.length_limit("x", subscriber)
    # Over the account's own limit: the same "shorten by" guidance, counted from it.
    small = herald_hints.with_account_limit(starter, "x", 300)
    assert [f["fixes"] for f in by_rule(analyze(small, text, "x"), "length-and-hashtags")] == [
        [{"shorten": 10}]
    ]
    # The default policy is untouched (the engine caches by hash: the copy has its own).
    assert analyze(starter, text, "x")["limit"] == 280
    assert subscriber["hash"] != starter["hash"]
    # A company that set 200 on X keeps 200 for everyone.
    strict = json.loads(json.dumps(starter))
    strict["limits"]["x"]["max_length"] = 200
    assert herald_hints.with_account_limit(strict, "x", 25000)["limits"]["x"]["max_length"] == 200
    # No policy yet: the counter already shows the account's limit.
    assert herald_hints.analyze(None, len, "x", "hi", None, account_limit=25000)["limit"] == 25000
