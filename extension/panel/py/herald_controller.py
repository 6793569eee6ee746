"""The panel's state and decisions, independent of the DOM and of Brython.

Everything the panel decides (what to show, what to send to the bridge, what a share event
contains) happens here so it can be tested under CPython; `herald_panel` only draws and wires.
Collaborators are passed in: `send(message)`, a `view`, `timers` (set/clear timeout),
`new_uuid()`, `now_iso()`, `parse_json(text)` (the `policy` message carries the policy as JSON
text), and the guidelines `check` / `x_weighted_length` functions — these
may arrive later through `set_checker` (importing guidelines costs hundreds of milliseconds in
Brython, so the panel shows suggestions first), and `on_first_data` to start loading them.
"""

import herald_leaderboard
import herald_messages
import herald_suggestions
from herald_i18n import Strings, pick_language

# The first change after a quiet moment is checked at once (the check takes ~2 ms on a 3,000
# character post); changes that keep coming are checked at most every CHECK_GAP_MS, the same
# rate the bridge sends text at, so fast typing costs no more checks than before.
CHECK_GAP_MS = 50
OWN_WORDS_MIN = 15  # code points added after an insert before we stop nudging
# What the hints hold before the first check (it runs in the task after the cards are drawn).
NOTHING_CHECKED = {"ranges": [], "findings": [], "length": 0, "limit": None}


_hints_module = None


def hints():
    """herald_hints, imported at its first use: the first check, in the task after the cards are
    drawn. Off the cold boot's path, the panel's first cards come sooner. Kept once imported: a
    keystroke's check asks for it several times, and an import statement costs Brython a lookup
    through its import machinery each time."""
    global _hints_module
    if _hints_module is None:
        import herald_hints

        _hints_module = herald_hints
    return _hints_module


class PanelController:
    def __init__(
        self,
        catalogs,
        send,
        view,
        timers,
        new_uuid,
        now_iso,
        check=None,
        x_weighted_length=None,
        on_first_data=None,
        parse_json=None,
    ):
        self.catalogs = catalogs
        self.send = send
        self.view = view
        self.timers = timers
        self.new_uuid = new_uuid
        self.now_iso = now_iso
        self.check = check
        self.x_weighted_length = x_weighted_length
        self.on_first_data = on_first_data
        self.parse_json = parse_json
        # The company's policy: from the `policy` message (the bridge sends it after the cards'
        # data) or from `data` itself. Until one of them says, it is not known: the hints then
        # wait for it rather than say the company has none.
        self.policy = None
        self.policy_known = False
        self.load_checker_now = None
        self.strings = Strings(catalogs, "en")
        self.network = "linkedin"
        self.started = False
        self.data = None
        self.text = ""
        self.bridge_origin = None
        self.via = "adapter"  # how the bridge found the composer: "fallback" = compatibility mode
        self.last_insert = None
        self.nudge_visible = False
        self.query = ""
        self.campaign_id = None
        self.selected_variants = {}
        self.others_open = False  # "Other languages (N)" unfolded
        self._suggestions_shown = None  # what the card list shows now (render_suggestions)
        self.locale = None  # the browser's UI locale, from init
        self.analysis = NOTHING_CHECKED
        self._pending_check = None
        self._pending_report = None  # the rest of a check's messages, in the next task
        self._last_check_at = None
        self._post_note = None  # what the bridge was last told to show beside Post
        self._missing_hashtag = None  # the campaign tag that did not fit, while the note says so

    # Messages from the bridge ------------------------------------------------------------

    def handle(self, message):
        handler = {
            "init": self._on_init,
            "data": self._on_data,
            "policy": self._on_policy,
            "text": self._on_text,
            "shown": self._on_shown,
            "compose-share": self._on_compose_share,
        }.get(message.get("type"))
        if handler:
            handler(message)

    def _on_init(self, message):
        self.network = message["network"]
        self.locale = message.get("locale")
        chosen = (self.data or {}).get("language")
        language = pick_language(chosen, message.get("strings_locale"), message.get("locale"))
        self.strings = Strings(self.catalogs, language)
        self.started = True
        self.view.set_strings(self.strings)
        self._follow_theme(message.get("theme"))
        self.render_all()
        # The counter and the underlines in the next task: on a cold boot the cards paint first.
        self._cancel_check()
        self._pending_check = self.timers.set_timeout(self._check_now, 0)

    def _on_data(self, message):
        first = self.data is None
        if message == self.data:
            return  # the bridge pushes its state again on ready: nothing to redraw
        self.data = message
        if "policy" in message:
            self.policy = message["policy"]
            self.policy_known = True
        self._follow_language(message.get("language"))
        self.render_all()
        if self.started:  # before init (the bridge sends its cached data first), init checks
            self._check_now()
        if first and self.on_first_data:
            self.on_first_data()

    def _on_policy(self, message):
        text = message.get("policy_json")
        self.policy = self.parse_json(text) if text else None
        self.policy_known = True
        if self.started:
            self._check_now()

    def _follow_language(self, chosen):
        """The language chosen in Herald's options wins over the browser's (it arrives with the
        worker's state, so a change in the options reaches open panels too)."""
        if not chosen or not self.started:
            return
        language = pick_language(chosen)
        if language != self.strings.language:
            self.strings = Strings(self.catalogs, language)
            self.view.set_strings(self.strings)

    def languages(self):
        """The employee's languages, theirs first: profile and options, else the browser's."""
        data = self.data or {}
        found = [language for language in data.get("languages") or [] if language]
        if data.get("language"):
            found.append(data["language"])
        if not found and self.locale:
            found.append(self.locale)
        return found

    def toggle_others(self):
        self.others_open = not self.others_open
        self.render_suggestions()

    def set_checker(self, check, x_weighted_length):
        """Guidelines are loaded: check the current text for real."""
        self.check = check
        self.x_weighted_length = x_weighted_length
        self._check_now()

    def _on_text(self, message):
        self.text = message["text"]
        self.bridge_origin = message.get("origin")
        via = message.get("via") or "adapter"
        if via != self.via:
            self.via = via
            if self.started:
                self.view.show_compat(via == "fallback")
        if self.nudge_visible and self._own_words_added():
            self.nudge_visible = False
            self.view.show_nudge(False)
        if self._missing_hashtag and herald_suggestions.has_hashtag(
            self.text, self._missing_hashtag
        ):
            self._show_hashtag_note(None)  # the employee made room and added it
        self._schedule_check()

    def _follow_theme(self, theme):
        """Light, dark or dim like the site around the panel (the bridge reads it on every open)."""
        if theme:
            self.view.set_theme(theme)

    def _on_shown(self, message):
        self._follow_theme(message.get("theme"))
        # only an explicit open may take focus; an automatic one must leave it in the composer
        if message["visible"] and message.get("focus"):
            self.view.focus_search()

    def _on_compose_share(self, message):
        text = message["text"]
        self._cancel_check()
        if self.check is None and self.load_checker_now:
            self.load_checker_now()  # the event must list findings: load guidelines now
        findings = self._analyze(text)["findings"]
        import herald_share  # only needed when the employee posts: not on the boot path

        event = herald_share.build_share_event(
            event_id=self.new_uuid(),
            network=self.network,
            text=text,
            origin=self.origin(),
            findings=findings,
            shared_at=self.now_iso(),
        )
        self.send(herald_messages.share_event(message["request_id"], event))
        self.last_insert = None
        self.bridge_origin = None
        if self.nudge_visible:
            self.nudge_visible = False
            self.view.show_nudge(False)
            self._show_hashtag_note(None)

    def origin(self):
        """The suggestion the current text started from: the bridge knows best (it saw the
        composer), our own last insert is the fallback."""
        origin = self.bridge_origin or self.last_insert
        if not origin:
            return None
        return {
            "snippet_id": origin["snippet_id"],
            "variant": origin["variant"],
            "text": origin["text"],
        }

    def _own_words_added(self):
        inserted = (self.last_insert or {}).get("text", "")
        return inserted in self.text and len(self.text) - len(inserted) >= OWN_WORDS_MIN

    # Employee actions ----------------------------------------------------------------------

    def search(self, query):
        self.query = query
        self.render_suggestions()

    def filter_campaign(self, campaign_id):
        self.campaign_id = campaign_id
        self.render_suggestions()

    def choose_variant(self, snippet_id, index):
        self.selected_variants[snippet_id] = index
        self.render_suggestions()

    def insert(self, snippet_id):
        item = self._suggestion(snippet_id)
        if item is None:
            return
        variant = self.selected_variant(item)
        text, note = self._with_hashtag(item, herald_suggestions.variant_text(item, variant))
        # the origin is what was inserted, hashtag included: edits are measured from there
        self.last_insert = {"snippet_id": snippet_id, "variant": variant, "text": text}
        self.send(herald_messages.insert(text, snippet_id, variant))
        self.nudge_visible = True
        self.view.show_nudge(True)
        self._show_hashtag_note(note, herald_suggestions.campaign_hashtag(item) if note else None)

    def _show_hashtag_note(self, note, hashtag=None):
        self._missing_hashtag = hashtag
        self.view.show_hashtag_note(note)

    def _with_hashtag(self, item, text):
        """(text to insert, note or None): the campaign's hashtag is added unless the post has it
        already, or unless it would take the post past the network's limit; then the panel says
        so instead of inserting a post that is over the limit."""
        hashtag = herald_suggestions.campaign_hashtag(item)
        tagged = herald_suggestions.with_campaign_hashtag(text, hashtag, self.network)
        if tagged == text:
            return text, None
        if self.network == "x" and self.x_weighted_length is None and self.load_checker_now:
            self.load_checker_now()  # X's weighted length comes with the guidelines
        measure = self.x_weighted_length or len
        limit = hints().length_limit(self.network, self._policy(), self._account_limit())
        if hints().text_length(self.network, tagged, measure) > limit:
            return text, self.strings.get(
                "hashtag_over_limit", hashtag=hashtag, limit=self.strings.number(limit)
            )
        return tagged, None

    def _suggestion(self, snippet_id):
        for item in ((self.data or {}).get("suggestions") or {}).get("items") or []:
            if item.get("id") == snippet_id:
                return item
        return None

    def dismiss_nudge(self):
        self.nudge_visible = False
        self.view.show_nudge(False)
        self._show_hashtag_note(None)

    def apply_fix(self, finding_index, fix_index):
        findings = self.analysis["findings"]
        if finding_index < len(findings) and fix_index < len(findings[finding_index]["fixes"]):
            fix = findings[finding_index]["fixes"][fix_index]
            if "shorten" not in fix:  # guidance: only the employee can shorten their post
                self.send(herald_messages.apply_fix(fix))

    def close(self):
        self.send(herald_messages.close())

    # Rendering -------------------------------------------------------------------------------

    def selected_variant(self, item):
        indexes = [variant.get("index") for variant in item.get("variants") or []]
        chosen = self.selected_variants.get(item["id"])
        return chosen if chosen in indexes else (indexes[0] if indexes else 0)

    def notice(self):
        """The one state line the employee needs: signed out beats offline beats loading."""
        if self.data is None:
            return "loading"
        if not self.data.get("signed_in"):
            return "signed_out"
        if self.data.get("offline"):
            # "showing saved suggestions" is only true when some were saved
            saved = ((self.data.get("suggestions") or {}).get("items")) or []
            return "offline" if saved else "offline_nothing_saved"
        return None

    def suggestions(self):
        if not self.data or not self.data.get("signed_in"):
            return []
        return herald_suggestions.visible_suggestions(
            self.data.get("suggestions"), self.network, self.query, self.campaign_id, self.now_iso()
        )

    def campaigns(self):
        response = (self.data or {}).get("suggestions") or {}
        return herald_suggestions.campaigns(response.get("items") or [])

    def render_all(self):
        if not self.started:
            return
        self.view.show_program((self.data or {}).get("program"))
        signed_in = bool((self.data or {}).get("signed_in"))
        standing = (self.data or {}).get("standing") if signed_in else None
        self.view.show_standing(herald_leaderboard.standing_line(standing, self.strings))
        self.view.show_notice(self.notice())
        self.view.show_compat(self.via == "fallback")
        self.render_suggestions()
        # the hints are drawn by the check that always follows (_check_now), in its own task

    def render_suggestions(self):
        if not self.started:
            return
        has_any = bool(((self.data or {}).get("suggestions") or {}).get("items"))
        mine, others = herald_suggestions.split_by_language(self.suggestions(), self.languages())
        campaigns = self.campaigns()
        shown = (
            mine,
            others,
            campaigns,
            has_any,
            self.others_open,
            self.strings.language,
            dict(self.selected_variants),
            self.campaign_id,
            self.notice(),
        )
        if shown == self._suggestions_shown:
            # The same cards again (the worker's sync brought the same suggestions, guidelines
            # finished loading, the standing changed): drawing them anew would replace the
            # Insert button under a click that is under way, and that click would be lost.
            return
        self._suggestions_shown = shown
        self.view.show_suggestions(mine, campaigns, has_any, others, self.others_open)

    # Checking --------------------------------------------------------------------------------

    def _policy(self):
        """The company's policy with this account's length limit (X: 25,000 for subscribers)."""
        policy, limit = self.policy, self._account_limit()
        key = (id(policy), self.network, limit)
        cached = getattr(self, "_effective_policy", None)
        if cached is None or cached[0] != key:  # once per policy or limit, not per keystroke
            cached = self._effective_policy = (
                key,
                hints().with_account_limit(policy, self.network, limit),
            )
        return cached[1]

    def _account_limit(self):
        """What the bridge found for this account: the options page's limit, else the one the
        page shows, else the adapter's (None before the first data)."""
        value = (self.data or {}).get("account_limit")
        return value if isinstance(value, int) and value > 0 else None

    def _analyze(self, text):
        if self.check is None:  # guidelines still loading: count only
            return hints().analyze(
                None, len, self.network, text, None, account_limit=self._account_limit()
            )
        return hints().analyze(
            self.check,
            self.x_weighted_length,
            self.network,
            text,
            self._policy(),
            self.strings.language,
        )

    def _schedule_check(self):
        if self._pending_check is not None:
            return  # the pending check reads self.text when it runs
        now = self.timers.now()
        wait = 0 if self._last_check_at is None else self._last_check_at + CHECK_GAP_MS - now
        if wait <= 0:
            self._check_now()
        else:
            self._pending_check = self.timers.set_timeout(self._check_now, wait)

    def _cancel_check(self):
        if self._pending_check is not None:
            self.timers.clear_timeout(self._pending_check)
            self._pending_check = None

    def _check_now(self):
        self._cancel_check()
        self._last_check_at = self.timers.now()
        self.analysis = self._analyze(self.text)
        self.send(herald_messages.highlights(self.analysis["ranges"]))
        # The bridge gets a message from this frame only when the task that sent it ends: the
        # underlines go now, the cards at them, the counter and the list in the next task.
        if self._pending_report is None:
            self._pending_report = self.timers.set_timeout(self._report, 0)

    def _report(self):
        """What the latest check found, beyond the underlines (see _check_now)."""
        self._pending_report = None
        self.send(
            herald_messages.hint_cards(
                hints().hint_cards(self.strings, self.analysis["findings"]),
                hints().card_labels(self.strings),
            )
        )
        self.send(
            herald_messages.status(
                len(self.analysis["findings"]), self.analysis["length"], self.analysis["limit"]
            )
        )
        note = hints().post_note_text(self.strings, self.analysis["findings"], self._policy())
        if note != self._post_note:
            self._post_note = note
            self.send(
                herald_messages.post_note(
                    note, self.strings.get("summary_review"), self.strings.get("post_note_close")
                )
            )
        if self.started:
            self.view.show_hints(self.analysis, self.text, self.hints_state())

    def hints_state(self):
        """What the hints may say of a draft: "no_policy" (signed out: nothing to check it
        against), "checking" (the guidelines or the policy are still on their way, the first
        second of a cold panel: no "looks good" before anything was checked), "checked"."""
        if self.policy_known and self._policy() is None:
            return "no_policy"
        if self.check is None or not self.policy_known:
            return "checking"
        return "checked"
