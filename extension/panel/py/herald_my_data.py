"""The employee's own records from the server (GET /api/v1/me/data) as plain text rows.

No DOM here, so CPython tests read exactly what the options page shows. Every text is looked up
in the employee's language; values from the server (titles, links, column names) are shown as
they are.
"""

SHOWN_SHARES = 20  # the page lists the newest; the JSON download has them all

REASONS = (
    "implausible_time",
    "snippet_not_approved",
    "outside_schedule",
    "not_targeted",
    "unknown_variant",
)
EXPORT_KEYS = {
    "shares.csv": "my_data_export_shares",
    "clicks.csv": "my_data_export_clicks",
    "dashboard leaderboard": "my_data_export_leaderboard",
}


def when(value):
    """ "2026-12-03T09:30:00Z" -> "2026-12-03 09:30 UTC"."""
    text = str(value or "")
    return text[:16].replace("T", " ") + " UTC" if len(text) >= 16 else text


def network_name(network):
    return {"linkedin": "LinkedIn", "x": "X"}.get(network, str(network or ""))


def reason_text(reason, strings):
    key = "my_data_reason_" + str(reason)
    return strings.get(key) if reason in REASONS else str(reason)


def standing_lines(data, strings):
    """What counts for me in the dashboard's period, and where I stand on the leaderboard."""
    standing = data.get("standing") or {}
    period = standing.get("period") or {}
    lines = [
        strings.get(
            "my_data_standing",
            start=period.get("from", ""),
            end=period.get("to", ""),
            shares=strings.number(standing.get("shares", 0)),
            clicks=strings.number(standing.get("clicks", 0)),
        )
    ]
    if standing.get("on_leaderboard"):
        lines.append(strings.get("my_data_leaderboard_on", rank=standing.get("rank") or ""))
    elif standing.get("leaderboard_opt_in"):
        lines.append(strings.get("my_data_leaderboard_waiting"))
    else:
        lines.append(strings.get("my_data_leaderboard_off"))
    return lines


def share_rows(data, strings):
    """([when, network, suggestion, edited, counted], how many more) for the newest shares."""
    shares = data.get("shares") or []
    rows = []
    for share in shares[:SHOWN_SHARES]:
        counted = (
            strings.get("my_data_counted")
            if share.get("counted")
            else strings.get(
                "my_data_not_counted", reason=reason_text(share.get("suspect_reason"), strings)
            )
        )
        rows.append(
            [
                when(share.get("shared_at")),
                network_name(share.get("network")),
                share.get("snippet_title") or strings.get("my_data_own_words"),
                strings.get("my_data_yes" if share.get("edited") else "my_data_no"),
                counted,
            ]
        )
    return rows, max(0, len(shares) - SHOWN_SHARES)


def link_rows(data, strings):
    """[suggestion, my link, clicks] per tracked link."""
    rows = []
    for link in data.get("tracked_links") or []:
        clicks = link.get("clicks") or {}
        rows.append(
            [
                link.get("snippet_title") or "",
                link.get("url") or "",
                strings.get(
                    "my_data_clicks_cell",
                    counted=strings.number(clicks.get("counted", 0)),
                    repeats=strings.number(clicks.get("repeats", 0)),
                    bots=strings.number(clicks.get("bots", 0)),
                ),
            ]
        )
    return rows


def export_rows(data, strings):
    """[(name, names me?, what it holds, its columns)] for each admin export."""
    rows = []
    for export in data.get("admin_exports") or []:
        name = export.get("name") or ""
        key = EXPORT_KEYS.get(name)
        rows.append(
            (
                name,
                strings.get(
                    "my_data_names_you" if export.get("names_you") else "my_data_not_named"
                ),
                strings.get(key) if key else export.get("what") or "",
                ", ".join(export.get("columns") or []),
            )
        )
    return rows
