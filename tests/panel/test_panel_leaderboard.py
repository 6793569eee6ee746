"""Recognition in the extension: the options page's leaderboard (asked only by people who opted in)
and the panel's "this week" line, as the employee reads them."""

from herald_i18n import Strings
from herald_leaderboard import me_line, points_rule, rows, standing_line
from herald_options import OptionsController
from panel_support import load_catalogs
from test_panel_controller import make_panel

BOARD = {
    "opted_in": True,
    "period": "week",
    "from": "2026-11-30",
    "team": None,
    "teams": [{"id": 3, "name": "Engineering"}],
    "points_per": {"share": 10, "click": 1, "accepted_proposal": 25},
    "entries": [
        {
            "rank": 1,
            "name": "Sal Sales",
            "points": 1200,
            "shares": 3,
            "clicks": 1170,
            "accepted_proposals": 0,
            "you": False,
        },
        {
            "rank": 2,
            "name": "Eve Employee",
            "points": 23,
            "shares": 2,
            "clicks": 3,
            "accepted_proposals": 0,
            "you": True,
        },
    ],
    "me": {"rank": 2, "points": 23, "shares": 2, "clicks": 3, "accepted_proposals": 0},
}


class RecordingView:
    def render(self, options):
        pass


def make_options(user):
    sent, ids = [], iter(str(n) for n in range(100))
    options = OptionsController(load_catalogs(), sent.append, RecordingView(), lambda: next(ids))
    options.handle({"type": "options:init", "locale": "en"})
    options.handle(
        {
            "type": "options:reply",
            "request_id": sent[-1]["request_id"],
            "response": {"signed_in": True, "user": user},
        }
    )
    return options, sent


def reply(options, message, response):
    options.handle(
        {"type": "options:reply", "request_id": message["request_id"], "response": response}
    )


def asked(sent, kind):
    return [m for m in sent if m["message"]["type"] == kind]


def test_the_leaderboard_reads_as_places_names_and_points():
    strings = Strings(load_catalogs(), "en")
    assert rows(BOARD, strings) == [
        ("1", "Sal Sales", "1,200", False),
        ("2", "Eve Employee (you)", "23", True),
    ]
    assert me_line(BOARD, strings) == "You: place 2 · points: 23."
    assert me_line(dict(BOARD, me={"rank": None, "points": 0}), strings) == (
        "You have no points in this period yet."
    )
    assert points_rule(BOARD, strings) == (
        "Points: 10 per share, 1 per click on your links, 25 per accepted proposal."
    )
    italian = Strings(load_catalogs(), "it")
    assert rows(BOARD, italian)[0][2] == "1.200"


def test_someone_who_did_not_opt_in_never_asks_for_a_leaderboard():
    options, sent = make_options({"name": "Nora", "leaderboard_opt_in": False})
    assert asked(sent, "get-leaderboard") == []
    assert options.leaderboard is None


def test_opting_in_asks_for_this_week_then_periods_and_team_follow_the_choice():
    options, sent = make_options({"name": "Eve", "leaderboard_opt_in": False})
    options.set_leaderboard(True)
    reply(options, sent[-1], {"ok": True, "user": {"name": "Eve", "leaderboard_opt_in": True}})
    [first] = asked(sent, "get-leaderboard")
    assert first["message"] == {"type": "get-leaderboard", "period": "week"}
    reply(options, first, {"ok": True, "data": BOARD})
    assert options.leaderboard == BOARD

    options.load_leaderboard("month")
    assert sent[-1]["message"] == {"type": "get-leaderboard", "period": "month"}
    options.load_leaderboard(team=3)
    assert sent[-1]["message"] == {"type": "get-leaderboard", "period": "month", "team": 3}
    reply(options, sent[-1], {"ok": False, "error": "network"})
    assert options.leaderboard_error == "leaderboard_error"

    # Opting out forgets the leaderboard at once.
    options.set_leaderboard(False)
    reply(options, sent[-1], {"ok": True, "user": {"name": "Eve", "leaderboard_opt_in": False}})
    assert options.leaderboard is None and options.leaderboard_error is None


def test_the_panel_shows_this_weeks_place_only_to_people_who_opted_in():
    strings = Strings(load_catalogs(), "en")
    opted = {"opted_in": True, "periods": {"week": {"rank": 3, "points": 1500}}}
    assert standing_line(opted, strings) == "This week: place 3 · points: 1,500"
    assert standing_line({"opted_in": True, "periods": {"week": {"rank": None}}}, strings) == (
        "This week: no points yet"
    )
    assert standing_line({"opted_in": False, "periods": None}, strings) is None
    assert standing_line(None, strings) is None

    panel, _, view, _ = make_panel()
    view.calls.clear()
    data = dict(panel.data, standing=opted)
    panel.handle(data)
    assert ("show_standing", ("This week: place 3 · points: 1,500",)) in view.calls
    panel.handle(dict(data, standing={"opted_in": False, "periods": None}))
    assert view.calls[-1] != ("show_standing", ("This week: place 3 · points: 1,500",))
    assert ("show_standing", (None,)) in view.calls
