from __future__ import annotations

import pytest
from gl_support import TWITTER_DIR, twitter_vectors

from guidelines import parse_x, x_weighted_length
from guidelines.validators import punycode_len

VECTORS = twitter_vectors()


@pytest.mark.skipif(not VECTORS, reason=f"twitter-text conformance data not found in {TWITTER_DIR}")
@pytest.mark.parametrize(
    "section,emoji,vector", VECTORS, ids=[f"{s}:{v['description'][:50]}" for s, _, v in VECTORS]
)
def test_weighted_length(section, emoji, vector):
    got = parse_x(vector["text"], emoji)
    exp = vector["expected"]
    assert got["weightedLength"] == exp["weightedLength"]
    assert got["valid"] == exp["valid"]
    assert got["permillage"] == exp["permillage"]
    if emoji:
        assert x_weighted_length(vector["text"]) == exp["weightedLength"]
    text = vector["text"]
    # twitter-text reports UTF-16 indices; compare the overflow point where they coincide
    if not exp["valid"] and exp["weightedLength"] > 280 and all(ord(c) < 0x10000 for c in text):
        if len(text) < 1000:
            assert got["exceed_at"] == exp["validRangeEnd"] + 1


def test_vectors_present_or_skipped_for_a_reason():
    if (TWITTER_DIR / "validate.yml").exists():
        assert len(VECTORS) == 44


@pytest.mark.parametrize(
    "label", ["bücher", "пример", "あいうえおかきくけこ", "mañana", "ドメイン名例"]
)
def test_punycode_length_matches_codec(label):
    assert punycode_len(label) == len("xn--" + label.encode("punycode").decode("ascii"))


def test_weighted_basics():
    assert x_weighted_length("") == 0
    assert x_weighted_length("abc") == 3
    assert x_weighted_length("中文") == 4
    assert x_weighted_length("see example.com now") == 4 + 23 + 4
    assert x_weighted_length("🇺🇦 1️⃣ 👍🏽") == 2 + 1 + 2 + 1 + 2
    assert parse_x("x" * 300)["exceed_at"] == 280
