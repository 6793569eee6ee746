"""Shared paths and loaders for the guidelines tests."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VECTORS_DIR = REPO / "tests" / "vectors"
TWITTER_DIR = REPO.parent / "shared" / "conformance" / "twitter-text"
TWITTER_SECTIONS = {
    # twitter-text runs this section with config v2 (no emoji parsing), the others with v3
    "WeightedTweetsCounterTest": False,
    "WeightedTweetsWithDiscountedEmojiCounterTest": True,
    "UnicodeDirectionalMarkerCounterTest": True,
}


def load_vectors() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(VECTORS_DIR.glob("*.json"))]


def twitter_vectors() -> list[tuple[str, bool, dict]]:
    """(section, emoji_parsing, vector) for the weighted-length sections; [] when absent."""
    path = TWITTER_DIR / "validate.yml"
    if not path.exists():
        return []
    import yaml

    tests = yaml.safe_load(path.read_text("utf-8"))["tests"]
    return [(sec, emo, t) for sec, emo in TWITTER_SECTIONS.items() for t in tests[sec]]
