"""Who has shared each snippet: the "colleagues already shared it" count, kept in each worker's memory.

Counting distinct sharers of a page of snippets was the costliest query of a suggestions request,
and its answer changes only when a share arrives, which is rare next to how often panels poll. So
each worker keeps the set of sharers per snippet it has shown and catches up with an index range
scan on the share table's primary key (new ids only, usually none). Shares are only ever added
(they leave with a deleted account); the live set that holds this cache is rebuilt at least every
minute (server.suggestion_index), which also bounds how long such a removal can go unseen.

Ids do not always commit in order: on PostgreSQL two requests (perhaps on two nodes) take ids 10
and 11, and 11 may commit first. Catching up past 11 would skip 10 for good, so the ids missing
below the newest one applied are remembered as gaps and looked up again on later requests, for
GAP_WAIT_SECONDS (a share's insert commits within milliseconds of taking its id; a gap still
open by then was a rolled-back or conflicting insert, which PostgreSQL's sequences skip).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

from server.models import Share
from server.raw_sql import column, placeholders, table

# More new shares than this since the last request: start over rather than replay them.
CATCH_UP_LIMIT = 1000
# Snippets whose sharers a worker keeps; past it the cache starts over.
MAX_SNIPPETS = 4096
# How long a missing id is looked for, and how many are remembered at most.
GAP_WAIT_SECONDS = 10.0
MAX_GAPS = 1000


@dataclass
class Sharers:
    seen_up_to: int  # the highest share id applied
    by_snippet: dict[int, set[int]] = field(default_factory=dict)
    newest: int | None = None  # the newest share id stored, when the caller knows it
    gaps: dict[int, float] = field(default_factory=dict)  # id not seen yet -> when first missed

    def note_newest(self, share_id: int) -> None:
        """Told each request (server.suggestion_index reads it with its stamp): when nothing is
        newer than what was applied, catching up needs no query."""
        self.newest = share_id

    def colleagues(self, snippet_id: int, user_id: int) -> int:
        """How many people other than `user_id` shared the snippet."""
        people = self.by_snippet.get(snippet_id, ())
        return len(people) - (user_id in people)


@functools.cache
def _newest_sql() -> str:
    return f"SELECT MAX({column(Share.id)}) FROM {table(Share)}"


def _share_rows() -> str:
    """What catching up reads of each share (id, snippet, user, suspect_reason)."""
    return (
        f"SELECT {column(Share.id)}, {column(Share.snippet)}, {column(Share.user)}, "
        f"{column(Share.suspect_reason)} FROM {table(Share)}"
    )


@functools.cache
def _since_sql(param: str) -> str:
    return (
        f"{_share_rows()} "
        f"WHERE {column(Share.id)} > {param} ORDER BY {column(Share.id)} LIMIT {param}"
    )


@functools.lru_cache(maxsize=64)
def _by_ids_sql(count: int, param: str) -> str:
    return f"{_share_rows()} WHERE {column(Share.id)} IN ({placeholders(count, param)})"


@functools.lru_cache(maxsize=256)
def _of_snippets_sql(count: int, param: str) -> str:
    marks = placeholders(count, param)
    return (
        f"SELECT DISTINCT {column(Share.snippet)}, {column(Share.user)} FROM {table(Share)} "
        f"WHERE {column(Share.snippet)} IN ({marks}) AND {column(Share.suspect_reason)} IS NULL"
    )


def start(db) -> Sharers:
    (newest,) = db.execute_sql(_newest_sql()).fetchone()
    return Sharers(seen_up_to=newest or 0)


def update(sharers: Sharers, db, snippet_ids: list[int]) -> None:
    """Apply shares stored since the last call, then load the snippets not yet known."""
    if sharers.newest is not None and sharers.newest <= sharers.seen_up_to:
        rows = []
    else:
        rows = db.execute_sql(
            _since_sql(db.param), (sharers.seen_up_to, CATCH_UP_LIMIT + 1)
        ).fetchall()
    if sharers.gaps:
        rows = _fill_gaps(sharers, db) + rows
    if len(rows) > CATCH_UP_LIMIT:
        sharers.by_snippet.clear()
        sharers.gaps.clear()
        (newest,) = db.execute_sql(_newest_sql()).fetchone()
        sharers.seen_up_to = newest or 0
    elif rows:
        known = sharers.by_snippet
        for _id, snippet_id, user_id, suspect in rows:
            if snippet_id in known and suspect is None:  # forged shares count for no one
                known[snippet_id].add(user_id)
        _note_gaps(sharers, [row[0] for row in rows if row[0] > sharers.seen_up_to])
        # Other threads of this worker may have caught up further meanwhile: never go back.
        sharers.seen_up_to = max(sharers.seen_up_to, max(row[0] for row in rows))
    missing = [sid for sid in snippet_ids if sid not in sharers.by_snippet]
    if not missing:
        return
    if len(sharers.by_snippet) + len(missing) > MAX_SNIPPETS:
        sharers.by_snippet.clear()
    loaded: dict[int, set[int]] = {sid: set() for sid in missing}
    for snippet_id, user_id in db.execute_sql(_of_snippets_sql(len(missing), db.param), missing):
        loaded[snippet_id].add(user_id)
    sharers.by_snippet.update(loaded)


def _note_gaps(sharers: Sharers, new_ids: list[int]) -> None:
    """Remember the ids between the last one applied and the newest that did not come."""
    if not new_ids:
        return
    present = set(new_ids)
    missing = [i for i in range(sharers.seen_up_to + 1, max(new_ids)) if i not in present]
    if len(sharers.gaps) + len(missing) > MAX_GAPS:
        return  # a burst of rolled-back inserts: leave it to the live set's rebuild
    now = time.monotonic()
    for share_id in missing:
        sharers.gaps.setdefault(share_id, now)


def _fill_gaps(sharers: Sharers, db) -> list[tuple]:
    """Shares that have committed since their ids were missed; forget gaps too old to fill."""
    now = time.monotonic()
    for share_id, since in list(sharers.gaps.items()):
        if now - since > GAP_WAIT_SECONDS:
            del sharers.gaps[share_id]
    if not sharers.gaps:
        return []
    ids = sorted(sharers.gaps)
    rows = db.execute_sql(_by_ids_sql(len(ids), db.param), ids).fetchall()
    for row in rows:
        sharers.gaps.pop(row[0], None)
    return rows
