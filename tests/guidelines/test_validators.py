"""Validators (written for Brython's costs) agree with straightforward reference versions."""

from __future__ import annotations

import random
import re

from guidelines import validators
from guidelines._builtin import PATTERNS


def ref_luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def ref_phone(text: str, start: int, end: int) -> int | None:
    s = text[start:end]
    groups = re.findall("[0-9]+", s)
    digits = sum(map(len, groups))
    intl, paren = s.startswith("+"), "(" in s
    if not ((8 if intl else 9) <= digits <= 15):
        return None
    if not intl and not paren:
        seps = set(re.sub("[0-9]", "", s))
        if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            return None
        if seps == {"."} and len(groups) == 4 and all(len(g) <= 3 for g in groups):
            return None
        g = [len(x) for x in groups]
        if len(g) >= 3 and (
            (g[0] == 4 and g[1] <= 2 and g[2] <= 2) or (g[0] <= 2 and g[1] <= 2 and g[2] == 4)
        ):
            return None
    before = text[max(0, start - 4) : start].strip().lower()
    after = text[end : end + 4].strip().lower()
    if before[-1:] and before[-1] in "$€£¥₽₹₩" or after[:1] and after[0] in "$€£¥₽₹₩":
        return None
    if any(before.endswith(c) or after.startswith(c) for c in validators._CURRENCY_CODES):
        return None
    return end - start


def _numbers(rng: random.Random) -> str:
    parts = []
    parts.append(rng.choice(["", "", "", "+", "(", "$", "€ ", "usd ", "x"]))
    for _ in range(rng.randint(2, 6)):
        parts.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4))))
        parts.append(rng.choice([" ", " ", "-", ".", ") ", " руб", " EUR", "", "\n"]))
    return "".join(parts)


def test_luhn_card_iban_phone_match_references():
    rng = random.Random(3)
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(13, 19)))
        assert validators.luhn_ok(digits) == ref_luhn(digits)
    assert validators.card("4111 1111 1111 1111") == 19
    assert validators.card("4111 1111 1111 1112") is None
    assert validators.card("0000 0000 0000 0000") is None
    assert validators.iban("DE89 3704 0044 0532 0130 00") == 27
    assert validators.iban("DE89 3704 0044 0532 0130 00 Ab") == 27
    assert validators.iban("DE89 3704 0044 0532 0130 01") is None
    phone = re.compile(PATTERNS["phone"]["py"])
    seen = 0
    for _ in range(3000):
        text = _numbers(rng)
        for m in phone.finditer(text):
            s, e = m.span()
            got = validators.phone(m.group(), text[max(0, s - 4) : s], text[e : e + 4])
            assert got == ref_phone(text, s, e), text
            seen += got is not None
    assert seen > 50


def test_url_lengths_are_relative_to_the_match():
    assert validators.url("https://example.com/a") == 21
    assert validators.url("example.com") == 11
    assert validators.url("example.com", "x/") is None  # after "/" (part of a path)
    assert validators.url("example.notatld") is None
    assert validators.url("www.example.com.notatld/x") == len("www.example.com")
