"""Program figures for a period: adoption, activity, clicks and earned media value.

Queries stay portable (plain SELECT / GROUP BY on columns); anything date-shaped — days, ISO weeks —
is bucketed in Python, so SQLite and PostgreSQL give the same answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import fn

from server.errors import APIError
from server.models import (
    NETWORKS,
    Campaign,
    Click,
    Membership,
    Share,
    Snippet,
    Team,
    TrackedLink,
    User,
)
from server.settings import get_setting

DEFAULT_DAYS = 28
MAX_DAYS = 731  # two years: beyond that the per-day series stops being readable
TOP_N = 10

# Referrer hosts that tell which network a click came from; anything else falls back (see below).
_REFERRER_NETWORK = {
    "linkedin.com": "linkedin",
    "www.linkedin.com": "linkedin",
    "lnkd.in": "linkedin",
    "t.co": "x",
    "x.com": "x",
    "twitter.com": "x",
    "mobile.twitter.com": "x",
}


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def lower(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def upper(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def parse_period(raw_from: str | None, raw_to: str | None, today: date | None = None) -> Period:
    """`from`/`to` as YYYY-MM-DD (UTC days, both inclusive); default: the last 28 days up to today."""
    today = today or datetime.utcnow().date()

    def parse(value: str | None, name: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise APIError(
                "invalid_period", f"`{name}` must be a date like 2025-01-31.", 422, {"field": name}
            ) from None

    end = parse(raw_to, "to") or today
    start = parse(raw_from, "from") or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise APIError("invalid_period", "`from` must not be after `to`.", 422, {"field": "from"})
    if (end - start).days + 1 > MAX_DAYS:
        raise APIError(
            "invalid_period", f"A period spans at most {MAX_DAYS} days.", 422, {"field": "from"}
        )
    return Period(start, end)


def emv_rates() -> dict[str, dict[str, float]]:
    """Rates per network with every key present, whatever an admin saved."""
    saved = get_setting("emv_rates") or {}
    defaults = {"cpm": 0.0, "cpc": 0.0, "avg_audience": 0}
    return {n: {**defaults, **(saved.get(n) or {})} for n in NETWORKS}


def emv_for(
    network_shares: dict[str, list[int | None]],
    network_clicks: dict[str, int],
    rates: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """EMV = CPM * estimated_impressions / 1000 + CPC * clicks, per network.

    `network_shares[network]` holds one entry per share: the sharer's own follower count when they
    entered one, else None — then the network's average audience stands in for it.
    """
    by_network = {}
    total = 0.0
    for network in NETWORKS:
        rate = rates[network]
        audiences = network_shares.get(network, [])
        impressions = sum(a if a is not None else int(rate["avg_audience"]) for a in audiences)
        clicks = int(network_clicks.get(network, 0))
        value = float(rate["cpm"]) * impressions / 1000 + float(rate["cpc"]) * clicks
        value = round(value, 2)
        total += value
        by_network[network] = {
            "shares": len(audiences),
            "estimated_impressions": impressions,
            "clicks": clicks,
            "cpm": float(rate["cpm"]),
            "cpc": float(rate["cpc"]),
            "avg_audience": int(rate["avg_audience"]),
            "value": value,
        }
    return {
        "estimate": True,
        "currency": get_setting("emv_currency") or "USD",
        "formula": "CPM * estimated_impressions / 1000 + CPC * clicks",
        "total": round(total, 2),
        "by_network": by_network,
    }


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday


def counted_shares(period: Period):
    """Shares of the period that count: suspect (forged) events are stored but count nowhere
    (server.share_validation)."""
    return (
        (Share.shared_at >= period.lower)
        & (Share.shared_at < period.upper)
        & Share.suspect_reason.is_null()
    )


def leaderboard_rank(period: Period, user_id: int) -> int | None:
    """Where the employee stands on the dashboard's leaderboard for the period, if listed."""
    for row in _leaderboard(counted_shares(period), Counter()):
        if row["user_id"] == user_id:
            return row["rank"]
    return None


def summary(period: Period) -> dict[str, Any]:
    """Everything the dashboard shows, as plain JSON-ready data (schema: analytics/summary)."""
    in_period = counted_shares(period)

    # One narrow pass over the period's shares; days and weeks are bucketed here, not in SQL.
    share_rows = list(
        Share.select(Share.user, Share.network, Share.snippet, Share.shared_at, User.follower_count)
        .join(User)
        .where(in_period)
        .tuples()
    )
    per_day: dict[date, Counter] = defaultdict(Counter)
    weekly: dict[date, set[int]] = defaultdict(set)
    audiences: dict[str, list[int | None]] = defaultdict(list)
    sharers: set[int] = set()
    shares_by_user_snippet_network: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for user_id, network, snippet_id, shared_at, followers in share_rows:
        day = shared_at.date()
        per_day[day][network] += 1
        weekly[_week_start(day)].add(user_id)
        audiences[network].append(followers)
        sharers.add(user_id)
        if snippet_id is not None:
            shares_by_user_snippet_network[(user_id, snippet_id)][network] += 1

    shares_per_day = []
    for day in period.each_day():
        counts = per_day.get(day, Counter())
        row = {"date": day.isoformat(), **{n: counts.get(n, 0) for n in NETWORKS}}
        row["total"] = sum(counts.get(n, 0) for n in NETWORKS)
        shares_per_day.append(row)

    weeks = []
    week = _week_start(period.start)
    while week <= period.end:
        weeks.append({"week_start": week.isoformat(), "sharers": len(weekly.get(week, set()))})
        week += timedelta(days=7)

    # Clicks are real; each is put on a network by its referrer, else by where that employee
    # shared that snippet (most shares wins), else it stays unattributed and earns no EMV.
    # Bot/preview fetches and a visitor's repeats are stored but never counted (server.tracked_links).
    click_rows = list(
        Click.select(
            Click.at,
            Click.referrer_host,
            TrackedLink.user,
            TrackedLink.snippet,
            Click.bot,
            Click.repeat,
        )
        .join(TrackedLink)
        .where((Click.at >= period.lower) & (Click.at < period.upper))
        .tuples()
    )
    clicks_per_day: Counter = Counter()
    clicks_by_network: Counter = Counter()
    clicks_by_snippet: Counter = Counter()
    clicks_by_user: Counter = Counter()
    bots = repeats = counted = 0
    for at, referrer, user_id, snippet_id, bot, repeat in click_rows:
        if bot:
            bots += 1
            continue
        if repeat:
            repeats += 1
            continue
        counted += 1
        clicks_per_day[at.date()] += 1
        clicks_by_snippet[snippet_id] += 1
        clicks_by_user[user_id] += 1
        clicks_by_network[
            _click_network(referrer, shares_by_user_snippet_network.get((user_id, snippet_id)))
        ] += 1

    counts_by_network = {n: len(audiences.get(n, [])) for n in NETWORKS}

    return {
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
        },
        "funnel": _funnel(period, len(sharers)),
        "weekly_active_sharers": weeks,
        "shares": {
            "total": len(share_rows),
            "by_network": counts_by_network,
            "per_day": shares_per_day,
        },
        "clicks": {
            "total": counted,
            "bots": bots,
            "repeats": repeats,
            "by_network": {n: clicks_by_network.get(n, 0) for n in NETWORKS},
            "unattributed": clicks_by_network.get("unattributed", 0),
            "per_day": [
                {"date": d.isoformat(), "clicks": clicks_per_day.get(d, 0)}
                for d in period.each_day()
            ],
        },
        "emv": emv_for(audiences, clicks_by_network, emv_rates()),
        "top_content": _top_content(in_period, clicks_by_snippet),
        "top_teams": _top_teams(in_period),
        "leaderboard": _leaderboard(in_period, clicks_by_user),
    }


def _click_network(referrer: str | None, shared_on: Counter | None) -> str:
    host = (referrer or "").lower().strip()
    if host in _REFERRER_NETWORK:
        return _REFERRER_NETWORK[host]
    if shared_on:
        # Most shares wins; NETWORKS order breaks ties so the answer never depends on dict order.
        return max(NETWORKS, key=lambda n: (shared_on.get(n, 0), -NETWORKS.index(n)))
    return "unattributed"


def _funnel(period: Period, shared: int) -> dict[str, int]:
    """Invited: accounts that existed by the period's end (every account starts as an invitation).

    Joined: of those, who had set a password by then. Shared: who shared at least once in the period.
    """
    invited = User.select().where(User.created_at < period.upper).count()
    joined = (
        User.select()
        .where(
            (User.created_at < period.upper)
            & User.joined_at.is_null(False)
            & (User.joined_at < period.upper)
        )
        .count()
    )
    return {"invited": invited, "joined": joined, "shared": shared}


def _top_content(in_period, clicks_by_snippet: Counter) -> list[dict[str, Any]]:
    count = fn.COUNT(Share.id)
    rows = (
        Snippet.select(
            Snippet.id,
            Snippet.title,
            count.alias("n"),
            fn.COUNT(Share.user.distinct()).alias("people"),
        )
        .join(Share)
        .where(in_period)
        .group_by(Snippet.id, Snippet.title)
        .order_by(count.desc(), Snippet.id)
        .limit(TOP_N)
        .tuples()
    )
    return [
        {
            "snippet_id": sid,
            "title": title,
            "shares": n,
            "sharers": people,
            "clicks": clicks_by_snippet.get(sid, 0),
        }
        for sid, title, n, people in rows
    ]


def _top_teams(in_period) -> list[dict[str, Any]]:
    """Shares by members of each team (someone in two teams counts for both)."""
    count = fn.COUNT(Share.id)
    rows = (
        Team.select(
            Team.id, Team.name, count.alias("n"), fn.COUNT(Share.user.distinct()).alias("people")
        )
        .join(Membership)
        .join(Share, on=(Share.user == Membership.user))
        .where(in_period)
        .group_by(Team.id, Team.name)
        .order_by(count.desc(), Team.name)
        .limit(TOP_N)
        .tuples()
    )
    return [
        {"team_id": tid, "name": name, "shares": n, "sharers": people}
        for tid, name, n, people in rows
    ]


def _leaderboard(in_period, clicks_by_user: Counter) -> list[dict[str, Any]]:
    """Only employees who opted in ever appear here — never anyone else, whatever their numbers."""
    count = fn.COUNT(Share.id)
    rows = (
        User.select(User.id, User.name, count.alias("n"))
        .join(Share)
        .where(in_period & (User.leaderboard_opt_in == True) & (User.status != "disabled"))  # noqa: E712
        .group_by(User.id, User.name)
        .order_by(count.desc(), User.name)
        .limit(TOP_N)
        .tuples()
    )
    return [
        {"rank": i, "user_id": uid, "name": name, "shares": n, "clicks": clicks_by_user.get(uid, 0)}
        for i, (uid, name, n) in enumerate(rows, start=1)
    ]


def campaign_figures(period: Period) -> dict[str, Any]:
    """Per campaign, for the period: shares, distinct sharers, clicks and EMV, by network
    (schema: analytics/campaigns). Counted exactly as the dashboard counts: suspect shares, bot
    or preview fetches and a visitor's repeats are left out, and a click goes on a network by its
    referrer, else by where that employee shared that snippet. Every campaign is listed, busiest
    first, so a campaign nobody shared shows as such."""

    share_rows = (
        Share.select(
            Snippet.campaign, Share.user, Share.network, Share.snippet, User.follower_count
        )
        .join(User)
        .switch(Share)
        .join(Snippet)
        .where(counted_shares(period) & Snippet.campaign.is_null(False))
        .tuples()
    )
    audiences: dict[int, dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    sharers: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    shared_on: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for campaign_id, user_id, network, snippet_id, followers in share_rows:
        audiences[campaign_id][network].append(followers)
        sharers[campaign_id][network].add(user_id)
        shared_on[(user_id, snippet_id)][network] += 1

    click_rows = (
        Click.select(
            Snippet.campaign,
            Click.referrer_host,
            TrackedLink.user,
            TrackedLink.snippet,
            Click.bot,
            Click.repeat,
        )
        .join(TrackedLink)
        .join(Snippet)
        .where(
            (Click.at >= period.lower) & (Click.at < period.upper) & Snippet.campaign.is_null(False)
        )
        .tuples()
    )
    clicks: dict[int, Counter] = defaultdict(Counter)
    bots: Counter = Counter()
    for campaign_id, referrer, user_id, snippet_id, bot, repeat in click_rows:
        if bot:
            bots[campaign_id] += 1
            continue
        if repeat:
            continue
        clicks[campaign_id][_click_network(referrer, shared_on.get((user_id, snippet_id)))] += 1

    rates = emv_rates()
    items = []
    for campaign in Campaign.select().order_by(Campaign.name):
        cid = campaign.id
        by_network_sharers = {n: len(sharers[cid][n]) for n in NETWORKS}
        emv = emv_for(audiences[cid], clicks[cid], rates)
        counted_clicks = clicks[cid]
        items.append(
            {
                "campaign": {
                    "id": cid,
                    "name": campaign.name,
                    "hashtag": "#" + campaign.hashtag.lstrip("#") if campaign.hashtag else None,
                },
                "shares": {
                    "total": sum(len(audiences[cid][n]) for n in NETWORKS),
                    "by_network": {n: len(audiences[cid][n]) for n in NETWORKS},
                },
                "sharers": {
                    "total": len(set().union(*sharers[cid].values())) if sharers[cid] else 0,
                    "by_network": by_network_sharers,
                },
                "clicks": {
                    "total": sum(counted_clicks.values()),
                    "by_network": {n: counted_clicks.get(n, 0) for n in NETWORKS},
                    "unattributed": counted_clicks.get("unattributed", 0),
                    "bots": bots.get(cid, 0),
                },
                "emv": {
                    "total": emv["total"],
                    "by_network": {n: emv["by_network"][n]["value"] for n in NETWORKS},
                },
            }
        )
    items.sort(key=lambda item: (-item["shares"]["total"], -item["clicks"]["total"]))
    return {
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
        },
        "currency": get_setting("emv_currency") or "USD",
        "items": items,
    }
