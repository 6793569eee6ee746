"""pygal charts as inline SVG that a strict CSP accepts: no scripts, nonce'd styles."""

from __future__ import annotations

import re
from typing import Any

import pygal
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from server.admin.core import csp_nonce
from server.i18n import month_day

# Network colours chosen for contrast against white and against each other (and colour-blind safe).
_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#0a66c2", "#111111", "#d97706", "#059669"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _config(**extra: Any) -> dict[str, Any]:
    return {
        "style": _STYLE,
        "js": [],  # pygal's tooltip JS comes from a CDN: never on the console
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "width": 760,
        "height": 320,
        "explicit_size": False,
        "print_values": False,
        "truncate_label": -1,
        **extra,
    }


def to_inline_svg(chart: pygal.graph.graph.Graph, label: str) -> Markup:
    """Render, then drop pygal's config <script>, nonce its <style>, and name the figure for AT."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = svg.replace("<style", f'<style nonce="{csp_nonce()}"', 1)
    # Inline style attributes would need 'unsafe-inline'; the SVG presentation attribute does the same.
    svg = svg.replace('style="opacity: 0"', 'opacity="0"')
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)
    return Markup(svg)  # noqa: S704 — pygal escapes titles and labels itself; nothing else is raw


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _day_labels(days: list[str]) -> list[str]:
    # Show "01-31"; a year's worth of labels would overprint, so pygal thins them via x_labels_major.
    return [d[5:] for d in days]


def shares_per_day(per_day: list[dict[str, Any]]) -> Markup:
    chart = pygal.StackedBar(
        **_config(
            title=_("Shares per day by network"), x_label_rotation=-45, show_minor_x_labels=False
        )
    )
    labels = _day_labels([row["date"] for row in per_day])
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 10)]
    chart.add("LinkedIn", [row["linkedin"] for row in per_day])
    chart.add("X", [row["x"] for row in per_day])
    return to_inline_svg(chart, _("Shares per day by network; the numbers are in the table below."))


def weekly_sharers(weeks: list[dict[str, Any]]) -> Markup:
    # Half-width cards: a narrower canvas keeps the labels readable when scaled down.
    chart = pygal.Bar(
        **_config(title=_("Weekly active sharers"), show_legend=False, width=480, height=260)
    )
    chart.x_labels = [month_day(w["week_start"]) for w in weeks]
    chart.add(_("Sharers"), [w["sharers"] for w in weeks])
    return to_inline_svg(chart, _("Weekly active sharers; the numbers are in the table below."))


def funnel(funnel: dict[str, int]) -> Markup:
    chart = pygal.HorizontalBar(
        **_config(title=_("Adoption funnel"), show_legend=False, width=480, height=260)
    )
    chart.x_labels = [_("Invited"), _("Joined"), _("Shared")]
    chart.add(_("People"), [funnel["invited"], funnel["joined"], funnel["shared"]])
    return to_inline_svg(chart, _("Adoption funnel; the numbers are in the table beside it."))


def clicks_per_day(per_day: list[dict[str, Any]]) -> Markup:
    chart = pygal.Line(
        **_config(
            title=_("Clicks on tracked links"),
            show_legend=False,
            x_label_rotation=-45,
            show_minor_x_labels=False,
            fill=True,
        )
    )
    labels = _day_labels([row["date"] for row in per_day])
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 10)]
    chart.add(_("Clicks"), [row["clicks"] for row in per_day])
    return to_inline_svg(chart, _("Clicks per day; the numbers are in the table below."))


_MIX_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    # company, third-party, employee-proposed: distinct for colour-blind readers too
    colors=("#0a66c2", "#d97706", "#059669"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)


def content_mix(mix: dict[str, Any], labels: dict[str, str]) -> Markup:
    """Three stacked 100 % bars, one above the other: the target, the live library and what was
    shared, so each kind's part lines up with its target."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            style=_MIX_STYLE,
            title=_("Content mix (%)"),
            width=560,
            height=280,
            legend_at_bottom_columns=2,
            truncate_legend=-1,
            y_labels=[0, 25, 50, 75, 100],
            range=(0, 100),
            print_values=True,
            print_values_position="center",
            value_formatter=lambda v: f"{v:.0f} %" if v >= 6 else "",
        )
    )
    rows = [
        (_("Target"), mix["target"]),
        (_("Live library"), mix["library"]["percent"]),
        (_("Shared, last %(days)s days", days=mix["shared"]["days"]), mix["shared"]["percent"]),
    ]
    # pygal draws the first label at the bottom: reverse so the target reads first
    rows.reverse()
    chart.x_labels = [label for label, _ in rows]
    for kind, label in labels.items():
        chart.add(label, [values[kind] for _, values in rows])
    return to_inline_svg(
        chart,
        _("Content mix: target, live library and shares; the numbers are in the table beside."),
    )
