"""The panel's decisions, driven through messages like the bridge sends them."""

import jsonschema
from herald_controller import CHECK_GAP_MS, PanelController
from herald_messages import MessageChecker
from panel_support import load_catalogs, load_schemas

SUGGESTIONS = {
    "items": [
        {
            "id": 7,
            "title": "Launch day",
            "network": "x",
            "campaign": {"id": 2, "name": "Launch", "hashtag": "#Go"},
            "hashtags": [],
            "link": None,
            "featured": True,
            "colleagues_shared": 4,
            "starts_at": None,
            "expires_at": None,
            "approved_at": "2026-11-20T00:00:00Z",
            "variants": [
                {"index": 0, "text": "We launched today #Go"},
                {"index": 1, "text": "Launch day is here #Go"},
            ],
        },
    ],
    "page": 1,
    "per_page": 20,
    "total": 1,
    "latest_approved_at": "2026-11-20T00:00:00Z",
}


def fake_check(text, policy, network, language=None):
    """Flags the word "guaranteed", like a terms rule would."""
    at = text.find("guaranteed")
    if at < 0:
        return []
    return [
        {
            "rule": "no-guarantees",
            "severity": "error",
            "start": at,
            "end": at + 10,
            "message": "Avoid promises",
            "explain": "Regulators read posts too.",
            "replacements": ["expected"],
        }
    ]


class FakeView:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, args))


class FakeTimers:
    def __init__(self):
        self.pending = {}
        self.clock = 1000.0

    def now(self):
        return self.clock

    def set_timeout(self, callback, delay):
        assert delay <= 150
        handle = len(self.pending) + 1
        self.pending[handle] = callback
        return handle

    def clear_timeout(self, handle):
        self.pending.pop(handle, None)

    def run(self):
        pending, self.pending = self.pending, {}
        for callback in pending.values():
            callback()

    def run_all(self):
        while self.pending:
            self.run()


def make_panel(check=fake_check):
    """A started panel with SUGGESTIONS and a policy; `check=None`: guidelines not loaded yet."""
    sent, view, timers = [], FakeView(), FakeTimers()
    panel = PanelController(
        load_catalogs(),
        sent.append,
        view,
        timers,
        new_uuid=lambda: "2f1c7d8e-3b5a-4c6d-9e8f-0a1b2c3d4e5f",
        now_iso=lambda: "2026-11-22T10:00:00.000Z",
        check=check,
        x_weighted_length=len,
    )
    panel.handle({"type": "init", "network": "x", "locale": "en-US"})
    panel.handle(
        {
            "type": "data",
            "signed_in": True,
            "program": {"name": "Acme Voices", "logo_url": None},
            "suggestions": SUGGESTIONS,
            "policy": {"rules": []},
            "offline": False,
        }
    )
    sent.clear()
    return panel, sent, view, timers


def test_insert_sends_the_chosen_variant_and_nudges():
    panel, sent, view, _ = make_panel()
    panel.choose_variant(7, 1)
    panel.insert(7)
    assert sent == [
        {"type": "insert", "text": "Launch day is here #Go", "snippet_id": 7, "variant": 1}
    ]
    assert ("show_nudge", (True,)) in view.calls


def test_first_change_is_checked_at_once_then_changes_coalesce():
    panel, sent, _, timers = make_panel()
    timers.clock += 1000  # a quiet moment since the last check
    panel.handle({"type": "text", "text": "It is guaranteed", "origin": None})
    # The underlines at once, alone in their task (the bridge gets a frame's messages when the
    # task that sent them ends); the cards, the counter and the list in the next task.
    assert [m["type"] for m in sent] == ["highlights"]
    timers.run()
    assert [m["type"] for m in sent] == ["highlights", "hint-cards", "status"]
    assert timers.pending == {}
    sent.clear()
    # More text within the gap: one check, later, of the latest text.
    timers.clock += 10
    panel.handle({"type": "text", "text": "It is guaranteed.", "origin": None})
    timers.clock += 10
    panel.handle({"type": "text", "text": "It is guaranteed!", "origin": None})
    assert sent == [] and len(timers.pending) == 1
    timers.clock += CHECK_GAP_MS
    timers.run()
    assert [m["type"] for m in sent] == ["highlights"]
    timers.run()
    assert sent == [
        {
            "type": "highlights",
            "ranges": [{"start": 6, "end": 16, "severity": "error", "rule": "no-guarantees"}],
        },
        {
            "type": "hint-cards",
            "cards": [
                {
                    "start": 6,
                    "end": 16,
                    "severity": "error",
                    "severity_label": "Error",
                    "rule": "no-guarantees",
                    "message": "Avoid promises",
                    "explanation": "Regulators read posts too.",
                    "fixes": [
                        {
                            "label": "Replace with “expected”",
                            "fix": {"start": 6, "end": 16, "replacement": "expected"},
                        }
                    ],
                }
            ],
            "labels": {"card": "Herald hint", "why": "Why?", "close": "Close hint"},
        },
        {"type": "status", "findings": 1, "length": {"value": 17, "limit": 280}},
    ]
    checker = MessageChecker(load_schemas())
    assert [checker.problems(message) for message in sent] == [[], [], []]
    panel.apply_fix(0, 0)
    assert sent[-1] == {"type": "apply-fix", "start": 6, "end": 16, "replacement": "expected"}
    assert CHECK_GAP_MS <= 50


def test_compose_share_answers_with_a_valid_event_from_the_inserted_suggestion():
    panel, sent, _, _ = make_panel()
    panel.insert(7)
    posted = "We launched today #Go and it is guaranteed"
    panel.handle({"type": "text", "text": posted, "origin": None})
    panel.handle({"type": "compose-share", "request_id": "req-1", "text": posted})
    reply = sent[-1]
    assert reply["type"] == "share-event" and reply["request_id"] == "req-1"
    assert reply["event"]["snippet_id"] == 7 and reply["event"]["variant"] == 0
    assert reply["event"]["edited"] is True and reply["event"]["edit_distance"] == len(
        " and it is guaranteed"
    )
    assert reply["event"]["findings"] == [{"rule": "no-guarantees", "severity": "error"}]
    schemas = load_schemas()
    jsonschema.validate(reply["event"], schemas["share-event-record"])
    assert not MessageChecker(schemas).problems(reply)
    # the next post, written from scratch, is not attributed to the suggestion
    panel.handle({"type": "compose-share", "request_id": "req-2", "text": "My own words"})
    assert sent[-1]["event"]["snippet_id"] is None and sent[-1]["event"]["edit_distance"] == 12


def test_bridge_origin_wins_over_the_panels_memory():
    panel, sent, _, _ = make_panel()
    origin = {"snippet_id": 7, "variant": 1, "text": "Launch day is here #Go"}
    panel.handle({"type": "text", "text": origin["text"], "origin": origin})
    panel.handle({"type": "compose-share", "request_id": "r", "text": origin["text"]})
    assert sent[-1]["event"]["variant"] == 1 and sent[-1]["event"]["edited"] is False


def test_states_signed_out_offline_and_loading():
    panel, _, _, _ = make_panel()
    assert panel.notice() is None
    panel.handle(
        {
            "type": "data",
            "signed_in": True,
            "program": None,
            "suggestions": SUGGESTIONS,
            "policy": None,
            "offline": True,
        }
    )
    assert panel.notice() == "offline" and [item["id"] for item in panel.suggestions()] == [7]
    panel.handle(
        {
            "type": "data",
            "signed_in": False,
            "program": None,
            "suggestions": None,
            "policy": None,
            "offline": False,
        }
    )
    assert panel.notice() == "signed_out" and panel.suggestions() == []


def test_the_language_chosen_in_options_wins_over_the_browsers():
    panel, sent, view, timers = make_panel()
    assert panel.strings.language == "en"
    panel.handle(
        {"type": "data", "signed_in": True, "suggestions": SUGGESTIONS, "offline": False}
        | {"language": "ru", "languages": ["en", "ru"]}
    )
    assert panel.strings.language == "ru"
    assert ("set_strings", (panel.strings,)) in view.calls
    assert panel.strings.get("tab_suggestions") != load_catalogs()["en"]["tab_suggestions"]


def test_suggestions_in_other_languages_are_folded_until_asked_for():
    panel, sent, view, timers = make_panel()
    items = [
        dict(SUGGESTIONS["items"][0], id=1, language="th"),
        dict(SUGGESTIONS["items"][0], id=2, language="en"),
    ]
    data = {"type": "data", "signed_in": True, "offline": False, "languages": ["en"]}
    panel.handle(data | {"suggestions": dict(SUGGESTIONS, items=items)})
    name, (mine, _campaigns, _has_any, others, others_open) = [
        call for call in view.calls if call[0] == "show_suggestions"
    ][-1]
    assert [i["id"] for i in mine] == [2] and [i["id"] for i in others] == [1]
    assert others_open is False
    panel.toggle_others()
    assert view.calls[-1][1][4] is True


def test_offline_with_nothing_saved_does_not_claim_saved_suggestions():
    panel, _, _, _ = make_panel()
    panel.handle(
        {"type": "data", "signed_in": True, "suggestions": None, "policy": None, "offline": True}
    )
    assert panel.notice() == "offline_nothing_saved"
    assert "saved" not in panel.strings.get(panel.notice())


def error_check(text, policy, network, language=None):
    """Two error-level findings whenever "guaranteed" appears twice."""
    found, at = [], text.find("guaranteed")
    while at >= 0:
        found.append(
            {
                "rule": "no-guarantees",
                "severity": "error",
                "start": at,
                "end": at + 10,
                "message": "Avoid promises",
                "explain": "",
                "replacements": [],
            }
        )
        at = text.find("guaranteed", at + 1)
    return found


def notes_for(policy):
    panel, sent, _, timers = make_panel()
    panel.check = error_check
    panel.handle(dict(panel.data, policy=policy))
    notes = []
    for text in ("guaranteed and guaranteed", "guaranteed only", "all fixed"):
        panel.handle({"type": "text", "text": text, "origin": None})
        timers.run_all()
        notes += [m for m in sent if m["type"] == "post-note"]
        sent.clear()
    return notes


def test_post_anyway_note_follows_the_policy_option():
    on = {"rules": [], "on_post": {"errors_left": "note"}}
    assert [n["text"] for n in notes_for(on)] == [
        "2 issues left — post anyway?",
        "1 issue left — post anyway?",
        None,
    ]
    checker = MessageChecker(load_schemas())
    assert all(not checker.problems(n) for n in notes_for(on))
    # The default (no option, or "nothing"): the panel never arms a note.
    assert notes_for({"rules": []}) == []
    assert notes_for({"rules": [], "on_post": {"errors_left": "nothing"}}) == []


def test_insert_adds_the_campaign_hashtag_the_variant_lacks():
    panel, sent, view, _ = make_panel()
    items = SUGGESTIONS["items"][0]
    untagged = {**items, "variants": [{"index": 0, "text": "We launched today"}]}
    panel.data = {**panel.data, "suggestions": {**SUGGESTIONS, "items": [untagged]}}
    panel.insert(7)
    assert sent[-1]["text"] == "We launched today #Go"
    assert panel.origin()["text"] == "We launched today #Go"  # edits count from what was inserted
    assert ("show_hashtag_note", (None,)) in view.calls


def test_insert_says_so_when_the_hashtag_would_pass_the_limit():
    panel, sent, view, _ = make_panel()
    long_text = "x" * 278  # 278 + " #Go" = 282 > 280 on X
    untagged = {**SUGGESTIONS["items"][0], "variants": [{"index": 0, "text": long_text}]}
    panel.data = {**panel.data, "suggestions": {**SUGGESTIONS, "items": [untagged]}}
    panel.insert(7)
    assert sent[-1]["text"] == long_text  # not silently over the limit
    notes = [args[0] for name, args in view.calls if name == "show_hashtag_note"]
    assert notes[-1] == (
        "#Go was not added: the post would be longer than 280 characters. "
        "Shorten it and add #Go yourself."
    )
    panel.dismiss_nudge()
    assert view.calls[-1] == ("show_hashtag_note", (None,))


def test_the_hashtag_note_goes_once_the_employee_adds_the_tag():
    panel, sent, view, _ = make_panel()
    untagged = {**SUGGESTIONS["items"][0], "variants": [{"index": 0, "text": "x" * 278}]}
    panel.data = {**panel.data, "suggestions": {**SUGGESTIONS, "items": [untagged]}}
    panel.insert(7)
    view.calls.clear()
    panel.handle({"type": "text", "text": "x" * 200, "origin": None})
    assert ("show_hashtag_note", (None,)) not in view.calls  # shortened, tag not added yet
    panel.handle({"type": "text", "text": "x" * 200 + " #go", "origin": None})
    assert ("show_hashtag_note", (None,)) in view.calls


def _shown(view):
    name, (mine, _campaigns, _has_any, others, _open) = [
        call for call in view.calls if call[0] == "show_suggestions"
    ][-1]
    return [i["id"] for i in mine], [i["id"] for i in others]


def test_the_servers_language_flags_decide_what_folds_and_must_see_leads():
    """The server flags each suggestion against the languages stored on the account: a Thai
    snippet flagged as the employee's stays on top even though the browser says English."""
    panel, sent, view, timers = make_panel()
    base = dict(SUGGESTIONS["items"][0], featured=False)
    items = [
        dict(base, id=1, language="th", in_my_languages=True, approved_at="2026-11-21T00:00:00Z"),
        dict(base, id=2, language="en", in_my_languages=False, approved_at="2026-11-22T00:00:00Z"),
        dict(base, id=3, language="th", in_my_languages=True, featured=True),
        dict(base, id=4, language="en", in_my_languages=False, featured=True),
    ]
    data = {"type": "data", "signed_in": True, "offline": False, "languages": ["en"]}
    panel.handle(data | {"suggestions": dict(SUGGESTIONS, items=items)})
    assert _shown(view) == ([3, 1], [4, 2])
    # The employee chose English in the options: the worker fetched suggestions flagged again.
    flipped = [dict(i, in_my_languages=not i["in_my_languages"]) for i in items]
    panel.handle(data | {"suggestions": dict(SUGGESTIONS, items=flipped)})
    assert _shown(view) == ([4, 2], [3, 1])


def test_cached_data_before_init_draws_the_cards_once():
    """The bridge sends its cached data, then init: the panel draws and checks once, at init,
    with the suggestions already there (no "loading" first), in the page's network."""
    sent, view, timers = [], FakeView(), FakeTimers()
    panel = PanelController(
        load_catalogs(),
        sent.append,
        view,
        timers,
        new_uuid=lambda: "2f1c7d8e-3b5a-4c6d-9e8f-0a1b2c3d4e5f",
        now_iso=lambda: "2026-11-22T10:00:00.000Z",
        check=fake_check,
        x_weighted_length=len,
    )
    panel.handle(
        {
            "type": "data",
            "signed_in": True,
            "program": {"name": "Acme Voices", "logo_url": None},
            "suggestions": SUGGESTIONS,
            "policy": {"rules": []},
            "offline": False,
        }
    )
    assert sent == [] and view.calls == []
    panel.handle({"type": "init", "network": "x", "locale": "en-US"})
    drawn = [args for name, args in view.calls if name == "show_suggestions"]
    assert len(drawn) == 1 and [item["id"] for item in drawn[0][0]] == [7]
    assert ("show_notice", (None,)) in view.calls  # never "loading"
    assert sent == []  # the check comes in the next task, after the cards' paint
    timers.run()
    assert [m["type"] for m in sent] == ["highlights"]
    timers.run()
    assert [m["type"] for m in sent] == ["highlights", "hint-cards", "status"]
    assert sent[-1]["length"] == {"value": 0, "limit": 280}


def test_compatibility_mode_follows_how_the_bridge_found_the_composer():
    """A composer the generic fallback found (via "fallback") shows the compatibility-mode note;
    an adapter match (or an older bridge that sends no `via`) hides it again."""
    panel, _, view, _ = make_panel()
    shown = lambda: [args[0] for name, args in view.calls if name == "show_compat"]  # noqa: E731
    panel.handle({"type": "text", "text": "", "origin": None, "via": "fallback"})
    assert shown()[-1] is True
    panel.handle({"type": "text", "text": "Hello", "origin": None, "via": "fallback"})
    count = len(shown())
    panel.handle({"type": "text", "text": "Hello!", "origin": None, "via": "fallback"})
    assert len(shown()) == count, "unchanged mode: nothing redrawn on each keystroke"
    panel.handle({"type": "text", "text": "Hello", "origin": None})
    assert shown()[-1] is False
    panel.render_all()
    assert shown()[-1] is False


def test_policy_message_after_the_cards_checks_the_draft_and_hints_wait_for_it():
    """The bridge sends `data` without the policy and the policy apart (`policy`, JSON text) after
    init, so the cards do not wait for it: the draft is checked with it when it comes, and until
    then the hints never claim the company has no policy."""
    import json

    sent, view, timers = [], FakeView(), FakeTimers()
    panel = PanelController(
        load_catalogs(),
        sent.append,
        view,
        timers,
        new_uuid=lambda: "2f1c7d8e-3b5a-4c6d-9e8f-0a1b2c3d4e5f",
        now_iso=lambda: "2026-11-22T10:00:00.000Z",
        check=fake_check,
        x_weighted_length=len,
        parse_json=json.loads,
    )
    data = {"type": "data", "signed_in": True, "suggestions": SUGGESTIONS, "offline": False}
    panel.handle(data)
    panel.handle({"type": "init", "network": "x", "locale": "en-US"})
    panel.handle({"type": "text", "text": "It is guaranteed", "origin": None})
    timers.run_all()
    shown = [args for name, args in view.calls if name == "show_hints"]
    assert shown and all(state == "checking" for _, _, state in shown)  # not "no policy"
    assert panel.analysis["findings"] == []
    sent.clear()
    panel.handle({"type": "policy", "policy_json": json.dumps({"rules": []})})
    assert sent[0] == {
        "type": "highlights",
        "ranges": [{"start": 6, "end": 16, "severity": "error", "rule": "no-guarantees"}],
    }
    timers.run_all()
    # signed out: the policy is gone, and now the hints may say there is none
    view.calls.clear()
    panel.handle({"type": "policy", "policy_json": None})
    timers.run_all()
    assert [args[2] for name, args in view.calls if name == "show_hints"][-1] == "no_policy"
    assert panel.analysis["findings"] == []
    # a later state push without a policy keeps the one the panel has
    panel.handle({"type": "policy", "policy_json": json.dumps({"rules": []})})
    panel.handle(dict(data, offline=True))
    assert panel.policy == {"rules": []}


def test_the_same_cards_are_not_drawn_again():
    """A redraw replaces the Insert buttons: a click under way when it lands is lost (mousedown
    on the old button, mouseup on the new one). The worker's sync bringing the same suggestions,
    guidelines finishing loading or a new standing must leave the cards alone; a change to what
    they show draws them again."""
    panel, _, view, _ = make_panel()

    def drawn():
        return len([name for name, _ in view.calls if name == "show_suggestions"])

    before = drawn()  # "loading" at init, then the cards with the data
    panel.set_checker(fake_check, len)  # guidelines loaded
    same = dict(panel.data, standing={"rank": 2, "points": 30, "week": "2026-W47"})
    panel.handle(same)  # the sync: same suggestions, something else changed
    assert drawn() == before
    changed = {"items": [dict(SUGGESTIONS["items"][0], title="Launch week")]}
    panel.handle(dict(same, suggestions=dict(SUGGESTIONS, **changed)))
    assert drawn() == before + 1
    panel.choose_variant(7, 1)
    assert drawn() == before + 2


def test_no_verdict_on_a_draft_before_the_guidelines_are_loaded():
    """A cold panel imports the guidelines after it draws its cards: what is typed meanwhile is
    counted, and the hints say "checking", not "looks good"."""
    panel, _, view, timers = make_panel(check=None)
    panel.handle({"type": "text", "text": "It is guaranteed", "origin": None})
    timers.run_all()
    states = [args[2] for name, args in view.calls if name == "show_hints"]
    assert states and set(states) == {"checking"}
    panel.set_checker(fake_check, len)
    timers.run_all()
    assert [args[2] for name, args in view.calls if name == "show_hints"][-1] == "checked"
