"""Writes tests/vectors/*.json. Expected offsets are written here by hand (code points) and
reviewed; the texts are built in code only where they are long."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def f(rule, start, end, match, **extra):
    d = {"rule": rule, "start": start, "end": end, "match": match}
    d.update(extra)
    return d


def ex(flag=(), pas=()):
    return {"flag": list(flag), "pass": list(pas)}


TERMS_POLICY = {
    "version": 1,
    "name": "terms vectors",
    "rules": [
        {
            "id": "secret",
            "kind": "terms",
            "severity": "error",
            "message": "secret",
            "terms": [
                "confidential",
                "internal only",
                "internal",
                "конфиденциально",
                "εμπιστευτικός",
                "sarà annunciato",
                "ความลับ",
                "機密",
            ],
            "exceptions": ["confidential computing"],
            "examples": ex(["confidential"], ["confidentiality"]),
        },
        {
            "id": "tone",
            "kind": "terms",
            "severity": "warning",
            "message": "tone",
            "terms": ["idiot", "stupid"],
            "replacements": {"idiot": ["person"]},
            "examples": ex(["idiot"], ["idiom"]),
        },
        {
            "id": "phrase-a",
            "kind": "terms",
            "severity": "info",
            "message": "a",
            "terms": ["insider trading"],
            "examples": ex(["insider trading"], ["insider"]),
        },
        {
            "id": "phrase-b",
            "kind": "terms",
            "severity": "info",
            "message": "b",
            "terms": ["insider", "trading"],
            "examples": ex(["trading"], ["trade"]),
        },
    ],
}

TERMS_CASES = [
    (
        "Confidential: internal   only!",
        [f("secret", 0, 12, "Confidential"), f("secret", 14, 29, "internal   only")],
    ),
    ("😀😀 中文 confidential", [f("secret", 6, 18, "confidential")]),
    ("Это КОНФИДЕНЦИАЛЬНО.", [f("secret", 4, 19, "КОНФИДЕНЦИАЛЬНО")]),
    ("ΕΜΠΙΣΤΕΥΤΙΚΌΣ φάκελος", [f("secret", 0, 13, "ΕΜΠΙΣΤΕΥΤΙΚΌΣ")]),
    ("Ένα εμπιστευτικόσ έγγραφο", [f("secret", 4, 17, "εμπιστευτικόσ")]),
    ("Η εμπιστευτικότητα μετράει", []),
    ("Il prodotto SARÀ ANNUNCIATO domani", [f("secret", 12, 27, "SARÀ ANNUNCIATO")]),
    ("นี่คือความลับของบริษัท", [f("secret", 6, 13, "ความลับ")]),
    ("ความลับความลับ", [f("secret", 0, 7, "ความลับ"), f("secret", 7, 14, "ความลับ")]),
    ("これは機密情報です", [f("secret", 3, 5, "機密")]),
    (
        "Confidential computing is cool, but this is confidential",
        [f("secret", 44, 56, "confidential")],
    ),
    ("Confidentiality matters; nonconfidential too", []),
    (
        "IDIOT, stupid idiot",
        [
            f("tone", 0, 5, "IDIOT", replacements=["person"]),
            f("tone", 7, 13, "stupid", replacements=[]),
            f("tone", 14, 19, "idiot", replacements=["person"]),
        ],
    ),
    (
        "insider trading",
        [
            f("phrase-b", 0, 7, "insider"),
            f("phrase-a", 0, 15, "insider trading"),
            f("phrase-b", 8, 15, "trading"),
        ],
    ),
    ("👨‍👩‍👧 internal", [f("secret", 6, 14, "internal")]),
]

PATTERN_POLICY = {
    "version": 1,
    "name": "pattern and detector vectors",
    "rules": [
        {
            "id": "ticket",
            "kind": "pattern",
            "severity": "warning",
            "message": "ticket id",
            "pattern": r"\bPRJ-\d{3,5}\b",
            "ignore_case": False,
            "examples": ex(["PRJ-123"], ["prj-123"]),
        },
        {
            "id": "sofos",
            "kind": "pattern",
            "severity": "info",
            "message": "greek word",
            "pattern": "ΣΟΦΟΣ",
            "examples": ex(["σοφος"], ["σοφία"]),
        },
        {
            "id": "pii",
            "kind": "detector",
            "severity": "error",
            "message": "personal data",
            "detectors": ["email", "phone", "card", "iban"],
            "examples": ex(["a@b.co"], ["2026-11-22"]),
        },
        {
            "id": "ticker",
            "kind": "detector",
            "severity": "warning",
            "message": "cashtag",
            "detectors": ["cashtag"],
            "examples": ex(["$ACME"], ["$5"]),
        },
    ],
}

PATTERN_CASES = [
    ("see PRJ-1234 and prj-99 and PRJ-123456", [f("ticket", 4, 12, "PRJ-1234")]),
    (
        "σοφος σοφοσ ΣΟΦΟΣ",
        [f("sofos", 0, 5, "σοφος"), f("sofos", 6, 11, "σοφοσ"), f("sofos", 12, 17, "ΣΟΦΟΣ")],
    ),
    ("Mail jane.doe@example.com today", [f("pii", 5, 25, "jane.doe@example.com")]),
    ("Call +1 415 555 0100 now", [f("pii", 5, 20, "+1 415 555 0100")]),
    ("(415) 555-0100", [f("pii", 0, 14, "(415) 555-0100")]),
    ("+44 20 7946 0958", [f("pii", 0, 16, "+44 20 7946 0958")]),
    ("+7 (495) 123-45-67", [f("pii", 0, 18, "+7 (495) 123-45-67")]),
    (
        "Dates 2026-11-22 and 22.11.2026, prices $1,299.00 and 1 299,00 €, "
        "Order #12345678, INV-2026-00042",
        [],
    ),
    ("Card 4111 1111 1111 1111.", [f("pii", 5, 24, "4111 1111 1111 1111")]),
    ("Card 4111 1111 1111 1112.", []),
    ("IBAN DE89 3704 0044 0532 0130 00 ok", [f("pii", 5, 32, "DE89 3704 0044 0532 0130 00")]),
    ("GB82 WEST 1234 5698 7654 32 IBAN", [f("pii", 0, 27, "GB82 WEST 1234 5698 7654 32")]),
    ("Buy $ACME not $5 or $toolongname", [f("ticker", 4, 9, "$ACME")]),
    ("👍🏽 a@b.co", [f("pii", 3, 9, "a@b.co")]),
    ("中文😀 +1 415 555 0100", [f("pii", 4, 19, "+1 415 555 0100")]),
]

URL = "http://example.com/"
STARTER_CASES = [
    (
        "Acme rocks",
        "linkedin",
        [f("employment-disclosure", 0, 4, "Acme", fix={"append": " #AcmeEmployee"})],
    ),
    ("Acme rocks #AcmeEmployee", "linkedin", []),
    ("x" * 281, "x", [f("length-and-hashtags", 280, 281, "x")]),
    ("x" * 281, "linkedin", []),
    ("y" * 3001, "linkedin", [f("length-and-hashtags", 3000, 3001, "y")]),
    ("中" * 141, "x", [f("length-and-hashtags", 140, 141, "中")]),
    (URL + " " + "x" * 257, "x", [f("length-and-hashtags", 276, 277, "x")]),
    (
        "#a #b #c #d #e #f #g",
        "x",
        [f("length-and-hashtags", 15, 17, "#f"), f("length-and-hashtags", 18, 20, "#g")],
    ),
    (
        "Это конфиденциально, идиот",
        "linkedin",
        [
            f("no-confidential", 4, 19, "конфиденциально"),
            f("respectful-language", 21, 26, "идиот", replacements=["человек"]),
        ],
    ),
    ("ลงทุนไม่มีความเสี่ยง", "x", [f("no-promissory-claims", 5, 20, "ไม่มีความเสี่ยง")]),
    (
        "Get 20% returns every month, ROI of 12,5%!",
        "linkedin",
        [
            f("promised-percentage-returns", 4, 15, "20% returns"),
            f("promised-percentage-returns", 29, 41, "ROI of 12,5%"),
        ],
    ),
    (
        "Our revenue will double next year, we will share the slides",
        "linkedin",
        [f("forward-looking-claims", 4, 23, "revenue will double")],
    ),
    (
        "Наша выручка удвоится, акции вырастут",
        "x",
        [
            f("forward-looking-claims", 5, 21, "выручка удвоится"),
            f("forward-looking-claims", 23, 37, "акции вырастут"),
        ],
    ),
    (
        "Τα έσοδα θα διπλασιαστούν και οι μετοχές θα ανέβουν",
        "linkedin",
        [
            f("forward-looking-claims", 3, 25, "έσοδα θα διπλασιαστούν"),
            f("forward-looking-claims", 33, 51, "μετοχές θα ανέβουν"),
        ],
    ),
    (
        "I ricavi raddoppieranno e le azioni saliranno",
        "x",
        [
            f("forward-looking-claims", 2, 23, "ricavi raddoppieranno"),
            f("forward-looking-claims", 29, 45, "azioni saliranno"),
        ],
    ),
    (
        "รายได้จะเพิ่มขึ้นสองเท่า หุ้นจะขึ้น แต่กำไรจะขึ้นอยู่กับยอดขาย",
        "linkedin",
        [
            f("forward-looking-claims", 0, 24, "รายได้จะเพิ่มขึ้นสองเท่า"),
            f("forward-looking-claims", 25, 35, "หุ้นจะขึ้น"),
        ],
    ),
    (
        "Доходность до 30% в месяц",
        "x",
        [f("promised-percentage-returns", 0, 17, "Доходность до 30%")],
    ),
    (
        "Απόδοση 15% τον χρόνο · Rendimento del 12% annuo",
        "linkedin",
        [
            f("promised-percentage-returns", 0, 11, "Απόδοση 15%"),
            f("promised-percentage-returns", 24, 42, "Rendimento del 12%"),
        ],
    ),
    ("Revenue grew 20% last year, 100% recycled. Скидка 20% на всё", "linkedin", []),
]

# A campaign's hashtag counts for a `require` rule that lists it (the panel adds the tag on
# insert, herald_suggestions.with_campaign_hashtag): whole tag, any case, wherever it stands.
CAMPAIGN_POLICY = {
    "version": 1,
    "name": "campaign hashtag vectors",
    "rules": [
        {
            "id": "campaign-tag",
            "kind": "require",
            "severity": "warning",
            "message": "Add the campaign's hashtag",
            "when": ["Acme"],
            "require_any": ["#AcmeEmployee", "#AcmeLaunch", "#ΆκμεΕκκίνηση"],
            "fix_append": " #AcmeLaunch",
            "examples": ex(["Acme Cloud"], ["Acme Cloud #AcmeLaunch"]),
        },
    ],
}

CAMPAIGN_CASES = [
    ("Acme Cloud is live\n\n#AcmeLaunch", "linkedin", []),
    ("Acme Cloud is live 🚀 #AcmeLaunch", "x", []),
    ("Acme Cloud #acmelaunch", "x", []),
    ("(#ACMELAUNCH) Acme Cloud!", "linkedin", []),
    ("Acme Cloud #άκμεεκκίνηση", "linkedin", []),
    (
        "Acme Cloud #AcmeLaunchDay",
        "x",
        [f("campaign-tag", 0, 4, "Acme", fix={"append": " #AcmeLaunch"})],
    ),
    (
        "😀 Acme Cloud #AcmeLaunch_2",
        "linkedin",
        [f("campaign-tag", 2, 6, "Acme", fix={"append": " #AcmeLaunch"})],
    ),
    (
        "Acme Cloud AcmeLaunch",
        "x",
        [f("campaign-tag", 0, 4, "Acme", fix={"append": " #AcmeLaunch"})],
    ),
]


def write(name, policy, cases):
    out = {"name": name, "policy": policy, "cases": []}
    for case in cases:
        if len(case) == 2:
            text, expected = case
            network = "linkedin"
        else:
            text, network, expected = case
        out["cases"].append({"text": text, "network": network, "expected": expected})
    (HERE / f"{name}.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write("terms", TERMS_POLICY, TERMS_CASES)
    write("patterns_detectors", PATTERN_POLICY, PATTERN_CASES)
    write("starter", "starter", STARTER_CASES)
    write("campaign_hashtag", CAMPAIGN_POLICY, CAMPAIGN_CASES)
