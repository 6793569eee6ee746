import random

import pytest
from herald_share import EDIT_DISTANCE_CAP, build_share_event, edit_distance


def reference_levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("", "", 0),
        ("", "hello", 5),
        ("kitten", "sitting", 3),
        ("We launched 🚀 today", "We launched 🚀 today!", 1),
        ("🚀🚀", "🚀", 1),  # one code point, not two UTF-16 units
        ("flaw", "lawn", 2),
    ],
)
def test_edit_distance_counts_code_point_edits(source, target, expected):
    assert edit_distance(source, target) == expected


def test_edit_distance_matches_full_levenshtein_on_random_texts():
    rng = random.Random(7)
    alphabet = "ab c🚀é"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert edit_distance(a, b) == reference_levenshtein(a, b), (a, b)


def test_heavy_rewrite_saturates_at_the_cap_quickly():
    source = "a" * 3000
    target = "b" * 2900
    assert edit_distance(source, target) == EDIT_DISTANCE_CAP
    assert edit_distance("x" * 600, "y" * 600) == EDIT_DISTANCE_CAP


def test_event_for_an_unchanged_suggestion():
    origin = {"snippet_id": 12, "variant": 1, "text": "Our new office opens today #Launch"}
    event = build_share_event(
        "id-1", "linkedin", origin["text"], origin, [], "2026-11-22T10:00:00.000Z"
    )
    assert event == {
        "event_id": "id-1",
        "network": "linkedin",
        "snippet_id": 12,
        "variant": 1,
        "edited": False,
        "edit_distance": 0,
        "findings": [],
        "shared_at": "2026-11-22T10:00:00.000Z",
    }


def test_event_for_an_edited_suggestion_reports_distance_and_remaining_findings():
    origin = {"snippet_id": 3, "variant": 0, "text": "Big news"}
    findings = [
        {"rule": "no-guarantee", "severity": "error"},
        {"rule": "no-guarantee", "severity": "error"},
        {"rule": "hashtags", "severity": "warning"},
    ]
    event = build_share_event(
        "id-2", "x", "Big news, folks", origin, findings, "2026-11-22T10:00:00.000Z"
    )
    assert event["edited"] is True
    assert event["edit_distance"] == 7
    assert event["findings"] == [
        {"rule": "hashtags", "severity": "warning"},
        {"rule": "no-guarantee", "severity": "error"},
    ]


def test_own_words_post_is_edited_from_empty_text():
    event = build_share_event("id-3", "x", "Hello 🌍", None, [], "2026-11-22T10:00:00.000Z")
    assert (event["snippet_id"], event["variant"], event["edited"], event["edit_distance"]) == (
        None,
        None,
        True,
        7,
    )
