"""The starter policy stops employees from forecasting the company's results or share price,
in every language the demo ships, without flagging everyday sentences that share their words."""

from __future__ import annotations

import pytest

import guidelines

RULE = "forward-looking-claims"

FLAG = [
    ("Our revenue will double", "revenue will double"),
    ("Shares will rise after the keynote", "Shares will rise"),
    ("We will beat estimates this quarter", "We will beat estimates"),
    ("Profits are going to grow a lot", "Profits are going to grow"),
    ("We're going to crush analyst estimates", "We're going to crush analyst estimates"),
    ("Поверьте, выручка удвоится", "выручка удвоится"),
    ("Акции вырастут после запуска", "Акции вырастут"),
    ("Мы превзойдём прогнозы", "Мы превзойдём прогнозы"),
    ("Τα έσοδα θα διπλασιαστούν", "έσοδα θα διπλασιαστούν"),
    ("Οι μετοχές θα ανέβουν σύντομα", "μετοχές θα ανέβουν"),
    ("I ricavi raddoppieranno", "ricavi raddoppieranno"),
    ("Le azioni saliranno, vedrete", "azioni saliranno"),
    ("Batteremo le stime degli analisti", "Batteremo le stime"),
    ("รายได้จะเพิ่มขึ้นสองเท่า", "รายได้จะเพิ่มขึ้นสองเท่า"),
    ("บอกเลยว่าหุ้นจะขึ้น", "หุ้นจะขึ้น"),
]

PASS = [
    "We will share the slides after the talk",
    "Revenue grew 20% last year, as our annual report shows",
    "Our team will grow by two engineers this spring",
    "Your shares will help more people find the job ad",
    "Sales will close the office early on Friday",
    "Мы поделимся слайдами после доклада",
    "Наша команда вырастет весной",
    "Θα μοιραστούμε τις διαφάνειες μετά την ομιλία",
    "Condivideremo le slide dopo il talk",
    "Il nostro team crescerà in primavera",
    "เราจะแชร์สไลด์หลังการบรรยาย",
    "กำไรจะขึ้นอยู่กับยอดขายในไตรมาสหน้า",
    "หุ้นส่วนของเราจะขึ้นเวทีพรุ่งนี้",
]


@pytest.fixture(scope="module")
def compiled():
    return guidelines.compile_policy(guidelines.load_starter_policy())


def matches(compiled, text):
    return [f["match"] for f in guidelines.check(text, compiled, "linkedin") if f["rule"] == RULE]


@pytest.mark.parametrize("text,match", FLAG)
def test_forecasts_are_flagged_as_errors(compiled, text, match):
    assert matches(compiled, text) == [match]
    finding = next(f for f in guidelines.check(text, compiled, "x") if f["rule"] == RULE)
    assert finding["severity"] == "error" and "explain" in finding and finding["explain"]


@pytest.mark.parametrize("text", PASS)
def test_ordinary_sentences_pass(compiled, text):
    assert matches(compiled, text) == []


def test_the_rule_carries_flag_and_pass_examples_in_five_languages():
    rule = next(r for r in guidelines.load_starter_policy()["rules"] if r["id"] == RULE)
    joined = " ".join(rule["examples"]["flag"]) + " ".join(rule["examples"]["pass"])
    for sample in ("revenue", "выручка", "έσοδα", "ricavi", "รายได้"):
        assert sample in joined.lower()
    assert len(rule["examples"]["pass"]) >= 5
