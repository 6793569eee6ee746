"""The panel's hints list: a summary line first ("5 issues · Review"), then one entry per rule
with the matched words as chips, each chip with its fixes, and "Why?" for the explanation.

Kept apart from `herald_panel` (which wires the page) so the hints layout can change without
touching suggestions; `herald_hints` decides the fixes and groups, this module only draws.
"""

import herald_hints
from browser import window
from herald_dom import by_id, h, render


def _guidance_only(finding):
    """An over-length finding: the panel shows "shorten by N", not the (long) excerpt."""
    return any("shorten" in fix for fix in finding["fixes"])


class HintsView:
    def __init__(self, controller_ref):
        self._controller = controller_ref  # callable returning the controller (set after init)
        self.strings = None
        self.folded = None  # None: follow the draft (fold suggestions while there is text)
        self._drawn = None  # what the list shows now (see show)
        by_id("suggestions-toggle").bind("click", lambda event: self._toggle_suggestions())

    def set_strings(self, strings):
        self.strings = strings
        self._drawn = None

    def show(self, analysis, text, state):
        """`state`: PanelController.hints_state()."""
        strings = self.strings
        length, limit = analysis["length"], analysis["limit"]
        counter = by_id("counter")
        over = herald_hints.over_limit_text(strings, length, limit)
        counter.textContent = herald_hints.counter_text(strings, length, limit) + (
            " · " + over if over else ""
        )
        counter.className = "counter over" if length > limit else "counter"
        findings = analysis["findings"]
        # Typing mostly moves findings without changing them: redraw the list only when what
        # it shows changed (fix buttons look the finding up by position when clicked).
        key = self._key(findings, text, state)
        if key == self._drawn:
            self._update_guidance(findings)
            return
        self._drawn = key
        self._summary(findings, text, state)
        render(
            by_id("findings"),
            [self._group(text, group, findings) for group in herald_hints.group_findings(findings)],
        )
        self._layout(bool(text))

    def _key(self, findings, text, state):
        parts = [state, str(bool(text)), str(self.strings.language)]
        for finding in findings:
            parts.append(finding["rule"])
            parts.append(finding["severity"])
            # what the chip shows (see _group): an over-length finding shows no excerpt, and its
            # tail changes with every keystroke, which would redraw the whole list each time
            if not _guidance_only(finding):
                parts.append(text[finding["start"] : finding["end"]])
            for fix in finding["fixes"]:
                parts.append(fix.get("replacement", fix.get("append", "shorten")))
        return "\u0000".join(parts)

    def _update_guidance(self, findings):
        """ "Shorten by N characters" changes with every keystroke over the limit: just its text."""
        for finding in findings:
            for fix in finding["fixes"]:
                if "shorten" in fix:
                    node = window.document.querySelector("#findings .fix-guidance")
                    if node:
                        node.textContent = herald_hints.fix_label(self.strings, fix)
                    return

    def _summary(self, findings, text, state):
        strings = self.strings
        summary = by_id("hints-empty")
        issues, errors = herald_hints.summary(findings)
        if state == "no_policy":
            parts = [h("span", {}, text=strings.get("hints_no_policy"))]
        elif not text:
            parts = [h("span", {}, text=strings.get("hints_start_writing"))]
        elif not issues and state == "checking":
            parts = [h("span", {}, text=strings.get("hints_checking"))]
        elif not issues:
            parts = [h("span", {}, text=strings.get("hints_all_good"))]
        else:
            parts = [
                h("span", {"class": "summary-count"}, text=strings.plural("findings", issues)),
                h("span", {"class": "summary-sep", "aria-hidden": "true"}, text=" · "),
                h(
                    "button",
                    {"type": "button", "class": "link-button", "id": "review"},
                    text=strings.get("summary_review"),
                    on={"click": lambda event: self._review()},
                ),
            ]
        render(summary, parts)
        summary.className = "hints-summary" + (
            " has-errors" if errors else (" has-findings" if issues else "")
        )

    def _review(self):
        first = window.document.querySelector("#findings .chip-fixes button, #findings summary")
        if first:
            first.focus()

    def _group(self, text, group, findings):
        strings = self.strings
        severity = group["severity"]
        matches = []
        # The same words with the same fixes (e.g. "guaranteed" four times) are one chip with a
        # count; its fixes apply to the first of them, and the next check shows the rest.
        rows = []
        same = {}
        for index in group["items"]:
            finding = findings[index]
            excerpt = text[finding["start"] : finding["end"]]
            labels = [herald_hints.fix_label(strings, fix) for fix in finding["fixes"]]
            key = (excerpt.lower(), "|".join(labels))
            if excerpt and key in same:
                same[key][2] += 1
                continue
            row = [index, excerpt, 1]
            same[key] = row
            rows.append(row)
        for index, excerpt, repeats in rows:
            finding = findings[index]
            buttons = [
                h(
                    "button",
                    {"type": "button", "class": "fix"},
                    text=herald_hints.fix_label(strings, fix),
                    on={
                        "click": lambda event, index=index, number=number: (
                            self._controller().apply_fix(index, number)
                        )
                    },
                )
                if "shorten" not in fix
                else h("span", {"class": "fix-guidance"}, text=herald_hints.fix_label(strings, fix))
                for number, fix in enumerate(finding["fixes"])
            ]
            matches.append(
                h(
                    "li",
                    {"class": "match"},
                    [
                        h("q", {"class": "chip excerpt"}, text=excerpt)
                        if excerpt and not _guidance_only(finding)
                        else None,
                        h("span", {"class": "repeats"}, text="\u00d7" + str(repeats))
                        if repeats > 1
                        else None,
                        h("span", {"class": "chip-fixes"}, buttons) if buttons else None,
                    ],
                )
            )
        count = len(group["items"])
        return h(
            "li",
            {"class": "finding severity-" + severity, "data-rule": group["rule"]},
            [
                h(
                    "p",
                    {"class": "finding-head"},
                    [
                        h("span", {"class": "severity"}, text=strings.get("severity_" + severity)),
                        h("span", {"class": "finding-count"}, text="× " + str(count))
                        if count > 1
                        else None,
                    ],
                ),
                h("p", {"class": "finding-message"}, text=group["message"]),
                h("ul", {"class": "matches"}, matches),
                h(
                    "details",
                    {"class": "why"},
                    [
                        h("summary", {}, text=strings.get("hint_why")),
                        h("p", {"class": "finding-explanation"}, text=group["explanation"]),
                    ],
                )
                if group["explanation"]
                else None,
            ],
        )

    # Layout: with a draft, hints lead and the suggestions fold below -----------------------

    def _toggle_suggestions(self):
        self.folded = not self._is_folded()
        self._layout(bool(self._controller().text))

    def _is_folded(self):
        return by_id("panel").classList.contains("suggestions-folded")

    def _layout(self, has_text):
        panel = by_id("panel")
        if not has_text:
            self.folded = None  # a new draft starts with the default again
        folded = has_text if self.folded is None else self.folded
        panel.classList.toggle("has-draft", has_text)
        panel.classList.toggle("suggestions-folded", bool(folded))
        by_id("suggestions-toggle").hidden = not has_text
        self.update_toggle()

    def update_toggle(self):
        """The fold button's label names how many suggestions are folded away."""
        if self.strings is None:
            return
        folded = self._is_folded()
        toggle = by_id("suggestions-toggle")
        toggle.setAttribute("aria-expanded", "false" if folded else "true")
        count = window.document.querySelectorAll("#cards > li").length
        toggle.textContent = (
            self.strings.get("suggestions_show", count=count)
            if folded
            else self.strings.get("suggestions_hide")
        )
