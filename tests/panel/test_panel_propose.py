""" "Suggest content": what the form checks before anything is sent, what it sends (only the typed
link and note), and what the employee reads afterwards; "My proposals" rows."""

import pytest
from herald_i18n import Strings
from herald_messages import MessageChecker
from herald_options import OptionsController
from herald_propose import ProposeForm, check_url, proposal_rows
from panel_support import load_catalogs, load_schemas

STRINGS = Strings(load_catalogs(), "en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://acme.example/post", ("https://acme.example/post", None)),
        ("  acme.example/blog/launch ", ("https://acme.example/blog/launch", None)),
        ("HTTP://Acme.example/a", ("HTTP://Acme.example/a", None)),
        ("", (None, "propose_error_missing")),
        ("javascript:alert(1)", (None, "propose_error_url")),
        ("data:text/html,hi", (None, "propose_error_url")),
        ("ftp://acme.example/file", (None, "propose_error_url")),
        ("https://acme example/a", (None, "propose_error_url")),
        ("just words", (None, "propose_error_url")),
        ("https://acme.example/" + "a" * 2000, (None, "propose_error_too_long")),
    ],
)
def test_check_url(text, expected):
    assert check_url(text) == expected


def make_form():
    sent = []
    form = ProposeForm(lambda message, callback: sent.append((message, callback)), lambda: "r1")
    return form, sent


def test_the_message_holds_only_the_link_and_the_note_and_matches_its_schema():
    form, sent = make_form()
    message = form.submit("acme.example/great", "  Worth it  ")
    assert message == {
        "type": "propose",
        "request_id": "r1",
        "url": "https://acme.example/great",
        "note": "Worth it",
    }
    assert MessageChecker(load_schemas()).problems(message) == []
    assert form.state == "sending" and form.submit("https://acme.example/x", "") is None  # once
    sent[0][1]({"ok": True, "proposal": {"duplicate": None}})
    assert form.state == "sent"


def test_a_bad_link_is_not_sent_and_what_was_typed_stays():
    form, sent = make_form()
    assert form.submit("javascript:alert(1)", "my note") is None
    assert sent == [] and form.url == "javascript:alert(1)" and form.note == "my note"
    assert "not a web address" in form.error_text(STRINGS)
    assert form.submit("https://acme.example/a", "n" * 501) is None
    assert form.error_text(STRINGS) == "Keep the note to 500 characters."


@pytest.mark.parametrize(
    ("response", "text"),
    [
        ({"ok": False, "error": "too_many_proposals", "retry_after": 1500}, "Try again in 25 min."),
        ({"ok": False, "error": "already_proposed"}, "waiting for review"),
        ({"ok": False, "error": "signed_out"}, "Sign in"),
        ({"ok": False, "error": "network"}, "Could not reach the server"),
        ({"ok": False, "error": "http_500"}, "was not sent"),
    ],
)
def test_server_answers_become_sentences(response, text):
    form, sent = make_form()
    form.submit("https://acme.example/a", "")
    sent[0][1](response)
    assert form.state == "error" and text in form.error_text(STRINGS)
    assert form.url == "https://acme.example/a"  # nothing typed is lost


def test_a_link_already_in_the_library_is_pointed_out():
    form, sent = make_form()
    form.submit("https://acme.example/a", "")
    sent[0][1](
        {
            "ok": True,
            "proposal": {"duplicate": {"snippet_id": 3, "status": "approved", "title": "Launch"}},
        }
    )
    assert form.duplicate_text(STRINGS) == "Good find: it is already a suggested post, “Launch”."
    form.again()
    form.submit("https://acme.example/b", "")
    sent[1][1](
        {"ok": True, "proposal": {"duplicate": {"snippet_id": 4, "status": "draft", "title": None}}}
    )
    assert "already has this link" in form.duplicate_text(STRINGS)


def test_options_page_loads_my_proposals_and_reloads_them_after_a_suggestion():
    class View:
        def render(self, options):
            pass

    sent, ids = [], iter(str(n) for n in range(100))
    options = OptionsController(load_catalogs(), sent.append, View(), lambda: next(ids))
    options.load_proposals()
    assert sent[-1]["message"] == {"type": "get-my-proposals"}
    items = [
        {
            "url": "https://a.example/x",
            "title": None,
            "status": "declined",
            "decline_reason": "Off topic",
            "created_at": "2026-12-01T10:00:00Z",
        },
        {
            "url": "https://b.example/y",
            "title": "B",
            "status": "accepted",
            "created_at": "2026-12-02T10:00:00Z",
        },
    ]
    options.handle(
        {
            "type": "options:reply",
            "request_id": sent[-1]["request_id"],
            "response": {"ok": True, "data": {"items": items}},
        }
    )
    assert options.proposals == items
    rows = proposal_rows(options.proposals, STRINGS)
    assert rows[0] == (
        "https://a.example/x",
        "https://a.example/x",
        "Declined",
        "declined",
        "Why: Off topic",
        "2026-12-01",
    )
    assert rows[1][0] == "B" and rows[1][2] == "Accepted"
    options.propose.submit("https://c.example/z", "")
    call = sent[-1]
    assert call["message"]["type"] == "propose" and "text" not in call["message"]
    options.handle(
        {
            "type": "options:reply",
            "request_id": call["request_id"],
            "response": {"ok": True, "proposal": {}},
        }
    )
    assert sent[-1]["message"] == {"type": "get-my-proposals"}  # the list follows
