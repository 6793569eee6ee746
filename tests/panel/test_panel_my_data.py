"""The options page's "Your records on the server": asked from the worker, shown in plain words."""

from herald_i18n import Strings
from herald_my_data import export_rows, link_rows, share_rows, standing_lines
from herald_options import OptionsController
from panel_support import load_catalogs

DATA = {
    "generated_at": "2026-12-03T10:00:00Z",
    "profile": {"email": "ana@acme.example"},
    "shares": [
        {
            "event_id": "e1",
            "network": "linkedin",
            "snippet_title": "Launch",
            "edited": True,
            "shared_at": "2026-12-02T09:30:00Z",
            "counted": True,
            "suspect_reason": None,
        },
        {
            "event_id": "e2",
            "network": "x",
            "snippet_title": None,
            "edited": False,
            "shared_at": "2026-12-01T08:00:00Z",
            "counted": False,
            "suspect_reason": "not_targeted",
        },
    ],
    "tracked_links": [
        {
            "url": "https://herald.acme.example/r/abc",
            "snippet_title": "Launch",
            "clicks": {"counted": 1200, "repeats": 3, "bots": 7},
        }
    ],
    "standing": {
        "period": {"from": "2026-11-06", "to": "2026-12-03"},
        "shares": 1,
        "clicks": 1200,
        "leaderboard_opt_in": True,
        "on_leaderboard": True,
        "rank": 2,
    },
    "admin_exports": [
        {"name": "shares.csv", "names_you": True, "columns": ["shared_at", "email"], "what": "x"},
        {"name": "dashboard leaderboard", "names_you": False, "columns": ["rank"], "what": "y"},
    ],
}


class RecordingView:
    def render(self, options):
        pass


def make_options():
    sent, ids = [], iter(str(n) for n in range(100))
    options = OptionsController(load_catalogs(), sent.append, RecordingView(), lambda: next(ids))
    return options, sent


def reply(options, sent, response, index=-1):
    options.handle(
        {"type": "options:reply", "request_id": sent[index]["request_id"], "response": response}
    )


def test_signed_in_page_asks_the_server_for_my_records_and_keeps_them():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": True, "user": {"name": "Ana"}})
    assert sent[-1]["message"] == {"type": "get-my-data"}
    reply(options, sent, {"ok": True, "data": DATA})
    assert options.my_data == DATA and options.my_data_error is None


def test_signed_out_page_asks_for_nothing():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": False})
    assert [m["message"]["type"] for m in sent] == ["get-state"]
    assert options.my_data is None


def test_download_asks_the_host_to_save_the_answer_and_says_so():
    options, sent = make_options()
    options.download_my_data()
    assert sent[-1]["message"] == {"type": "get-my-data", "download": True}
    reply(options, sent, {"ok": True, "data": DATA})
    assert options.my_data_downloaded is True
    options.download_my_data()
    reply(options, sent, {"ok": False, "error": "network"})
    assert options.my_data_downloaded is False
    assert options.strings.get(options.my_data_error).startswith("Your records could not be loaded")


def test_rows_say_plainly_what_counts():
    strings = Strings(load_catalogs(), "en")
    assert standing_lines(DATA, strings) == [
        "From 2026-11-06 to 2026-12-03, counted for you: shares 1, clicks 1,200.",
        "You appear on the leaderboard admins see, at place 2.",
    ]
    rows, more = share_rows(DATA, strings)
    assert more == 0
    assert rows == [
        ["2026-12-02 09:30 UTC", "LinkedIn", "Launch", "Yes", "Yes"],
        [
            "2026-12-01 08:00 UTC",
            "X",
            "Your own words",
            "No",
            "No: the suggestion is meant for other teams",
        ],
    ]
    assert link_rows(DATA, strings) == [
        [
            "Launch",
            "https://herald.acme.example/r/abc",
            "1,200 counted · 3 repeat visits · 7 bots and previews",
        ]
    ]
    assert export_rows(DATA, strings) == [
        (
            "shares.csv",
            "names you",
            "One row per share event you sent, with your email and name.",
            "shared_at, email",
        ),
        (
            "dashboard leaderboard",
            "does not name you now",
            "Your name and counts on the dashboard, only while you opt in to the leaderboard.",
            "rank",
        ),
    ]


def test_rows_are_translated():
    strings = Strings(load_catalogs(), "th")
    rows, _ = share_rows(DATA, strings)
    assert rows[1][4] == "ไม่นับ: โพสต์แนะนำนี้มีไว้สำหรับทีมอื่น"
    assert standing_lines({"standing": {"leaderboard_opt_in": False}}, strings)[1] == (
        "คุณไม่แสดงในกระดานอันดับ เพราะคุณไม่ได้เลือกเข้าร่วม"
    )


def test_only_the_newest_shares_are_listed_the_rest_are_counted():
    strings = Strings(load_catalogs(), "en")
    many = {"shares": [dict(DATA["shares"][0], event_id=str(i)) for i in range(26)]}
    rows, more = share_rows(many, strings)
    assert len(rows) == 20 and more == 6
