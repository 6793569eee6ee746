"""The options page inside its sandboxed iframe (Brython entry point): draws OptionsController.

The page is drawn in parts (one container each, made once): its data comes back piece by piece
after it opens (state, my proposals, my records, the leaderboard, each save), and a part is
redrawn only when what it shows changed, so a field being typed into or a button being pressed
in one part is never replaced by another part's data arriving. A part redrawn for its own data
keeps the fields the person is in or has edited (see `_draw`)."""

import herald_runtime
from browser import window
from herald_dom import by_id, el, replace_children
from herald_i18n import SUPPORTED_LANGUAGES
from herald_leaderboard import PERIODS, me_line, points_rule, rows
from herald_messages import options_ready
from herald_my_data import export_rows, link_rows, share_rows, standing_lines
from herald_options import OptionsController
from herald_propose_view import ProposeView, proposals_table
from herald_record import record_fields

SHARE_EVENT_RECORD = "share-event-record"
SITE_LABELS = {"linkedin": "LinkedIn", "x": "X"}  # the network names the health counts carry
# Fields whose text the person types (a checkbox or a select takes the saved data instead).
TYPED = "input:not([type=checkbox]):not([type=radio]):not([type=button]), textarea"


def _find(children, element_id):
    """The element with `element_id` among `children` (not yet in the document) or under them."""
    selector = "#" + window.CSS.escape(element_id)
    for child in children:
        if child.id == element_id:
            return child
        found = child.querySelector(selector)
        if found:
            return found
    return None


class OptionsView:
    def __init__(self, share_event_schema):
        self.share_event_schema = share_event_schema
        self.root = by_id("app")
        self.propose_view = None
        self.parts = {}  # part name -> its container
        self.drawn = {}  # part name -> the HTML it was last drawn with
        self.sections = {}
        self.options = None
        # Chrome 133+ and Firefox 144+ move a node without blurring it or losing its caret.
        self.move_keeps_focus = bool(window.Reflect.has(self.root, "moveBefore"))

    def _layout(self):
        """The containers, in page order: parts are `display: contents`, so the page lays out as
        if their children stood in their place."""

        def part(name, element_id=None):
            attrs = {"class": "part", "data-part": name}
            if element_id:
                attrs["id"] = element_id
            self.parts[name] = el("div", attrs)
            return self.parts[name]

        self.sections = {
            "suggest": el(
                "section",
                {"id": "suggest", "aria-labelledby": "suggest-heading"},
                [part("suggest-heading"), part("suggest-form", "suggest-form"), part("proposals")],
            ),
            "recognition": el(
                "section",
                {"id": "recognition", "aria-labelledby": "recognition-heading"},
                [part("recognition"), part("leaderboard")],
            ),
            "records": el(
                "section",
                {"id": "records"},
                [part("records"), part("health"), part("my-data"), part("queue")],
            ),
        }
        replace_children(
            self.root,
            [
                part("title"),
                part("welcome"),
                part("account"),
                part("participation"),
                self.sections["suggest"],
                self.sections["recognition"],
                part("preferences"),
                self.sections["records"],
            ],
        )

    def render(self, options):
        self.options = options
        strings = options.strings
        window.document.documentElement.lang = strings.language
        window.document.title = strings.get("options_title")
        if not self.parts:
            self._layout()
        if self.propose_view is None:
            self.propose_view = ProposeView(options.propose, None, "suggest")
            self.propose_view.collapsible = False
            options.propose.on_change = lambda: self.render(options)
        signed_in = options.signed_in()
        for name in ("suggest", "recognition"):
            if signed_in:
                self.sections[name].removeAttribute("hidden")
            else:
                self.sections[name].setAttribute("hidden", "")
        self._draw("title", [el("h1", text=strings.get("options_title"))])
        self._draw("welcome", [] if signed_in else [self._welcome(strings)])
        self._draw("account", [self._account(options)])
        self._draw("participation", [self._participation(options)] if signed_in else [])
        self.propose_view.strings = strings
        self.propose_view.program = ((options.state or {}).get("program") or {}).get(
            "name"
        ) or "Herald"
        self._draw(
            "suggest-heading",
            [el("h2", {"id": "suggest-heading"}, text=strings.get("propose_toggle"))],
        )
        self._draw("suggest-form", self.propose_view.children() if signed_in else [])
        self._draw("proposals", [self._proposals(options)] if signed_in else [])
        self._draw("recognition", self._recognition(options) if signed_in else [])
        self._draw(
            "leaderboard",
            [self._leaderboard(options)] if signed_in and options.leaderboard_opt_in() else [],
        )
        self._draw("preferences", [self._preferences(options)])
        self._draw("records", self._records(options))
        self._draw("health", [self._health(options)])
        self._draw("my-data", [self._my_data(options)] if signed_in else [])
        self._draw(
            "queue",
            [
                el("p", {"id": key.replace("_", "-"), "class": "queue-status"}, text=line)
                for key, line in options.queue_lines()
            ],
        )

    def _draw(self, name, children):
        """Show `children` in the part `name`, unless they show exactly what it shows already
        (then the part is not touched at all).

        A redrawn part keeps the person's fields: the one they are in, and any whose text they
        changed and did not save (its value differs from what the page last set), are moved
        into the new drawing in place of their new copies, taking the copies' attributes. The
        field itself is kept, never a copy given its value (a number field's caret cannot be
        set: a copy would put it at the start). moveBefore moves it without blurring it; a
        browser without moveBefore gets the part redrawn when the person leaves it."""
        children = [child for child in children if child is not None]
        html = "".join(str(child.outerHTML) for child in children)
        if self.drawn.get(name) == html:
            return
        box = self.parts[name]
        focused = window.document.activeElement
        inside = bool(focused) and bool(box.contains(focused))
        focused_id = str(focused.id or "") if inside else ""
        keep = []
        for live in box.querySelectorAll(TYPED):
            mine = inside and bool(live.isSameNode(focused))
            if not live.id or not (mine or live.value != live.defaultValue):
                continue
            copy = _find(children, live.id)
            if copy is not None and copy.tagName == live.tagName and copy.type == live.type:
                if mine and not self.move_keeps_focus:
                    self._when_left(box)  # moved, it would blur: a blur saves half-typed text
                    return
                keep.append((live, copy, mine))
        self.drawn[name] = html
        old = list(box.childNodes)
        for child in children:
            box.appendChild(child)
        for live, copy, _mine in keep:
            for attr in live.getAttributeNames():
                if not copy.hasAttribute(attr):
                    live.removeAttribute(attr)
            for attr in copy.getAttributeNames():
                # a typed value stays: an edited field's value no longer follows its attribute
                live.setAttribute(attr, copy.getAttribute(attr))
            if live.tagName == "TEXTAREA":
                live.defaultValue = copy.defaultValue  # the same rule for a textarea's text
            if self.move_keeps_focus:
                copy.parentNode.moveBefore(live, copy)
            else:
                copy.parentNode.insertBefore(live, copy)
            copy.remove()
        for node in old:
            node.remove()
        if focused_id and not any(mine for _live, _copy, mine in keep):
            again = by_id(focused_id)  # a checkbox, a select or a button: focus its new copy
            if again:
                again.focus()

    def _when_left(self, box):
        """Draw the page again once focus leaves `box` (to outside it)."""
        if box.getAttribute("data-waiting"):
            return
        box.setAttribute("data-waiting", "1")

        def left(event):
            if event.relatedTarget and box.contains(event.relatedTarget):
                return
            box.unbind("focusout", left)
            box.removeAttribute("data-waiting")
            window.setTimeout(lambda: self.render(self.options), 0)

        box.bind("focusout", left)

    def _welcome(self, strings):
        """First run (the worker opens this page on install): what Herald is, what to do."""
        return el(
            "section",
            {"id": "welcome", "class": "welcome"},
            [
                el("h2", text=strings.get("welcome_heading")),
                el("p", text=strings.get("welcome_text")),
            ],
        )

    def _account(self, options):
        strings = options.strings
        children = [
            el("h2", {"id": "account-heading"}, text=strings.get("account_heading")),
            el("p", {"id": "account-status", "role": "status"}, text=options.account_line()),
        ]
        if options.signed_in():
            children.append(
                el(
                    "button",
                    {"type": "button", "id": "sign-out"},
                    text=strings.get("sign_out"),
                    on={"click": lambda event: options.sign_out()},
                )
            )
        else:
            # No <form> submission: sandboxed frames may lack allow-forms; click and Enter do it.
            def submit(event):
                if event.type == "keydown" and event.key != "Enter":
                    return
                event.preventDefault()
                options.sign_in(
                    by_id("server-url").value, by_id("email").value, by_id("password").value
                )

            provider = options.sso_provider()
            password_form = [
                self._server_field(options, (options.state or {}).get("server_url") or "")
            ]
            if provider is not None:
                password_form += [
                    el(
                        "button",
                        {"type": "button", "id": "sso-sign-in", "disabled": options.busy},
                        text=strings.get("sso_sign_in", provider=provider),
                        on={"click": lambda event: options.sign_in_sso(by_id("server-url").value)},
                    ),
                    el("p", {"class": "divider"}, text=strings.get("sso_or_password")),
                ]
            children.append(
                el(
                    "div",
                    {"id": "sign-in-form", "class": "sign-in"},
                    password_form
                    + [
                        self._field("email", strings.get("email_label"), "email", "", "username"),
                        # Typed text is kept when this part is redrawn (`_draw`): a wrong server
                        # address is no reason to type the password again.
                        self._field(
                            "password",
                            strings.get("password_label"),
                            "password",
                            "",
                            "current-password",
                        ),
                        el(
                            "button",
                            dict(
                                {"type": "button", "disabled": options.busy},
                                **({"class": "secondary"} if provider is not None else {}),
                            ),
                            text=strings.get("signing_in" if options.busy else "sign_in"),
                            on={"click": submit},
                        ),
                    ],
                    on={"keydown": submit},
                )
            )
        if options.error:
            children.append(
                el("p", {"class": "error", "role": "alert"}, text=strings.get(options.error))
            )
        return el("section", {"aria-labelledby": "account-heading"}, children)

    def _server_field(self, options, server_url):
        """Plain text, not type=url: "herald.example.com" is what people type (https is added)."""
        strings = options.strings
        locked = options.server_locked()
        if locked:
            server_url = options.state["server_url"]
        return el(
            "div",
            {"class": "field"},
            [
                el("label", {"for": "server-url"}, text=strings.get("server_url_label")),
                el(
                    "input",
                    {
                        "id": "server-url",
                        "type": "text",
                        "inputmode": "url",
                        "autocomplete": "url",
                        "autocapitalize": "off",
                        "spellcheck": "false",
                        "placeholder": "herald.example.com",
                        "value": server_url,
                        "aria-describedby": "server-url-help",
                        "readonly": locked,
                    },
                    # Leaving the field asks that server whether it offers single sign-on.
                    on={"change": lambda event: options.check_sso(by_id("server-url").value)},
                ),
                el(
                    "p",
                    {"id": "server-url-help", "class": "help"},
                    text=strings.get("server_url_locked" if locked else "server_url_help"),
                ),
            ],
        )

    def _field(self, element_id, label, kind, value, autocomplete, on=None):
        return el(
            "div",
            {"class": "field"},
            [
                el("label", {"for": element_id}, text=label),
                el(
                    "input",
                    {"id": element_id, "type": kind, "value": value, "autocomplete": autocomplete},
                    on=on,
                ),
            ],
        )

    def _preferences(self, options):
        strings = options.strings
        language = el(
            "select",
            {"id": "language"},
            [
                el(
                    "option",
                    {"value": code, "selected": code == strings.language},
                    text=strings.get("language_name_" + code),
                )
                for code in SUPPORTED_LANGUAGES
            ],
            on={"change": lambda event: options.set_language(by_id("language").value)},
        )
        notifications = el(
            "input",
            {"id": "notifications", "type": "checkbox", "checked": options.notifications_enabled()},
            on={"change": lambda event: options.set_notifications(by_id("notifications").checked)},
        )

        def save_x_limit(event):
            node = by_id("x-limit")
            # A number field reports "" for text it cannot parse: that is not "use what X shows".
            options.set_x_limit("?" if node.validity.badInput else node.value)

        x_limit_attrs = {
            "id": "x-limit",
            "type": "number",
            "min": 1,
            "max": 100000,
            "step": 1,
            "inputmode": "numeric",
            "value": options.x_limit_text(),
            "aria-describedby": "x-limit-help",
        }
        if options.x_limit_invalid():
            x_limit_attrs["aria-invalid"] = "true"
        x_limit = el(
            "div",
            {"class": "field x-limit"},
            [
                el("label", {"for": "x-limit"}, text=strings.get("x_limit_label")),
                el("input", x_limit_attrs, on={"change": save_x_limit}),
                el(
                    "p",
                    {"id": "x-limit-help", "class": "help"},
                    text=strings.get("x_limit_help"),
                ),
            ]
            + (
                [el("p", {"class": "error", "role": "alert"}, text=strings.get("x_limit_invalid"))]
                if options.x_limit_invalid()
                else []
            ),
        )
        return el(
            "section",
            {},
            [
                el("h2", text=strings.get("preferences_heading")),
                el(
                    "div",
                    {"class": "field"},
                    [
                        el("label", {"for": "language"}, text=strings.get("language_label")),
                        language,
                    ],
                ),
                el(
                    "div",
                    {"class": "toggle"},
                    [
                        notifications,
                        el(
                            "label",
                            {"for": "notifications"},
                            text=strings.get("notifications_label"),
                        ),
                    ],
                ),
                x_limit,
                el(
                    "p",
                    {"class": "saved", "role": "status"},
                    text=strings.get("saved") if options.saved else "",
                ),
            ],
        )

    def _participation(self, options):
        """Leaderboard, digest and follower count: each change is saved on the server at once."""
        strings = options.strings

        def toggle(element_id, checked, label, save):
            return el(
                "div",
                {"class": "toggle"},
                [
                    el(
                        "input",
                        {"id": element_id, "type": "checkbox", "checked": checked},
                        on={"change": lambda event: save(by_id(element_id).checked)},
                    ),
                    el("label", {"for": element_id}, text=label),
                ],
            )

        def save_followers(event):
            node = by_id("followers")
            # A number field reports "" for text it cannot parse: that is not "clear the count".
            options.set_followers("?" if node.validity.badInput else node.value)

        def commit_on_enter(event):
            if event.key == "Enter":
                event.preventDefault()
                by_id("followers").blur()  # blur commits the value: one "change", one save

        def save_reads(code):
            return lambda event: options.set_reads(code, by_id("reads-" + code).checked)

        choices = options.language_choices()
        only_one = sum(1 for _code, _name, ticked in choices if ticked) == 1
        reads = el(
            "fieldset",
            {"id": "reads", "class": "reads", "aria-describedby": "reads-help"},
            [
                el("legend", text=strings.get("languages_label")),
                el("p", {"id": "reads-help", "class": "help"}, text=strings.get("languages_help")),
                el(
                    "div",
                    {"class": "reads-choices"},
                    [
                        el(
                            "label",
                            {"class": "read-choice", "lang": code},
                            [
                                el(
                                    "input",
                                    {
                                        "id": "reads-" + code,
                                        "type": "checkbox",
                                        "value": code,
                                        "checked": ticked,
                                        # at least one language stays chosen
                                        "disabled": ticked and only_one,
                                    },
                                    on={"change": save_reads(code)},
                                ),
                                el("span", text=name),
                            ],
                        )
                        for code, name, ticked in choices
                    ],
                ),
            ],
        )
        followers = el(
            "input",
            {
                "id": "followers",
                "type": "number",
                "min": 0,
                "max": 1000000000,
                "step": 1,
                "inputmode": "numeric",
                "value": options.followers_text(),
            },
            on={"change": save_followers, "keydown": commit_on_enter},
        )
        feedback = self._profile_feedback(options, "participation")
        return el(
            "section",
            {"id": "participation", "aria-labelledby": "participation-heading"},
            [
                el(
                    "h2", {"id": "participation-heading"}, text=strings.get("participation_heading")
                ),
                reads,
                toggle(
                    "digest",
                    options.digest_opt_in(),
                    strings.get("digest_label"),
                    options.set_digest,
                ),
                el(
                    "div",
                    {"class": "field followers"},
                    [
                        el("label", {"for": "followers"}, text=strings.get("followers_label")),
                        followers,
                    ],
                ),
                feedback,
            ],
        )

    def _proposals(self, options):
        """What I proposed for the library, with its outcome (the form above is its own part)."""
        strings = options.strings
        mine = [
            el("h3", {"id": "my-proposals-heading"}, text=strings.get("proposals_heading")),
        ]
        if options.proposals_error:
            mine.append(
                el("p", {"class": "error", "role": "alert"}, text=strings.get("proposals_error"))
            )
        elif options.proposals is None:
            mine.append(el("p", {"class": "muted"}, text=strings.get("proposals_loading")))
        elif not options.proposals:
            mine.append(
                el(
                    "p",
                    {"class": "muted", "id": "proposals-empty"},
                    text=strings.get("proposals_empty"),
                )
            )
        else:
            mine.append(proposals_table(options.proposals, strings))
        return el(
            "div", {"id": "my-proposals-section", "aria-labelledby": "my-proposals-heading"}, mine
        )

    def _profile_feedback(self, options, section):
        """The outcome of the last profile change, shown in the section whose switch changed."""
        mine = options.profile_section == section
        if mine and options.profile_error:
            return el(
                "p",
                {"id": section + "-status", "class": "error", "role": "alert"},
                text=options.strings.get(options.profile_error),
            )
        return el(
            "p",
            {"id": section + "-status", "class": "saved", "role": "status"},
            text=options.strings.get("saved") if mine and options.profile_saved else "",
        )

    def _recognition(self, options):
        """The opt-in (off by default) says what it does; the leaderboards (their own part) show
        only to those in."""
        strings = options.strings
        opted_in = options.leaderboard_opt_in()
        children = [
            el("h2", {"id": "recognition-heading"}, text=strings.get("recognition_heading")),
            el(
                "div",
                {"class": "toggle"},
                [
                    el(
                        "input",
                        {"id": "leaderboard", "type": "checkbox", "checked": opted_in},
                        on={
                            "change": lambda event: options.set_leaderboard(
                                by_id("leaderboard").checked
                            )
                        },
                    ),
                    el("label", {"for": "leaderboard"}, text=strings.get("leaderboard_label")),
                    self._profile_feedback(options, "recognition"),  # on the switch's line
                ],
            ),
            el(
                "p",
                {"class": "help", "id": "recognition-explain"},
                text=strings.get("recognition_explain"),
            ),
        ]
        if not opted_in:
            children.append(
                el(
                    "p",
                    {"class": "muted", "id": "leaderboard-off"},
                    text=strings.get("leaderboard_off"),
                )
            )
        return children

    def _leaderboard(self, options):
        strings = options.strings
        data = options.leaderboard
        periods = el(
            "div",
            {
                "class": "periods",
                "role": "group",
                "aria-label": strings.get("leaderboard_periods_label"),
            },
            [
                el(
                    "button",
                    {
                        "type": "button",
                        "id": "period-" + period,
                        "class": "period"
                        + (" current" if period == options.leaderboard_period else ""),
                        "aria-pressed": "true" if period == options.leaderboard_period else "false",
                    },
                    text=strings.get("leaderboard_period_" + period),
                    on={"click": lambda event, p=period: options.load_leaderboard(p)},
                )
                for period in PERIODS
            ],
        )
        teams = (data or {}).get("teams") or []
        controls = [periods]
        if teams:

            def pick_team(event):
                value = by_id("leaderboard-team").value
                options.load_leaderboard(team=int(value) if value else None)

            team_options = [el("option", {"value": ""}, text=strings.get("leaderboard_team_all"))]
            for team in teams:
                attrs = {"value": str(team["id"])}
                if team["id"] == options.leaderboard_team:
                    attrs["selected"] = True
                team_options.append(el("option", attrs, text=team["name"]))
            controls.append(
                el(
                    "div",
                    {"class": "team-pick"},
                    [
                        el(
                            "label",
                            {"for": "leaderboard-team"},
                            text=strings.get("leaderboard_team_label"),
                        ),
                        el(
                            "select",
                            {"id": "leaderboard-team"},
                            team_options,
                            on={"change": pick_team},
                        ),
                    ],
                )
            )
        children = [el("div", {"class": "leaderboard-controls"}, controls)]
        if options.leaderboard_error:
            children.append(
                el(
                    "p",
                    {"class": "error", "role": "alert"},
                    text=strings.get(options.leaderboard_error),
                )
            )
        if data is None:
            if not options.leaderboard_error:
                children.append(
                    el("p", {"class": "muted"}, text=strings.get("leaderboard_loading"))
                )
            return el("div", {"id": "leaderboard-view"}, children)
        children.append(
            el("p", {"class": "help", "id": "points-rule"}, text=points_rule(data, strings))
        )
        entries = rows(data, strings)
        if entries:
            children.append(
                el(
                    "div",
                    {"class": "table-wrap"},
                    [
                        el(
                            "table",
                            {"id": "leaderboard-table", "class": "my-data leaderboard"},
                            [
                                el(
                                    "thead",
                                    {},
                                    [
                                        el(
                                            "tr",
                                            {},
                                            [
                                                el(
                                                    "th",
                                                    {"scope": "col", "class": "num"},
                                                    text=strings.get("leaderboard_col_rank"),
                                                ),
                                                el(
                                                    "th",
                                                    {"scope": "col"},
                                                    text=strings.get("leaderboard_col_name"),
                                                ),
                                                el(
                                                    "th",
                                                    {"scope": "col", "class": "num"},
                                                    text=strings.get("leaderboard_col_points"),
                                                ),
                                            ],
                                        )
                                    ],
                                ),
                                el(
                                    "tbody",
                                    {},
                                    [
                                        el(
                                            "tr",
                                            {"class": "you"} if you else {},
                                            [
                                                el("td", {"class": "num"}, text=place),
                                                el("td", {}, text=name),
                                                el("td", {"class": "num"}, text=points),
                                            ],
                                        )
                                        for place, name, points, you in entries
                                    ],
                                ),
                            ],
                        )
                    ],
                )
            )
        else:
            children.append(
                el(
                    "p",
                    {"class": "muted", "id": "leaderboard-empty"},
                    text=strings.get("leaderboard_empty"),
                )
            )
        children.append(
            el("p", {"class": "standing", "id": "leaderboard-me"}, text=me_line(data, strings))
        )
        return el("div", {"id": "leaderboard-view"}, children)

    def _records(self, options):
        strings = options.strings
        items = []
        for name, text in record_fields(self.share_event_schema, strings):
            items.append(el("dt", {}, [el("code", text=name)]))
            items.append(el("dd", text=text))
        # The health counts, my records and the queue lines below are parts of their own.
        return [
            el("h2", text=strings.get("records_heading")),
            el("p", text=strings.get("records_intro")),
            el("dl", {"class": "records"}, items),
            el("p", {"class": "privacy"}, text=strings.get("records_draft_statement")),
        ]

    def _health(self, options):
        """Site health counts (issue 13 §3) exactly as the worker will send them, and the last report
        as it was sent: counters only."""
        strings = options.strings
        health = (options.state or {}).get("health") or {}
        if not health.get("extension_version"):
            # Not known until the page's state arrives: no "version ()" meanwhile.
            return el(
                "div",
                {"id": "health-counts", "aria-labelledby": "health-heading"},
                [el("h3", {"id": "health-heading"}, text=strings.get("health_heading"))],
            )
        headers = [
            strings.get("health_col_site"),
            strings.get("health_col_adapter"),
            strings.get("health_col_counter"),
            strings.get("health_col_hour"),
            strings.get("health_col_count"),
        ]

        def rows(counts):
            return [
                [
                    SITE_LABELS.get(c.get("site"), str(c.get("site"))),
                    str(c.get("adapter_version")),
                    strings.get("health_counter_" + str(c.get("counter"))),
                    str(c.get("hour") or "")[:16].replace("T", " ") + " UTC",
                    strings.number(c.get("count") or 0),
                ]
                for c in counts
            ]

        waiting = rows(health.get("counts") or [])
        last = health.get("last") or {}
        sent = rows(last.get("counts") or [])
        return el(
            "div",
            {"id": "health-counts", "aria-labelledby": "health-heading"},
            [
                el("h3", {"id": "health-heading"}, text=strings.get("health_heading")),
                el(
                    "p",
                    {},
                    text=strings.get(
                        "health_intro", version=str(health.get("extension_version") or "")
                    ),
                ),
                el("p", {"id": "adapter-report-note"}, text=strings.get("records_adapter_report")),
                el("h4", text=strings.get("health_waiting_heading")),
                self._table("health-waiting", headers, waiting)
                if waiting
                else el(
                    "p", {"class": "muted", "id": "health-none"}, text=strings.get("health_none")
                ),
                el(
                    "h4",
                    text=strings.get(
                        "health_last_heading",
                        time=str(last.get("sent_at") or "")[:16].replace("T", " ") + " UTC",
                    ),
                )
                if sent
                else None,
                self._table("health-last", headers, sent) if sent else None,
            ],
        )

    def _table(self, table_id, headers, rows):
        return el(
            "div",
            {"class": "table-wrap"},
            [
                el(
                    "table",
                    {"id": table_id, "class": "my-data"},
                    [
                        el(
                            "thead",
                            {},
                            [el("tr", {}, [el("th", {"scope": "col"}, text=h) for h in headers])],
                        ),
                        el(
                            "tbody",
                            {},
                            [el("tr", {}, [el("td", text=cell) for cell in row]) for row in rows],
                        ),
                    ],
                )
            ],
        )

    def _my_data(self, options):
        """The employee's own records as the server keeps them, and the JSON download."""
        strings = options.strings
        data = options.my_data
        children = [
            el("h3", {"id": "my-data-heading"}, text=strings.get("my_data_heading")),
            el(
                "p",
                {"class": "privacy", "id": "clicks-tied"},
                text=strings.get("my_data_clicks_tied"),
            ),
        ]
        if options.my_data_error:
            children.append(
                el(
                    "p",
                    {"class": "error", "role": "alert"},
                    text=strings.get(options.my_data_error),
                )
            )
        if data is None:
            if not options.my_data_error:
                children.append(el("p", {"class": "muted"}, text=strings.get("my_data_loading")))
            return el("div", {"id": "my-data", "aria-labelledby": "my-data-heading"}, children)
        for line in standing_lines(data, strings):
            children.append(el("p", {"class": "standing"}, text=line))
        rows, more = share_rows(data, strings)
        children.append(
            el(
                "h4",
                text=strings.get(
                    "my_data_shares_heading", count=strings.number(len(data.get("shares") or []))
                ),
            )
        )
        if rows:
            children.append(
                self._table(
                    "my-shares",
                    [
                        strings.get("my_data_col_when"),
                        strings.get("my_data_col_network"),
                        strings.get("my_data_col_suggestion"),
                        strings.get("my_data_col_edited"),
                        strings.get("my_data_col_counted"),
                    ],
                    rows,
                )
            )
            if more:
                children.append(
                    el(
                        "p",
                        {"class": "muted"},
                        text=strings.get("my_data_more", count=strings.number(more)),
                    )
                )
        else:
            children.append(el("p", {"class": "muted"}, text=strings.get("my_data_no_shares")))
        links = link_rows(data, strings)
        children.append(el("h4", text=strings.get("my_data_links_heading")))
        if links:
            children.append(
                self._table(
                    "my-links",
                    [
                        strings.get("my_data_col_suggestion"),
                        strings.get("my_data_col_link"),
                        strings.get("my_data_col_clicks"),
                    ],
                    links,
                )
            )
        else:
            children.append(el("p", {"class": "muted"}, text=strings.get("my_data_no_links")))
        children.append(el("h4", text=strings.get("my_data_exports_heading")))
        exports = []
        for name, named, what, columns in export_rows(data, strings):
            exports.append(
                el(
                    "li",
                    {},
                    [
                        el("strong", text=name),
                        el("span", {"class": "named"}, text=" · " + named),
                        el("p", {"class": "what"}, text=what),
                        el("p", {"class": "columns"}, [el("code", text=columns)]),
                    ],
                )
            )
        children.append(el("ul", {"class": "exports", "id": "my-exports"}, exports))
        children.append(
            el(
                "button",
                {"type": "button", "id": "download-my-data"},
                text=strings.get("my_data_download"),
                on={"click": lambda event: options.download_my_data()},
            )
        )
        children.append(
            el(
                "p",
                {"class": "saved", "role": "status", "id": "download-status"},
                text=strings.get("my_data_downloaded") if options.my_data_downloaded else "",
            )
        )
        return el("div", {"id": "my-data", "aria-labelledby": "my-data-heading"}, children)


def start():
    assets = herald_runtime.assets()
    schemas = assets.get("schemas") or {}
    port = herald_runtime.Port()
    view = OptionsView(schemas.get(SHARE_EVENT_RECORD))
    options = OptionsController(
        assets.get("strings") or {}, port.send, view, herald_runtime.new_uuid
    )
    port.listen(options.handle)
    port.send(options_ready())
    return options
