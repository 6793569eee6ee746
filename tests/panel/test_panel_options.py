"""Options page decisions and the generated "What Herald records" list."""

from herald_i18n import Strings
from herald_options import OptionsController, error_key
from herald_record import record_fields
from panel_support import load_catalogs, load_schemas


class RecordingView:
    def __init__(self):
        self.renders = 0

    def render(self, options):
        self.renders += 1


def make_options():
    sent, ids = [], iter(str(number) for number in range(100))
    options = OptionsController(load_catalogs(), sent.append, RecordingView(), lambda: next(ids))
    return options, sent


def reply(options, sent, response):
    options.handle(
        {"type": "options:reply", "request_id": sent[-1]["request_id"], "response": response}
    )


def test_start_asks_the_worker_for_state_and_follows_the_saved_language():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en-GB"})
    assert sent[-1]["message"] == {"type": "get-state"}
    reply(
        options,
        sent,
        {
            "signed_in": True,
            "user": {"name": "Ana", "email": "ana@acme.example"},
            "settings": {"language": "it", "notifications": False},
        },
    )
    assert options.account_line() == "Accesso effettuato come Ana (ana@acme.example)"
    assert options.notifications_enabled() is False


def test_sign_in_failure_shows_a_clear_reason():
    options, sent = make_options()
    options.sign_in("https://herald.acme.example", "ana@acme.example", "wrong")
    assert sent[-1]["message"]["type"] == "sign-in" and options.busy
    reply(options, sent, {"ok": False, "error": "invalid_credentials"})
    assert not options.busy
    assert options.strings.get(options.error) == "Wrong email or password."
    options.sign_in("", "", "")
    assert options.error == "error_missing_fields"


def test_one_click_notifications_and_language_are_saved():
    options, sent = make_options()
    options.set_notifications(False)
    assert sent[-1]["message"] == {"type": "set-settings", "notifications": False}
    options.set_language("th")
    assert sent[-1]["message"] == {"type": "set-settings", "language": "th"}
    assert options.strings.language == "th"


def test_error_codes_map_to_messages():
    assert error_key({"code": "too_many_attempts"}) == "error_too_many_attempts"
    assert error_key("TypeError: Failed to fetch") == "error_network"
    assert error_key(None) == "error_generic"


def test_records_list_every_share_event_field_in_every_language():
    schema = load_schemas()["share-event-record"]
    catalogs = load_catalogs()
    for language in catalogs:
        fields = record_fields(schema, Strings(catalogs, language))
        assert [name for name, _ in fields] == list(schema["properties"])
        assert all(text and not text.startswith("record_field_") for _, text in fields)
