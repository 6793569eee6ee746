"""CSV exports of shares and clicks for a period, streamed row by row.

Cells a spreadsheet would read as a formula (= + - @, and tab/CR which some apps strip first) get a
leading apostrophe: employee-entered text must never run in the admin's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, render_template, request, stream_with_context
from peewee import JOIN

from server import analytics
from server.admin import forms
from server.admin.core import admin_required, bp
from server.models import Click, Share, Snippet, TrackedLink, User, iso
from server.personal_data import CLICKS_HEADER, SHARES_HEADER

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    yield "\ufeff"  # BOM: spreadsheet apps then read the UTF-8 names correctly
    writer.writerow(header)
    yield flush()
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        yield flush()


def _csv_response(name: str, period: analytics.Period, header: list[str], rows) -> Response:
    """Stream the file; the download itself goes into the audit log first (these files name
    employees: who took one, when, and for which period is worth knowing)."""
    filename = f"herald-{name}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    filters = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    forms.record("export.download", "export", f"{name}.csv", None, {"filters": filters})
    resp = Response(stream_with_context(_csv_lines(header, rows)), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.get("/exports")
@admin_required
def exports():
    period = analytics.parse_period(None, None)
    return render_template("admin/exports.html", period=period)


@bp.get("/exports/shares.csv")
@admin_required
def export_shares():
    period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    query = (
        Share.select(Share, User.email, User.name, Snippet.title)
        .join(User)
        .switch(Share)
        .join(Snippet, join_type=JOIN.LEFT_OUTER)
        .where((Share.shared_at >= period.lower) & (Share.shared_at < period.upper))
        .order_by(Share.shared_at, Share.id)
    )

    def rows():
        for s in query.objects().iterator():  # .iterator(): no caching of the whole result
            yield [
                iso(s.shared_at),
                s.email,
                s.name,
                s.network,
                s.snippet_id,
                s.title,
                s.variant,
                "yes" if s.edited else "no",
                s.edit_distance,
                ";".join(f.get("rule", "") for f in (s.findings or []) if isinstance(f, dict)),
                s.event_id,
                s.suspect_reason or "",
            ]

    return _csv_response("shares", period, SHARES_HEADER, rows())


@bp.get("/exports/clicks.csv")
@admin_required
def export_clicks():
    period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    query = (
        Click.select(
            Click,
            TrackedLink.code,
            TrackedLink.snippet,
            TrackedLink.target_url,
            User.email,
            Snippet.title,
        )
        .join(TrackedLink)
        .join(User)
        .switch(TrackedLink)
        .join(Snippet)
        .where((Click.at >= period.lower) & (Click.at < period.upper))
        .order_by(Click.at, Click.id)
    )

    def rows():
        for c in query.objects().iterator():
            yield [
                iso(c.at),
                c.code,
                c.email,
                c.snippet,
                c.title,
                c.target_url,
                c.referrer_host,
                c.ua_family,
                "no (bot/preview)" if c.bot else "no (repeat)" if c.repeat else "yes",
            ]

    return _csv_response("clicks", period, CLICKS_HEADER, rows())


CAMPAIGNS_HEADER = [
    "campaign_id",
    "campaign",
    "hashtag",
    "shares_linkedin",
    "shares_x",
    "shares_total",
    "sharers_linkedin",
    "sharers_x",
    "sharers_total",
    "clicks_linkedin",
    "clicks_x",
    "clicks_unattributed",
    "clicks_total",
    "clicks_bots_not_counted",
    "emv_linkedin",
    "emv_x",
    "emv_total",
    "currency",
]


@bp.get("/exports/campaigns.csv")
@admin_required
def export_campaigns():
    """One row per campaign: the campaigns page's figures (server.analytics.campaign_figures).
    Counts only, no one is named."""
    period = analytics.parse_period(request.args.get("from"), request.args.get("to"))
    figures = analytics.campaign_figures(period)

    def rows():
        for item in figures["items"]:
            campaign, shares, sharers = item["campaign"], item["shares"], item["sharers"]
            clicks, emv = item["clicks"], item["emv"]
            yield [
                campaign["id"],
                campaign["name"],
                campaign["hashtag"] or "",
                shares["by_network"]["linkedin"],
                shares["by_network"]["x"],
                shares["total"],
                sharers["by_network"]["linkedin"],
                sharers["by_network"]["x"],
                sharers["total"],
                clicks["by_network"]["linkedin"],
                clicks["by_network"]["x"],
                clicks["unattributed"],
                clicks["total"],
                clicks["bots"],
                f"{emv['by_network']['linkedin']:.2f}",
                f"{emv['by_network']['x']:.2f}",
                f"{emv['total']:.2f}",
                figures["currency"],
            ]

    return _csv_response("campaigns", period, CAMPAIGNS_HEADER, rows())
