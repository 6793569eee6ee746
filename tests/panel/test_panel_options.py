"""Options page decisions and the generated "What Herald records" list."""

from herald_i18n import Strings
from herald_options import OptionsController, error_key, parse_followers
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


def test_participation_defaults_and_one_action_saves_on_the_server():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": True, "user": {"name": "Ana", "follower_count": None}})
    # Not yet told by the server: leaderboard off, digest on, no follower count.
    assert options.leaderboard_opt_in() is False
    assert options.digest_opt_in() is True
    assert options.followers_text() == ""

    options.set_leaderboard(True)
    assert sent[-1]["message"] == {"type": "update-profile", "leaderboard_opt_in": True}
    assert not options.profile_saved
    user = {
        "name": "Ana",
        "leaderboard_opt_in": True,
        "digest_opt_in": True,
        "follower_count": None,
    }
    reply(options, sent, {"ok": True, "user": user})
    assert options.profile_saved and options.leaderboard_opt_in() is True

    options.set_digest(False)
    assert sent[-1]["message"] == {"type": "update-profile", "digest_opt_in": False}
    reply(options, sent, {"ok": False, "error": "network"})
    assert not options.profile_saved and options.profile_error == "error_network"
    assert options.digest_opt_in() is True  # the box shows what the server kept

    options.set_followers(" 1234 ")
    assert sent[-1]["message"] == {"type": "update-profile", "follower_count": 1234}
    reply(options, sent, {"ok": True, "user": dict(user, follower_count=1234)})
    assert options.followers_text() == "1234" and options.profile_saved

    options.set_followers("")
    assert sent[-1]["message"] == {"type": "update-profile", "follower_count": None}


def test_an_invalid_follower_count_is_not_sent_and_stays_in_the_field():
    options, sent = make_options()
    options.set_followers("12.5")
    assert sent == []
    assert options.strings.get(options.profile_error).startswith("Enter a whole number")
    assert options.followers_text() == "12.5"
    assert parse_followers("") == (True, None)
    assert parse_followers("0") == (True, 0)
    assert parse_followers("1000000000") == (True, 1_000_000_000)
    for bad in ("-1", "1000000001", "1e3", "abc", "١٢"):
        assert parse_followers(bad) == (False, None), bad


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


def test_single_sign_on_button_follows_the_server_and_signs_in_through_the_worker():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": False, "server_url": "https://herald.acme.example"})
    # A server URL is known: ask it whether it offers single sign-on.
    assert sent[-1]["message"] == {"type": "sso-info", "server_url": "https://herald.acme.example"}
    reply(options, sent, {"ok": True, "enabled": True, "provider_name": "Acme SSO"})
    assert options.sso_provider() == "Acme SSO"
    assert options.strings.get("sso_sign_in", provider="Acme SSO") == "Sign in with Acme SSO"

    options.sign_in_sso("https://herald.acme.example")
    assert sent[-1]["message"] == {
        "type": "sign-in-sso",
        "server_url": "https://herald.acme.example",
    }
    assert options.busy
    reply(options, sent, {"ok": False, "error": "sso_not_invited"})
    assert not options.busy
    assert options.strings.get(options.error).startswith("There is no Herald account for you")

    # Another server without single sign-on: the button goes away.
    options.check_sso("https://other.example")
    reply(options, sent, {"ok": True, "enabled": False, "provider_name": None})
    assert options.sso_provider() is None


def test_single_sign_on_errors_have_their_own_messages():
    assert error_key("sso_cancelled") == "error_sso_cancelled"
    assert error_key("sso_domain_not_allowed") == "error_sso_domain"
    assert error_key("account_disabled") == "error_account_disabled"
    assert error_key("sso_invalid_id_token") == "error_sso_failed"
    assert error_key("invalid_credentials") == "error_invalid_credentials"


def test_a_server_without_single_sign_on_does_not_redraw_the_form_being_typed_in():
    options, sent = make_options()
    options.check_sso("https://herald.acme.example")
    renders = options.view.renders
    reply(options, sent, {"ok": True, "enabled": False, "provider_name": None})
    assert options.view.renders == renders  # the answer can land mid-typing: nothing moves


def test_server_url_as_people_type_it():
    from herald_options import normalise_server_url

    assert normalise_server_url("127.0.0.1:5100") == ("http://127.0.0.1:5100", None)
    assert normalise_server_url(" herald.example.com ") == ("https://herald.example.com", None)
    assert normalise_server_url("HTTPS://Herald.Example.com/x/") == (
        "https://herald.example.com/x",
        None,
    )
    assert normalise_server_url("localhost:5000") == ("http://localhost:5000", None)
    assert normalise_server_url("[::1]:5000") == ("http://[::1]:5000", None)
    assert normalise_server_url("http://herald.example.com") == (None, "error_server_url_insecure")
    for junk in ("not a url", "ftp://x.example.com", "h.example.com:port", "https://"):
        assert normalise_server_url(junk) == (None, "error_server_url_invalid"), junk
    assert normalise_server_url("  ") == (None, "error_missing_fields")


def test_sign_in_sends_the_completed_url_or_says_what_is_wrong():
    options, sent = make_options()
    options.sign_in("127.0.0.1:5100", "ana@acme.example", "pw")
    assert sent[-1]["message"]["server_url"] == "http://127.0.0.1:5100"
    count = len(sent)
    options.sign_in("http://herald.acme.example", "ana@acme.example", "pw")
    assert len(sent) == count, "nothing is sent for an address Herald will not use"
    assert "https://" in options.strings.get(options.error)


def test_the_queue_lines_show_waiting_and_refused_share_events():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": True, "user": {}, "queue_length": 0, "queue_dropped": 0})
    assert options.queue_lines() == []
    options.handle({"type": "options:init", "locale": "ru"})
    reply(options, sent, {"signed_in": True, "user": {}, "queue_length": 3, "queue_dropped": 1200})
    assert options.queue_lines() == [
        ("queue_waiting", "Публикации в очереди на отправку: 3"),
        (
            "queue_dropped",
            "Публикации, отклонённые сервером как некорректные (не записаны, повторно не "
            "отправляются): 1\u00a0200",
        ),
    ]


def test_languages_read_are_ticked_from_the_server_and_each_change_is_saved_there():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en-US"})
    user = {"name": "Ana", "language": "en", "languages": ["th", "de"]}
    reply(options, sent, {"signed_in": True, "user": user, "settings": {}})
    choices = options.language_choices()
    assert [(code, ticked) for code, _name, ticked in choices] == [
        ("en", False),
        ("ru", False),
        ("el", False),
        ("it", False),
        ("th", True),
        ("de", True),  # a language Herald is not translated into stays, shown by its code
    ]
    assert dict((c, n) for c, n, _t in choices)["th"] == "ไทย"
    options.set_reads("en", True)
    assert sent[-1]["message"] == {"type": "update-profile", "languages": ["th", "de", "en"]}
    reply(options, sent, {"ok": True, "user": dict(user, languages=["th", "de", "en"])})
    assert options.reads() == ["th", "de", "en"] and options.profile_saved
    options.set_reads("th", False)
    assert sent[-1]["message"] == {"type": "update-profile", "languages": ["de", "en"]}


def test_the_last_language_cannot_be_cleared_and_no_choice_means_the_interface_language():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "it-IT"})
    reply(options, sent, {"signed_in": True, "user": {"name": "Ana", "language": "it"}})
    assert options.reads() == ["it"]
    count = len(sent)
    options.set_reads("it", False)
    assert len(sent) == count  # nothing sent: at least one language stays
    assert options.reads() == ["it"]


def test_the_x_limit_is_saved_as_a_whole_number_or_cleared_and_a_bad_one_stays_in_the_field():
    options, sent = make_options()
    options.handle({"type": "options:init", "locale": "en"})
    reply(options, sent, {"signed_in": True, "settings": {"notifications": True}})
    assert options.x_limit_text() == ""
    options.set_x_limit("25000")
    assert sent[-1]["message"] == {"type": "set-settings", "x_limit": 25000}
    reply(options, sent, {"ok": True})
    assert options.x_limit_text() == "25000" and not options.x_limit_invalid()
    count = len(sent)
    options.set_x_limit("25,5")
    assert len(sent) == count, "an invalid limit is not sent"
    assert options.x_limit_invalid() and options.x_limit_text() == "25,5"
    assert options.strings.get("x_limit_invalid").startswith("Enter a whole number from 1")
    options.set_x_limit("")
    assert sent[-1]["message"] == {"type": "set-settings", "x_limit": None}
    assert not options.x_limit_invalid()
