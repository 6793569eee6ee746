"""Options page decisions: account, language, notifications, participation (no DOM, testable in
CPython).

The sandboxed options iframe cannot reach chrome.* either: every worker request goes out as
`options:call {request_id, message}` and comes back as `options:reply {request_id, response}`
through options_host.js.
"""

from herald_i18n import SUPPORTED_LANGUAGES, Strings, pick_language
from herald_propose import ProposeForm

ERROR_KEYS = (
    ("sso_cancelled", "error_sso_cancelled"),
    ("sso_not_invited", "error_sso_not_invited"),
    ("sso_domain_not_allowed", "error_sso_domain"),
    ("account_disabled", "error_account_disabled"),
    ("sso_", "error_sso_failed"),
    ("invalid_server_url", "error_server_url_invalid"),
    ("invalid_credentials", "error_invalid_credentials"),
    ("too_many_attempts", "error_too_many_attempts"),
    ("network", "error_network"),
    ("fetch", "error_network"),
    ("offline", "error_network"),
)

FOLLOWER_MAX = 1_000_000_000  # shared_schemas/me-update.schema.json


def error_key(error):
    """Sign-in error (a code, a message or an error object) -> the string key to show."""
    if isinstance(error, dict):
        error = error.get("code") or error.get("message") or ""
    text = str(error or "").lower()
    for needle, key in ERROR_KEYS:
        if needle in text:
            return key
    return "error_generic"


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
HOST_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


def normalise_server_url(text):
    """What the employee typed in the server field -> (URL, None) or (None, error key).

    "herald.example.com" and "127.0.0.1:5100" are what people type: https is assumed, http only
    for this computer (localhost), since passwords and tokens travel to this address."""
    text = str(text or "").strip()
    if not text:
        return None, "error_missing_fields"
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    scheme = scheme.lower()
    authority, slash, path = rest.partition("/")
    if authority.startswith("[") and "]" in authority:  # an IPv6 literal: [::1]:5000
        host, _, after = authority.partition("]")
        host, colon, port = host + "]", after[:1], after[1:]
    elif authority.count(":") == 1:
        host, colon, port = authority.rpartition(":")
    else:
        host, colon, port = authority, "", ""
    host = host.lower()
    if not scheme:
        scheme = "http" if host in LOCAL_HOSTS else "https"
    plain_host = host in LOCAL_HOSTS or (
        host and set(host) <= HOST_CHARS and not host.startswith((".", "-")) and ".." not in host
    )
    if scheme not in ("http", "https") or not plain_host or (colon and not port.isdigit()):
        return None, "error_server_url_invalid"
    if scheme == "http" and host not in LOCAL_HOSTS:
        return None, "error_server_url_insecure"
    path = ("/" + path).rstrip("/") if slash else ""
    return scheme + "://" + host + (":" + port if colon else "") + path, None


def parse_followers(text):
    """Follower count field -> (ok, value). Empty means not told (None); else a whole number."""
    text = str(text or "").strip()
    if not text:
        return True, None
    if not (text.isdigit() and text.isascii()) or int(text) > FOLLOWER_MAX:
        return False, None
    return True, int(text)


X_LIMIT_MAX = 100000


def parse_x_limit(text):
    """X post limit field -> (ok, value). Empty means what X's page shows (None); else a whole
    number from 1 to X_LIMIT_MAX (X Premium allows 25,000)."""
    text = str(text or "").strip()
    if not text:
        return True, None
    if not (text.isdigit() and text.isascii()) or not 1 <= int(text) <= X_LIMIT_MAX:
        return False, None
    return True, int(text)


class OptionsController:
    def __init__(self, catalogs, send, view, new_id):
        self.catalogs = catalogs
        self.send = send
        self.view = view
        self.new_id = new_id
        self.strings = Strings(catalogs, "en")
        self.state = None
        self.busy = False
        self.error = None
        self.saved = False
        self.profile_saved = False
        self.profile_error = None
        self.profile_section = "participation"
        self.followers_draft = None  # what was typed into the follower field but not saved
        self.x_limit_draft = None  # what was typed into the X limit field, when it is not valid
        self.sso = None  # {server_url, provider_name} when that server offers single sign-on
        # The employee's own records on the server (GET /me/data), shown under "What Herald records".
        self.my_data = None
        self.my_data_error = None
        self.my_data_downloaded = False
        # "Suggest content" and "My proposals" (GET /proposals/mine through the worker).
        self.proposals = None
        self.proposals_error = None
        self.propose = ProposeForm(self._propose_call, new_id)
        self.propose.on_sent = lambda proposal: self.load_proposals()
        # The recognition leaderboard (only fetched for someone who opted in).
        self.leaderboard = None
        self.leaderboard_error = None
        self.leaderboard_period = "week"
        self.leaderboard_team = None
        self._pending = {}

    def handle(self, message):
        if message["type"] == "options:init":
            self._use_language(pick_language(message.get("locale")))
            self.refresh()
        elif message["type"] == "options:reply":
            callback = self._pending.pop(message["request_id"], None)
            if callback:
                callback(message.get("response"), message.get("error"))

    def call(self, message, callback):
        request_id = self.new_id()
        self._pending[request_id] = callback
        self.send({"type": "options:call", "request_id": request_id, "message": message})

    def refresh(self):
        def got(response, error):
            self.state = response or {}
            language = (self.state.get("settings") or {}).get("language")
            if language in SUPPORTED_LANGUAGES and language != self.strings.language:
                self._use_language(language)
            if self.signed_in():
                self.load_proposals()
                self.load_my_data()
            else:
                self.my_data, self.my_data_error = None, None
                self.proposals, self.proposals_error = None, None
            self._follow_opt_in()
            self.view.render(self)
            if not self.signed_in() and self.state.get("server_url"):
                self.check_sso(self.state["server_url"])

        self.call({"type": "get-state"}, got)

    def check_sso(self, server_url):
        """Ask the server at `server_url` whether it offers single sign-on (the button follows)."""
        server_url = str(server_url or "").strip()
        if not server_url:
            if self.sso is not None:
                self.sso = None
                self.view.render(self)
            return

        def got(response, error):
            response = response or {}
            before = self.sso
            if response.get("ok") and response.get("enabled"):
                self.sso = {
                    "server_url": server_url,
                    "provider_name": response.get("provider_name") or "",
                }
            else:
                self.sso = None
            # Redraw only for a new button: the answer may land while the person is typing.
            if self.sso != before:
                self.view.render(self)

        self.call({"type": "sso-info", "server_url": server_url}, got)

    def sign_in_sso(self, server_url):
        """Sign in at the company's identity provider (the worker opens its page)."""
        server_url = str(server_url or "").strip() or (self.sso or {}).get("server_url", "")
        if not server_url:
            self.error = "error_missing_fields"
            self.view.render(self)
            return
        self.busy, self.error = True, None
        self.view.render(self)
        self.call({"type": "sign-in-sso", "server_url": server_url}, self._signed_in)

    def _signed_in(self, response, error):
        self.busy = False
        if response and response.get("ok"):
            self.error = None
            self.refresh()
        else:
            self.error = error_key((response or {}).get("error") or error)
            self.view.render(self)

    def load_my_data(self, download=False):
        """Ask the server (through the worker) for my records; with `download` the options host
        also saves them as a JSON file."""

        def done(response, error):
            if response and response.get("ok"):
                self.my_data, self.my_data_error = response.get("data"), None
                self.my_data_downloaded = download
            else:
                self.my_data_error = "my_data_error"
                if (response or {}).get("error") == "signed_out":
                    self.refresh()
            self.view.render(self)

        self.my_data_downloaded = False
        message = {"type": "get-my-data"}
        if download:
            message["download"] = True
        self.call(message, done)

    def _propose_call(self, message, callback):
        self.call(message, lambda response, error: callback(response or {"error": error}))

    def load_proposals(self):
        """The employee's proposals with status and decline reason, newest first."""

        def done(response, error):
            if response and response.get("ok"):
                self.proposals = (response.get("data") or {}).get("items") or []
                self.proposals_error = None
            else:
                self.proposals_error = "proposals_error"
            self.view.render(self)

        self.call({"type": "get-my-proposals"}, done)

    def _follow_opt_in(self):
        """Fetch the leaderboard for someone who opted in; forget it for anyone else."""
        if self.signed_in() and self.leaderboard_opt_in():
            self.load_leaderboard()
        else:
            self.leaderboard, self.leaderboard_error = None, None

    def load_leaderboard(self, period=None, team="same"):
        """Ask for the leaderboard of `period` (week, month, all) and `team` (None: everyone)."""
        if period is not None:
            self.leaderboard_period = period
        if team != "same":
            self.leaderboard_team = team

        def done(response, error):
            if response and response.get("ok"):
                self.leaderboard, self.leaderboard_error = response.get("data"), None
            else:
                self.leaderboard_error = "leaderboard_error"
                if (response or {}).get("error") == "signed_out":
                    self.refresh()
            self.view.render(self)

        message = {"type": "get-leaderboard", "period": self.leaderboard_period}
        if self.leaderboard_team is not None:
            message["team"] = self.leaderboard_team
        self.call(message, done)

    def download_my_data(self):
        self.load_my_data(download=True)

    def sign_in(self, server_url, email, password):
        if not (server_url.strip() and email.strip() and password):
            self.error = "error_missing_fields"
            self.view.render(self)
            return
        server_url, problem = normalise_server_url(server_url)
        if problem:
            self.error = problem
            self.view.render(self)
            return

        self.busy, self.error = True, None
        self.view.render(self)
        self.call(
            {
                "type": "sign-in",
                "server_url": server_url,
                "email": email.strip(),
                "password": password,
            },
            self._signed_in,
        )

    def sign_out(self):
        self.call({"type": "sign-out"}, lambda response, error: self.refresh())

    def set_language(self, language):
        self._use_language(language)
        self._save({"language": language})

    def set_x_limit(self, text):
        """The employee's own limit on X (the panel's counter and length hint follow it)."""
        ok, value = parse_x_limit(text)
        if not ok:
            self.x_limit_draft = str(text or "")
            self.saved = False
            self.view.render(self)
            return
        self.x_limit_draft = None
        self._save({"x_limit": value})

    def x_limit_text(self):
        if self.x_limit_draft is not None:
            return self.x_limit_draft
        value = self.settings().get("x_limit")
        return "" if value is None else str(value)

    def x_limit_invalid(self):
        return self.x_limit_draft is not None

    def set_notifications(self, enabled):
        self._save({"notifications": bool(enabled)})

    def _save(self, settings):
        def done(response, error):
            self.saved = bool(response and response.get("ok"))
            if self.state is not None:
                self.state.setdefault("settings", {}).update(settings)
            self.view.render(self)

        self.call(dict({"type": "set-settings"}, **settings), done)

    # Participation: the server keeps these on the user (PATCH /me through the worker).

    def set_leaderboard(self, enabled):
        self._update_profile({"leaderboard_opt_in": bool(enabled)})

    def set_digest(self, enabled):
        self._update_profile({"digest_opt_in": bool(enabled)})

    def set_followers(self, text):
        ok, value = parse_followers(text)
        if not ok:
            self.followers_draft = str(text or "")
            self.profile_saved, self.profile_error = False, "followers_invalid"
            self.view.render(self)
            return
        self._update_profile({"follower_count": value})

    def set_reads(self, code, checked):
        """Tick or untick a language the employee reads; the server keeps the list (PATCH /me).
        At least one stays: the last ticked box cannot be cleared."""
        chosen = list(self.reads())
        if checked and code not in chosen:
            chosen.append(code)
        elif not checked and code in chosen and len(chosen) > 1:
            chosen.remove(code)
        else:
            self.view.render(self)  # the box goes back to what is saved
            return
        self._update_profile({"languages": chosen})

    def _update_profile(self, fields):
        def done(response, error):
            if response and response.get("ok"):
                self.profile_saved, self.profile_error = True, None
                self.followers_draft = None
                if self.state is not None:
                    self.state["user"] = response.get("user") or self.user()
                if "leaderboard_opt_in" in fields:
                    self._follow_opt_in()
            else:
                self.profile_error = error_key((response or {}).get("error") or error)
                if (response or {}).get("error") == "signed_out":
                    self.refresh()
            self.view.render(self)

        self.profile_saved, self.profile_error = False, None
        # Where the "Saved" / error line shows: beside the switch that changed.
        self.profile_section = "recognition" if "leaderboard_opt_in" in fields else "participation"
        if "follower_count" in fields:
            self.followers_draft = (
                "" if fields["follower_count"] is None else str(fields["follower_count"])
            )
        self.call(dict({"type": "update-profile"}, **fields), done)

    def _use_language(self, language):
        self.strings = Strings(self.catalogs, language)
        self.view.render(self)

    # What the view shows ------------------------------------------------------------------

    def signed_in(self):
        return bool((self.state or {}).get("signed_in"))

    def settings(self):
        return (self.state or {}).get("settings") or {}

    def notifications_enabled(self):
        return bool(self.settings().get("notifications", True))

    def user(self):
        return (self.state or {}).get("user") or {}

    def leaderboard_opt_in(self):
        return bool(self.user().get("leaderboard_opt_in", False))

    def digest_opt_in(self):
        return bool(self.user().get("digest_opt_in", True))

    def reads(self):
        """The languages the employee reads, as stored on the server (their interface language
        until they choose)."""
        user = self.user()
        return list(user.get("languages") or [user.get("language") or self.strings.language])

    def language_choices(self):
        """(code, name, ticked) for Herald's five languages, then any other stored one by its code
        (the browser's language at sign-in can be any)."""
        reads = self.reads()
        codes = list(SUPPORTED_LANGUAGES) + [c for c in reads if c not in SUPPORTED_LANGUAGES]
        return [
            (
                code,
                self.strings.get("language_name_" + code) if code in SUPPORTED_LANGUAGES else code,
                code in reads,
            )
            for code in codes
        ]

    def followers_text(self):
        if self.followers_draft is not None:
            return self.followers_draft
        count = self.user().get("follower_count")
        return "" if count is None else str(count)

    def sso_provider(self):
        """The provider's name when the server offers single sign-on, else None."""
        return (self.sso or {}).get("provider_name") if self.sso else None

    def server_locked(self):
        """The company set the server by browser policy and locked it (chrome.storage.managed)."""
        state = self.state or {}
        return bool((state.get("managed") or {}).get("locked") and state.get("server_url"))

    def queue_lines(self):
        """Share events still waiting, and those the server refused (dropped, never resent)."""
        state = self.state or {}
        lines = []
        for key, count in (
            ("queue_waiting", state.get("queue_length") or 0),
            ("queue_dropped", state.get("queue_dropped") or 0),
        ):
            if count:
                lines.append((key, self.strings.get(key, count=self.strings.number(count))))
        return lines

    def account_line(self):
        user = (self.state or {}).get("user") or {}
        if self.signed_in():
            return self.strings.get(
                "signed_in_as", name=user.get("name") or "", email=user.get("email") or ""
            )
        return self.strings.get("signed_out_status")
