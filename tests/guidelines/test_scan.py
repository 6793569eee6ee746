"""The one-pass scan behind prefilters yields exactly what each regex's own finditer does."""

from __future__ import annotations

import random
import re

from gl_support import load_vectors

import guidelines
from guidelines._builtin import PATTERNS
from guidelines.backend_py import PyBackend, derived_prefilter

PIECES = [
    "Idiot",
    "idiot's",
    "конфиденциально",
    "Acme",
    "#AcmeEmployee",
    "#a",
    "@bob",
    "$ACME",
    "jane@example.com",
    "+1 415 555 0100",
    "4111 1111 1111 1111",
    "DE89 3704 0044 0532 0130 00",
    "😀",
    "👍🏽",
    "中文",
    "ไม่มีความเสี่ยง",
    "20% returns",
    "http://example.com/x",
    "a.b.co",
    "internal only",
    "internal\n only",
    "confidential computing",
    "σοφος",
    "PRJ-1234",
    "-",
    ",",
]


def _texts(n: int = 60) -> list[str]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 25))]
        out.append("".join(p + rng.choice([" ", "", ". ", "\n", "("]) for p in parts))
    return out


def _policies() -> list[dict]:
    out = [guidelines.compile_policy(guidelines.load_starter_policy())]
    for v in load_vectors():
        if v["policy"] != "starter":
            out.append(guidelines.compile_policy(v["policy"]))
    return out


def _sources(compiled: dict) -> tuple[list[str], list]:
    """Every regex of a compiled policy (+ hashtag/mention/url/emoji) with its prefilter."""
    tp = compiled.get("term_prefilter") or {"py": None}
    srcs, pres = [], []
    for r in compiled["rules"]:
        for it in r["patterns"]:
            srcs.append(it["py"])
            pres.append(tp["py"] if r["kind"] != "pattern" else None)
        for it in r["exceptions"] + r.get("require_any", []):
            srcs.append(it["py"])
            pres.append(tp["py"])
        for d in r.get("detectors", []):
            srcs.append(d["py"])
            pres.append(d["pre"]["py"])
    for name in ("hashtag", "mention", "url"):
        srcs.append(PATTERNS[name]["py"])
        pres.append(PATTERNS["pre:" + name]["py"])
    srcs.append(PATTERNS["emoji"]["py"])
    pres.append(PATTERNS["emoji"]["py"])
    return srcs, pres


def test_combined_scan_equals_finditer_per_regex():
    be = PyBackend()
    checked = 0
    for compiled in _policies():
        srcs, pres = _sources(compiled)
        combined = be.prepare(srcs, pres)
        alone = be.prepare(srcs, derive=False)
        assert combined[2] and sum(len(g) for _, g in combined[2]) >= 5
        assert alone[2] == []
        for text in _texts():
            got = be.run(combined, text)
            assert got == be.run(alone, text), text
            checked += sum(len(x) for x in got)
    assert checked > 2000


def _rule_texts() -> list[str]:
    """Every flag/pass example and vector text: posts where the pattern rules do match."""
    docs = [guidelines.load_starter_policy()] + [
        v["policy"] for v in load_vectors() if v["policy"] != "starter"
    ]
    out = [
        t
        for d in docs
        for r in d["rules"]
        for k in ("flag", "pass")
        for t in r.get("examples", {}).get(k, [])
    ]
    out += [c["text"] for v in load_vectors() for c in v["cases"]]
    return out


def test_derived_prefilters_find_exactly_what_each_regex_finds_alone():
    """CPython gives sources that start with lookarounds a prefilter of their first characters
    (forward-looking-claims: ~1 ms per post without it); the findings must not move."""
    be = PyBackend()
    edges = ["a\u0301Revenue will double", "Revenue\u0301 will double", "_Sales will soar"]
    edges += ["(Revenue will double)", "20 % returns\u0301", "ราคาหุ้นจะพุ่งขึ้น"]
    texts = _rule_texts() + _texts() + edges
    derived = checked = 0
    for compiled in _policies():
        srcs, _ = _sources(compiled)
        fast = be.prepare(srcs)
        plain = be.prepare(srcs, derive=False)
        derived += len(fast[2])
        for text in texts:
            got = be.run(fast, text)
            assert got == be.run(plain, text), text
            checked += sum(len(x) for x in got[:-1])
    pattern_rules = [r for r in _policies()[0]["rules"] if r["kind"] == "pattern"]
    assert len(pattern_rules) == 2
    for r in pattern_rules:  # the starter policy's pattern rules are the ones that need it
        assert derived_prefilter(r["patterns"][0]["py"]), r["id"]
    assert derived >= 10 and checked > 5000, (derived, checked)


def test_derived_prefilter_shapes():
    assert derived_prefilter(r"(?<!x)(?:ab|cd)e") == "(?=[ac])(?:abe|cde)"
    assert derived_prefilter(r"(?<!x)(?:ab|abc)") == "ab"
    assert derived_prefilter(r"(?<!x)a?b") == "(?=[a-b])(?:a|b)"
    assert derived_prefilter(r"\b(?:Q[1-4]|x)") == "(?=[Qx])(?:Q[1-4]|x)"
    assert derived_prefilter(r"(?<!x).b") is None  # any character: nothing to skip to
    assert derived_prefilter(r"ab") is None  # re already skips to the literal itself
    assert derived_prefilter(r"(?<!x)[^a]b") is None
    # the guidelines' \b before a letter is re's own \b there (not before a combining mark)
    from guidelines.regex_subset import translate

    pre = derived_prefilter(translate(r"\bab|\bcd|x", True)["py"])
    assert pre == "(?=[ACXacx])(?:\\b(?:[Aa][Bb]|[Cc][Dd])|[Xx])"
    pre = derived_prefilter(translate("\\b(?:ab|\u0301x)", True)["py"])
    assert pre == "(?=[Aa\\U00000301])(?:\\b(?:[Aa][Bb])|\\U00000301[Xx])"


def test_prefilters_cover_their_patterns():
    for name, pat in PATTERNS.items():
        if name.startswith("pre:"):
            continue
        pre = PATTERNS.get("pre:" + name)
        if pre is None:
            continue
        rx, prx = re.compile(pat["py"]), re.compile(pre["py"])
        hits = 0
        for text in _texts(200):
            for m in rx.finditer(text):
                assert prx.match(text, m.start()), (name, text, m.start())
                hits += 1
        assert hits, name


def test_x_length_remembers_only_the_text_it_scanned():
    """The X length scan is kept for the last text (a check asks twice): a different text, or
    emoji parsing switched off, is scanned again; the limit only moves exceed_at."""
    from guidelines.weighted import parse_x, x_weighted_length

    long_post = "Shipped 🚀 today. " * 20
    assert x_weighted_length(long_post) == 20 * (len("Shipped  today. ") + 2)
    # 17 code points weigh 18: five times, "Shipped 🚀" fits 100, the space after it does not
    assert parse_x(long_post, True, 100)["exceed_at"] == 5 * 17 + 9
    assert parse_x(long_post)["exceed_at"] == 15 * 17 + 9
    assert x_weighted_length("👍🏽") == 2
    assert x_weighted_length("👍🏽", emoji_parsing=False) == 4
    assert x_weighted_length("short") == 5
    assert x_weighted_length(long_post) == 360


def test_x_length_without_segments_equals_walking_them():
    """parse_x sums weights and stops at the limit without listing segments (Brython is slow at
    that): its weightedLength and exceed_at are the walk over `segments` for every limit."""
    import unicodedata

    from guidelines.weighted import parse_x, segments

    for text in _texts(200) + ["中文" * 200, "😀👍🏽 http://example.com/x 中" * 30]:
        norm = unicodedata.normalize("NFC", text)
        segs = segments(norm)
        for limit in (1, 7, 50, 140, 280):
            total, exceed = 0, None
            for s, e, w, atomic in segs:
                add = w if atomic else w * (e - s)
                if exceed is None and total + add > limit:
                    exceed = s if atomic else s + (limit - total) // w
                total += add
            got = parse_x(norm, True, limit)
            assert (got["weightedLength"], got["exceed_at"]) == (total, exceed), (text, limit)
