""" "Suggest content" form and the "My proposals" list, drawn for the panel and the options page
(Brython only; the decisions are in herald_propose)."""

from herald_dom import by_id, el, replace_children
from herald_propose import NOTE_MAX, URL_MAX, proposal_rows


class ProposeView:
    """Draws a ProposeForm into `container`; element ids start with `prefix` (one form a page)."""

    def __init__(self, form, container, prefix="propose"):
        self.form = form
        self.container = container
        self.prefix = prefix
        self.strings = None
        self.program = "Herald"
        self.collapsible = True
        form.on_change = self.render

    def _id(self, name):
        return self.prefix + "-" + name

    def _keep_typed(self):
        """A redraw (new data, a language change) must not lose what is being typed."""
        url, note = by_id(self._id("url")), by_id(self._id("note"))
        if url is not None and self.form.state != "sent":
            self.form.url = url.value
        if note is not None and self.form.state != "sent":
            self.form.note = note.value

    def render(self):
        if self.strings is None or self.container is None:
            return
        self._keep_typed()
        replace_children(self.container, self.children())

    def children(self):
        """The form's elements for what the form holds (the options page draws them as one of its
        parts, redrawn only when they change)."""
        strings, form = self.strings, self.form
        children = []
        if self.collapsible:
            children.append(
                el(
                    "button",
                    {
                        "type": "button",
                        "id": self._id("toggle"),
                        "class": "propose-toggle",
                        "aria-expanded": "true" if form.open else "false",
                        "aria-controls": self._id("body"),
                    },
                    text=strings.get("propose_toggle"),
                    on={"click": lambda event: form.toggle()},
                )
            )
        if form.open or not self.collapsible:
            children.append(self._body())
        return children

    def _body(self):
        strings, form = self.strings, self.form
        if form.state == "sent":
            parts = [
                el(
                    "p",
                    {"id": self._id("status"), "class": "propose-sent", "role": "status"},
                    text=strings.get("propose_sent", program=self.program),
                )
            ]
            duplicate = form.duplicate_text(strings)
            if duplicate:
                parts.append(
                    el(
                        "p",
                        {"id": self._id("duplicate"), "class": "propose-duplicate"},
                        text=duplicate,
                    )
                )
            parts.append(
                el(
                    "button",
                    {"type": "button", "id": self._id("again"), "class": "link-button"},
                    text=strings.get("propose_again"),
                    on={"click": lambda event: form.again()},
                )
            )
            return el("div", {"id": self._id("body"), "class": "propose-body"}, parts)

        def submit(event):
            if event.type == "keydown" and (
                event.key != "Enter" or event.target.tagName == "TEXTAREA"
            ):
                return
            event.preventDefault()
            form.submit(by_id(self._id("url")).value, by_id(self._id("note")).value)

        sending = form.state == "sending"
        invalid = form.state == "error" and form.error in (
            "propose_error_missing",
            "propose_error_url",
            "propose_error_too_long",
        )
        url_attrs = {
            "id": self._id("url"),
            "type": "url",
            "inputmode": "url",
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "https://example.com/article",
            "maxlength": URL_MAX + 100,
            "value": form.url,
            "aria-describedby": self._id("help"),
        }
        if invalid:
            url_attrs["aria-invalid"] = "true"
            url_attrs["aria-describedby"] = self._id("error")
        parts = [
            el(
                "p",
                {"id": self._id("help"), "class": "propose-help"},
                text=strings.get("propose_help", program=self.program),
            ),
            el(
                "div",
                {"class": "field"},
                [
                    el("label", {"for": self._id("url")}, text=strings.get("propose_url_label")),
                    el("input", url_attrs, on={"keydown": submit}),
                ],
            ),
            el(
                "div",
                {"class": "field"},
                [
                    el("label", {"for": self._id("note")}, text=strings.get("propose_note_label")),
                    el(
                        "textarea",
                        {
                            "id": self._id("note"),
                            "rows": 2,
                            "maxlength": NOTE_MAX,
                            "placeholder": strings.get("propose_note_placeholder"),
                        },
                        text=form.note,
                    ),
                ],
            ),
        ]
        if form.state == "error":
            parts.append(
                el(
                    "p",
                    {"id": self._id("error"), "class": "propose-error", "role": "alert"},
                    text=form.error_text(strings),
                )
            )
        parts.append(
            el(
                "div",
                {"class": "propose-actions"},
                [
                    el(
                        "button",
                        {
                            "type": "button",
                            "id": self._id("send"),
                            "class": "insert",
                            "disabled": sending,
                        },
                        text=strings.get("propose_sending" if sending else "propose_send"),
                        on={"click": submit},
                    )
                ],
            )
        )
        return el("div", {"id": self._id("body"), "class": "propose-body"}, parts)


def proposals_table(items, strings, table_id="my-proposals"):
    """ "My proposals": link, status (and why it was declined), date."""
    rows = proposal_rows(items, strings)
    body = []
    for text, url, label, status, detail, day in rows:
        # Plain text: a sandboxed page cannot open links, and the address is what matters here.
        kind = "proposal-title" if text != url else "proposal-title url-only"
        link = el("span", {"class": kind, "title": url}, text=text)
        address = el("span", {"class": "proposal-url"}, text=url) if text != url else None
        body.append(
            el(
                "tr",
                {"data-status": status},
                [
                    el("td", {"class": "proposal-link"}, [link, address]),
                    el(
                        "td",
                        {},
                        [
                            el("span", {"class": "proposal-status status-" + status}, text=label),
                            el("p", {"class": "proposal-detail"}, text=detail) if detail else None,
                        ],
                    ),
                    el("td", {"class": "proposal-date"}, text=day),
                ],
            )
        )
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
                        [
                            el(
                                "tr",
                                {},
                                [
                                    el(
                                        "th",
                                        {"scope": "col"},
                                        text=strings.get("proposals_col_link"),
                                    ),
                                    el(
                                        "th",
                                        {"scope": "col"},
                                        text=strings.get("proposals_col_status"),
                                    ),
                                    el(
                                        "th",
                                        {"scope": "col"},
                                        text=strings.get("proposals_col_date"),
                                    ),
                                ],
                            )
                        ],
                    ),
                    el("tbody", {}, body),
                ],
            )
        ],
    )
