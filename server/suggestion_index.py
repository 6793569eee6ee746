"""Which approved snippets are live right now, per network, kept in each worker's memory.

Counting and ordering the live set in SQL costs tens of milliseconds at 100k snippets, on every
poll of every open composer. The live set changes rarely, so each worker keeps it sorted
newest-first, split into "for everyone" and "per target team", and rebuilds it when

* any snippet changed (a one-row stamp query: the change token that every create, edit,
  transition and delete in server.snippets replaces in its own transaction, and so does editing a
  campaign, whose name and hashtag suggestions show; plus MAX(updated_at) and MAX(id), indexed,
  for rows written some other way). The token lives in the database, so a change made through
  any worker of any node is seen by the next request on every other one,
* a schedule boundary passes (the next start or expiry among the snippets it holds, or the next
  start or end of a campaign: snippets of a campaign outside its window are not suggested), or
* STALE_AFTER seconds passed anyway (a safety net for changes made outside server.snippets).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from peewee import fn

from server import sharers
from server.models import Campaign, Membership, Setting, Share, Snippet, SnippetTeam, SnippetVariant
from server.raw_sql import as_datetime, column, table
from server.sharers import Sharers
from server.snippets import CHANGE_KEY
from server.suggestion_items import CachedItem

STALE_AFTER = timedelta(seconds=60)
_OLDEST = datetime.min

# One live snippet: sort key first, so sorting in reverse puts must-see snippets first (pinned on
# top for their targets), then the newest.
Entry = tuple[bool, datetime, int, int | None]  # (must_see, approved_at, id, campaign_id)
ID, CAMPAIGN, APPROVED = 2, 3, 1


@dataclass
class LiveSet:
    stamp: tuple
    valid_until: datetime
    everyone: list[Entry] = field(default_factory=list)
    by_team: dict[int, list[Entry]] = field(default_factory=dict)
    # Encoded suggestions (server.suggestion_items), valid exactly as long as this live set.
    items: dict[int, CachedItem] = field(default_factory=dict)
    # (everyone, by_team) narrowed to one campaign, made on first use.
    campaigns: dict[int, tuple[list[Entry], dict[int, list[Entry]]]] = field(default_factory=dict)
    # Snippets aimed at any of several teams, per (teams, campaign): counted once per live set.
    shared_totals: dict[tuple, int] = field(default_factory=dict)
    # Who shared what (server.sharers), started afresh with each live set.
    sharers: Sharers = field(default_factory=lambda: Sharers(seen_up_to=0))


def stamps() -> tuple[tuple, int]:
    """(a stamp that changes whenever a snippet is created or edited, the newest share's id).

    Three index lookups in one statement, SQL built once; the share id tells server.sharers
    whether there is anything to catch up with.
    """
    db = Snippet._meta.database
    token, updated, newest_snippet, newest_share = db.execute_sql(_stamps_sql()).fetchone()
    return (token, updated, newest_snippet), newest_share or 0


def stamps_and_teams(user_id: int) -> tuple[tuple[tuple, int], list[int]]:
    """(stamps() as above, the ids of the person's teams) in one round trip: on PostgreSQL each
    statement is a trip to another process, and a suggestions request needs both."""
    db = Snippet._meta.database
    rows = db.execute_sql(_stamps_and_teams_sql(db.param), (user_id,)).fetchall()
    token, updated, newest_snippet, newest_share, _ = rows[0]
    teams = [row[4] for row in rows if row[4] is not None]
    return ((token, updated, newest_snippet), newest_share or 0), teams


@functools.cache
def _stamps_and_teams_sql(param: str) -> str:
    """The stamps row, repeated once per membership (LEFT JOIN: once with NULL for nobody's)."""
    named = ", ".join(f"{part} AS c{i}" for i, part in enumerate(_stamp_parts()))
    return (
        f"SELECT s.c0, s.c1, s.c2, s.c3, {column(Membership.team, 'm')} FROM (SELECT {named}) s "
        f"LEFT JOIN {table(Membership)} m ON {column(Membership.user, 'm')} = {param}"
    )


@functools.cache
def _stamps_sql() -> str:
    return "SELECT " + ", ".join(_stamp_parts())


def _stamp_parts() -> list[str]:
    """Change token, newest updated_at, newest snippet id, newest share id: index lookups."""
    snippets = table(Snippet)
    key = CHANGE_KEY.replace("'", "''")
    return [
        f"(SELECT {column(Setting.value)} FROM {table(Setting)} WHERE {column(Setting.key)} = '{key}')",
        f"(SELECT MAX({column(Snippet.updated_at)}) FROM {snippets})",
        f"(SELECT MAX({column(Snippet.id)}) FROM {snippets})",
        f"(SELECT MAX({column(Share.id)}) FROM {table(Share)})",
    ]


@functools.cache
def _live_sql(param: str) -> tuple[str, str]:
    """(live snippets, their target teams): plain SQL built once; peewee rows cost too much here."""
    live = (
        f"{column(Snippet.status, 's')} = {param} AND {column(Snippet.starts_at, 's')} <= {param} "
        f"AND {column(Snippet.expires_at, 's')} > {param} "
        f"AND ({column(Snippet.campaign, 's')} IS NULL OR EXISTS (SELECT 1 FROM {table(Campaign)} c "
        f"WHERE {column(Campaign.id, 'c')} = {column(Snippet.campaign, 's')} "
        f"AND ({column(Campaign.starts_at, 'c')} IS NULL OR {column(Campaign.starts_at, 'c')} <= {param}) "
        f"AND ({column(Campaign.ends_at, 'c')} IS NULL OR {column(Campaign.ends_at, 'c')} > {param}))) "
        f"AND EXISTS (SELECT 1 FROM {table(SnippetVariant)} v "
        f"WHERE {column(SnippetVariant.snippet, 'v')} = {column(Snippet.id, 's')} "
        f"AND {column(SnippetVariant.network, 'v')} = {param})"
    )
    snippets = (
        f"SELECT {column(Snippet.id, 's')}, {column(Snippet.approved_at, 's')}, "
        f"{column(Snippet.starts_at, 's')}, {column(Snippet.campaign, 's')}, "
        f"{column(Snippet.targeted, 's')}, {column(Snippet.expires_at, 's')}, "
        f"{column(Snippet.featured, 's')} "
        f"FROM {table(Snippet)} s WHERE {live}"
    )
    teams = (
        f"SELECT {column(SnippetTeam.snippet, 'st')}, {column(SnippetTeam.team, 'st')} "
        f"FROM {table(SnippetTeam)} st JOIN {table(Snippet)} s "
        f"ON {column(Snippet.id, 's')} = {column(SnippetTeam.snippet, 'st')} WHERE {live}"
    )
    return snippets, teams


def build(network: str, now: datetime, current_stamp: tuple) -> LiveSet:
    db = Snippet._meta.database
    snippets_sql, teams_sql = _live_sql(db.param)
    moment = Snippet.starts_at.db_value(now)
    params = ("approved", moment, moment, moment, moment, network)
    everyone: list[Entry] = []
    targeted: dict[int, Entry] = {}
    soonest_expiry = None
    for (
        sid,
        approved_at,
        starts_at,
        campaign_id,
        is_targeted,
        expires_at,
        must_see,
    ) in db.execute_sql(snippets_sql, params):
        entry = (bool(must_see), as_datetime(approved_at or starts_at) or _OLDEST, sid, campaign_id)
        if is_targeted:
            targeted[sid] = entry
        else:
            everyone.append(entry)
        if soonest_expiry is None or expires_at < soonest_expiry:
            soonest_expiry = expires_at
    by_team: dict[int, list[Entry]] = defaultdict(list)
    if targeted:
        for sid, team_id in db.execute_sql(teams_sql, params):
            if sid in targeted:
                by_team[team_id].append(targeted[sid])
    upcoming = (
        Snippet.select(fn.MIN(Snippet.starts_at))
        .where(Snippet.status == "approved", Snippet.starts_at > now, Snippet.expires_at > now)
        .scalar()
    )
    next_change = now + STALE_AFTER
    for boundary in (as_datetime(soonest_expiry), upcoming, *campaign_boundaries(now)):
        if boundary is not None:
            next_change = min(next_change, boundary)
    everyone.sort(reverse=True)
    for entries in by_team.values():
        entries.sort(reverse=True)
    return LiveSet(current_stamp, next_change, everyone, dict(by_team), sharers=sharers.start(db))


def campaign_boundaries(now: datetime) -> tuple[datetime | None, datetime | None]:
    """(the next campaign start, the next campaign end) after `now`: the live set changes there."""
    return (
        Campaign.select(fn.MIN(Campaign.starts_at)).where(Campaign.starts_at > now).scalar(),
        Campaign.select(fn.MIN(Campaign.ends_at)).where(Campaign.ends_at > now).scalar(),
    )


def live_set(network: str, now: datetime, stamped: tuple[tuple, int] | None = None) -> LiveSet:
    """This worker's live set, rebuilt when stale; `stamped`: stamps() already read."""
    cache: dict[str, LiveSet] = current_app.extensions.setdefault("herald_live_sets", {})
    current, newest_share = stamps() if stamped is None else stamped
    found = cache.get(network)
    if found is None or found.stamp != current or now >= found.valid_until:
        found = cache[network] = build(network, now, current)
    found.sharers.note_newest(newest_share)
    return found


def page_for(
    live: LiveSet,
    team_ids: list[int],
    page: int,
    per_page: int,
    campaign: int | None = None,
) -> tuple[list[int], int, datetime | None]:
    """(ids on this page newest first, total, newest approved_at) for someone in `team_ids`."""
    everyone, by_team = (
        (live.everyone, live.by_team) if campaign is None else _of_campaign(live, campaign)
    )
    mine = sorted(t for t in team_ids if t in by_team)
    teams = [by_team[t] for t in mine]
    lists = [entries for entries in (everyone, *teams) if entries]
    if len(teams) <= 1:  # "everyone" holds untargeted snippets only: it never overlaps a team's
        total = sum(map(len, lists))
    else:  # a snippet aimed at two of the person's teams is in both their lists
        key = (tuple(mine), campaign)
        targeted = live.shared_totals.get(key)
        if targeted is None:
            if len(live.shared_totals) >= 1024:
                live.shared_totals.clear()
            targeted = live.shared_totals[key] = len({e[ID] for entries in teams for e in entries})
        total = len(everyone) + targeted
    # The page's entries are among the first `end` of each list: sort just those heads.
    start, end = (page - 1) * per_page, page * per_page
    heads: list[Entry] = []
    for entries in lists:
        heads.extend(entries[:end])
    heads.sort(reverse=True)
    if len(teams) > 1:  # a snippet aimed at several of my teams: the same entry, kept once
        heads = list(dict.fromkeys(heads))
    ids = [e[ID] for e in heads[start:end]]
    # Must-see snippets are pinned above newer ones: the newest is not necessarily the first.
    latest = max((e[APPROVED] for e in heads), default=None)
    return ids, total, (None if latest is _OLDEST else latest)


def _of_campaign(live: LiveSet, campaign: int) -> tuple[list[Entry], dict[int, list[Entry]]]:
    found = live.campaigns.get(campaign)
    if found is None:
        if len(live.campaigns) >= 256:  # ids come from the query string: keep this bounded
            live.campaigns.clear()
        found = live.campaigns[campaign] = (
            [e for e in live.everyone if e[CAMPAIGN] == campaign],
            {
                team: narrowed
                for team, entries in live.by_team.items()
                if (narrowed := [e for e in entries if e[CAMPAIGN] == campaign])
            },
        )
    return found
