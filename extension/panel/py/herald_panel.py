"""The suggestions-and-hints panel beside the composer (Brython entry point).

Draws what `PanelController` decides and forwards the employee's clicks to it. panel.html
provides the static skeleton so the first paint needs no Python; this module fills it in.
"""

import herald_runtime
import herald_suggestions
from browser import window
from herald_controller import PanelController
from herald_dom import append, by_id, fill, h, render, render_keeping

# Cards drawn in the task that shows the list: what the panel shows before it scrolls (at most
# 560 px tall, ~150-210 px of header and filters, a card at least ~110 px). The rest follow in
# the next task, after that paint (a cold panel shows its first cards sooner).
FIRST_CARDS = 4


def _first_list_drawn():
    """The panel's first list is drawn, every card with its handlers: sandbox_port.js gives the
    clicks made on the last panel's snapshot meanwhile, and keeps this panel for the next boot."""
    window.HeraldPort.drawn()


class PanelView:
    def __init__(self):
        self.controller = None
        self.strings = None
        self.root = by_id("panel")
        self.search = by_id("search")
        self.campaign = by_id("campaign")
        self.search.bind("input", lambda event: self.controller.search(self.search.value))
        self.campaign.bind("change", self._on_campaign)
        by_id("close").bind("click", lambda event: self.controller.close())
        by_id("nudge-dismiss").bind("click", lambda event: self.controller.dismiss_nudge())
        self._hints = None  # made at the first check: see `hints`
        self._cards_drawn = 0  # counts the lists drawn: a later list cancels an earlier one's rest
        self._cards_marked = False

    @property
    def hints(self):
        """The hints' view, made when first needed (the first check, in the task after the cards
        are drawn): herald_hints_view and herald_hints stay off the cold boot's path."""
        if self._hints is None:
            from herald_hints_view import HintsView

            self._hints = HintsView(lambda: self.controller)
            if self.strings is not None:
                self._hints.set_strings(self.strings)
        return self._hints

    def set_strings(self, strings):
        self.strings = strings
        if self._hints is not None:
            self._hints.set_strings(strings)
        window.document.documentElement.lang = strings.language
        labels = {
            "suggestions-title": "tab_suggestions",
            "hints-title": "tab_hints",
            "search-label": "search_label",
            "campaign-label": "campaign_filter_label",
            "nudge-text": "nudge_own_words",
            "nudge-dismiss": "nudge_dismiss",
            "compat": "compat_mode",
        }
        fill(
            {element_id: strings.get(key) for element_id, key in labels.items()},
            {
                "search": {"placeholder": strings.get("search_placeholder")},
                "close": {"aria-label": strings.get("close_panel")},
                "counter": {"title": strings.get("counter_label")},
                "panel": {"aria-label": strings.get("panel_label")},
            },
        )

    def set_theme(self, theme):
        # panel.css keys its colours on data-theme; without one it follows prefers-color-scheme
        window.document.documentElement.setAttribute("data-theme", theme)

    def show_program(self, program):
        name = (program or {}).get("name") or "Herald"
        by_id("program-name").textContent = name
        window.document.title = name
        logo = by_id("program-logo")
        logo_url = (program or {}).get("logo_url")
        if logo_url:
            logo.setAttribute("src", logo_url)
            logo.removeAttribute("hidden")
        else:
            logo.setAttribute("hidden", "")

    def show_standing(self, text):
        """This week's place and points, for someone who opted in to recognition; else nothing."""
        line = by_id("standing")
        if text:
            line.textContent = text
            line.removeAttribute("hidden")
        else:
            line.setAttribute("hidden", "")

    def show_notice(self, key):
        notice = by_id("notice")
        notice.className = "notice notice-" + (key or "none")
        if key:
            notice.textContent = self.strings.get(key)
            notice.removeAttribute("hidden")
        else:
            notice.setAttribute("hidden", "")

    def show_compat(self, on):
        """Compatibility mode: the site's markup changed and Herald found this editor by its
        Post button (the bridge's generic fallback); the employee and support should know."""
        by_id("compat").hidden = not on

    def show_nudge(self, visible):
        nudge = by_id("nudge")
        if visible:
            nudge.removeAttribute("hidden")
        else:
            nudge.setAttribute("hidden", "")

    def show_hashtag_note(self, text):
        """Why the campaign's hashtag was not added (it would not fit), or nothing."""
        note = by_id("hashtag-note")
        note.textContent = text or ""
        note.hidden = not text

    def focus_search(self):
        self.search.focus()

    def _on_campaign(self, event):
        value = self.campaign.value
        self.controller.filter_campaign(int(value) if value else None)

    def show_suggestions(self, items, campaigns, has_any, others=(), others_open=False):
        strings = self.strings
        selected = str(self.controller.campaign_id or "")
        options = [h("option", {"value": ""}, text=strings.get("campaign_all"))]
        for campaign in campaigns:
            options.append(
                h(
                    "option",
                    {"value": campaign["id"], "selected": str(campaign["id"]) == selected},
                    text=campaign.get("name") or campaign.get("hashtag") or "",
                )
            )
        render(self.campaign, options)
        self.campaign.value = selected
        by_id("campaign-filter").hidden = not campaigns
        self._cards_drawn += 1
        drawn = self._cards_drawn
        rest = False
        if self._cards_marked or (drawn == 1 and window.HeraldPort.shown()):
            # A list after the first, or the first over the last drawn panel (sandbox_port.js):
            # in one go, so that every card the new list still shows keeps its element
            # (render_keeping), the ones past FIRST_CARDS included.
            cards = [self._card(item) for item in items] + self._fold(others, others_open)
            render_keeping(by_id("cards"), cards)
        else:
            render_keeping(by_id("cards"), [self._card(item) for item in items[:FIRST_CARDS]])
            rest = len(items) > FIRST_CARDS or bool(others)
            if rest:
                window.setTimeout(
                    lambda: self._more_cards(drawn, items[FIRST_CARDS:], others, others_open), 0
                )
        if items and not self._cards_marked:
            # benchmarks/panel_bench.py reads it: the end of the panel's cold boot
            self._cards_marked = True
            window.performance.mark("herald:cards-drawn")
        notice = self.controller.notice()
        # Signed out, or offline with nothing saved, there is nothing to search: the notice says
        # what to do instead.
        window.document.querySelector(".filters").hidden = notice in (
            "signed_out",
            "offline_nothing_saved",
        )
        empty = by_id("cards-empty")
        if items or others or notice in ("signed_out", "loading", "offline_nothing_saved"):
            empty.setAttribute("hidden", "")
        else:
            empty.textContent = strings.get("no_matches" if has_any else "no_suggestions")
            empty.removeAttribute("hidden")
        if self._hints is not None:  # else no draft was shown yet: the fold button is hidden
            self._hints.update_toggle()
        if drawn == 1 and not rest:
            _first_list_drawn()

    def _more_cards(self, drawn, items, others, others_open):
        """The first list's cards after the first ones, then the folded other languages (see
        FIRST_CARDS)."""
        if drawn != self._cards_drawn:
            return  # a newer list was drawn meanwhile
        append(
            by_id("cards"), [self._card(item) for item in items] + self._fold(others, others_open)
        )
        if drawn == 1:
            _first_list_drawn()

    def _fold(self, others, others_open):
        """Suggestions in languages the employee did not choose: folded, one click away."""
        if not others:
            return []
        toggle = h(
            "button",
            {
                "type": "button",
                "class": "fold-toggle",
                "aria-expanded": "true" if others_open else "false",
            },
            text=self.strings.get("other_languages", count=len(others)),
            on={"click": lambda event: self.controller.toggle_others()},
        )
        cards = [self._card(item) for item in others] if others_open else []
        return [
            h(
                "li",
                {"class": "fold"},
                [toggle, h("ul", {"class": "cards"}, cards) if others_open else None],
            )
        ]

    def _card(self, item):
        strings, controller = self.strings, self.controller
        snippet_id = item["id"]
        variant = controller.selected_variant(item)
        title = item.get("title") or ""
        head = [
            # Must-see (the admin pinned it on top): labelled, never required.
            h("span", {"class": "badge must-see"}, text=strings.get("must_see"))
            if item.get("featured")
            else None,
            h("h3", {"class": "card-title"}, text=title),
        ]
        switcher = None
        if len(item["variants"]) > 1:
            buttons = []
            for position, option in enumerate(item["variants"]):
                index = option["index"]
                buttons.append(
                    h(
                        "button",
                        {
                            "type": "button",
                            "class": "variant",
                            "aria-pressed": "true" if index == variant else "false",
                            "aria-label": strings.get("variant_label", number=position + 1),
                        },
                        text=str(position + 1),
                        on={
                            "click": lambda event, index=index: controller.choose_variant(
                                snippet_id, index
                            )
                        },
                    )
                )
            switcher = h(
                "div",
                {"class": "variants", "role": "group", "aria-label": strings.get("variants_label")},
                buttons,
            )
        hashtag = herald_suggestions.campaign_hashtag(item)
        meta = h(
            "p",
            {"class": "card-meta"},
            [
                h(
                    "span",
                    {"class": "hashtag", "title": strings.get("campaign_hashtag_label")},
                    text=hashtag,
                )
                if hashtag
                else None,
                h(
                    "span",
                    {"class": "shared"},
                    text=herald_suggestions.shared_label(
                        strings, item.get("colleagues_shared") or 0
                    ),
                ),
            ],
        )
        insert = h(
            "button",
            {
                "type": "button",
                "class": "insert",
                "aria-label": strings.get("insert_aria", title=title),
            },
            text=strings.get("insert"),
            on={"click": lambda event: controller.insert(snippet_id)},
        )
        return h(
            "li",
            {
                "class": "card featured" if item.get("featured") else "card",
                "data-snippet-id": snippet_id,
                "data-key": snippet_id,  # render_keeping: the same card, however it changed
                # the snippet's own language: right fonts, right screen-reader voice
                "lang": item.get("language") or None,
            },
            [
                h("div", {"class": "card-head"}, head),
                switcher,
                h("p", {"class": "card-text"}, text=herald_suggestions.variant_text(item, variant)),
                meta,
                insert,
            ],
        )

    def show_hints(self, analysis, text, state):
        self.hints.show(analysis, text, state)


def load_guidelines(controller):
    """Import guidelines (slow in Brython) and hand its functions to the controller, once."""
    if controller.check is not None:
        return
    try:
        from guidelines import check, x_weighted_length
    except ImportError as error:  # a panel without hints is better than no panel
        herald_runtime.log_error("guidelines unavailable, hints disabled:", error)
        return
    herald_runtime.use_native_regexp_backend()
    controller.set_checker(check, x_weighted_length)


def start():
    port = herald_runtime.Port()  # the pages check messages in sandbox_port.js
    view = PanelView()
    controller = PanelController(
        catalogs=herald_runtime.catalogs(),
        send=port.send,
        view=view,
        timers=herald_runtime.Timers(),
        new_uuid=herald_runtime.new_uuid,
        now_iso=herald_runtime.now_iso,
        parse_json=herald_runtime.parse_json,
    )
    view.controller = controller

    def load_soon():
        # after the suggestions are painted, so the employee sees them first
        window.setTimeout(lambda: load_guidelines(controller), 20)

    propose = PanelPropose(port, controller)
    controller.on_first_data = load_soon
    controller.load_checker_now = lambda: load_guidelines(controller)
    window.setTimeout(lambda: load_guidelines(controller), 1500)  # no data yet? load anyway

    def handle(message):
        if message.get("type") == "propose-result":
            propose.on_reply(message)
            return
        controller.handle(message)
        if message.get("type") in ("init", "data"):
            # after this paint: the suggestions and hints come first
            window.setTimeout(propose.update, 0)

    # sandbox_port.js said `ready` when it loaded (panel.html's data-announce): what the bridge
    # answered is queued there and handled now, in order.
    port.listen(handle)
    return controller


class PanelPropose:
    """The panel's "Suggest content" form: the bridge relays `propose` (only the typed link and
    note) to the worker and answers `propose-result` with the same request_id."""

    def __init__(self, port, controller):
        self.port = port
        self.controller = controller
        self.pending = {}
        self.section = by_id("propose")
        self.view = None  # made on the first signed-in data: not on the cold boot's path

    def _make(self):
        from herald_propose import ProposeForm
        from herald_propose_view import ProposeView

        form = ProposeForm(self._send, herald_runtime.new_uuid)
        self.view = ProposeView(form, self.section, "propose")

    def _send(self, message, callback):
        self.pending[message["request_id"]] = callback
        self.port.send(message)

    def on_reply(self, message):
        callback = self.pending.pop(message["request_id"], None)
        if callback:
            callback(message.get("response"))

    def update(self):
        """Shown to signed-in employees once the strings are known; redrawn in their language."""
        data = self.controller.data or {}
        if not self.controller.started or not data.get("signed_in"):
            self.section.setAttribute("hidden", "")
            return
        if self.view is None:
            self._make()
        self.view.strings = self.controller.strings
        self.view.program = (data.get("program") or {}).get("name") or "Herald"
        self.section.removeAttribute("hidden")
        self.view.render()
