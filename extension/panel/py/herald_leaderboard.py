"""The recognition leaderboard (GET /api/v1/recognition/leaderboard) and the panel's standing line,
as plain text rows: no DOM here, so CPython tests read exactly what the pages show.

Only people who opted in are ever in the server's answer; someone who did not opt in gets no
entries, and these functions then show nothing but the invitation to turn recognition on.
"""

PERIODS = ("week", "month", "all")


def rows(data, strings):
    """[(place, name, points, is_you)] in the server's order."""
    out = []
    for entry in (data or {}).get("entries") or []:
        name = str(entry.get("name") or "")
        if entry.get("you"):
            name = name + " " + strings.get("leaderboard_you")
        out.append(
            (
                strings.number(entry.get("rank") or 0),
                name,
                strings.number(entry.get("points") or 0),
                bool(entry.get("you")),
            )
        )
    return out


def me_line(data, strings):
    me = (data or {}).get("me") or {}
    if not me.get("rank"):
        return strings.get("leaderboard_me_none")
    return strings.get(
        "leaderboard_me", rank=strings.number(me["rank"]), points=strings.number(me["points"])
    )


def points_rule(data, strings):
    per = (data or {}).get("points_per") or {}
    return strings.get(
        "recognition_points_rule",
        share=strings.number(per.get("share", 0)),
        click=strings.number(per.get("click", 0)),
        proposal=strings.number(per.get("accepted_proposal", 0)),
    )


def standing_line(standing, strings):
    """The panel's line for this week, or None (not opted in, or not known yet): then nothing shows."""
    if not isinstance(standing, dict) or not standing.get("opted_in"):
        return None
    week = (standing.get("periods") or {}).get("week") or {}
    if not week.get("rank"):
        return strings.get("panel_standing_none")
    return strings.get(
        "panel_standing",
        rank=strings.number(week["rank"]),
        points=strings.number(week.get("points") or 0),
    )
