"""Site health: what the extension's counters say about each site's composers (issue 13 §3).

The extension counts, per hour, site and adapter version, how often a composer opened (and whether the adapter's
selectors or the generic fallback matched it), how often the employee asked for Herald and no composer was found,
how often an insert did not land, and whether Post was seen. Those counts arrive in batches (POST
/api/v1/health-reports) and are summed here into hourly buckets; nothing says who sent them, and no text or URL
can be stored (the schema has no field for either).

Why this matters: LinkedIn and X change their markup without notice; when a selector stops matching, the counts of
"not found" and "insert failed" go up within the hour, and the console turns the site red (and alerts admins,
server.health_alerts) long before anyone files a ticket.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import EXCLUDED, IntegrityError, fn

from server.db import db
from server.models import HealthBatch, HealthCount, utcnow
from server.settings import get_setting

COUNTERS = (
    "composer_opened",
    "matched_adapter",
    "matched_fallback",
    "composer_not_found",
    "insert_failed",
    "post_detected",
    "post_not_detected",
)
# The two counters that say Herald failed the employee: they turn a site red.
PROBLEMS = ("composer_not_found", "insert_failed")
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
KEY = ("hour", "site", "adapter_version", "extension_version", "counter")


def hour_of(value: datetime) -> datetime:
    return value.replace(minute=0, second=0, microsecond=0)


def _parse_hour(text: str, now: datetime) -> datetime:
    """The schema guarantees `YYYY-MM-DDTHH:00:00Z`; an hour ahead of the server's clock (a browser
    whose clock runs fast) is counted in the current hour rather than lost."""
    hour = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return min(hour, hour_of(now))


def hour_problems(report: dict) -> list[dict]:
    """Hours that match the schema's pattern but name no real time ("2026-13-45T10:00:00Z"): the pattern cannot
    say which months have 31 days, and the format check is not guaranteed to run."""
    problems = []
    for i, item in enumerate(report["counts"]):
        try:
            datetime.strptime(item["hour"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            problems.append({"path": f"/counts/{i}/hour", "message": "not a real UTC hour"})
    return problems


def record(report: dict, now: datetime | None = None) -> str:
    """Count a validated report once: "created", or "duplicate" when its batch id was counted before.

    The batch row and the counts are written in one transaction, so a batch is either wholly counted (and its id
    remembered) or not at all; the extension resends it until it hears either answer."""
    now = now or utcnow()
    summed: dict[tuple, int] = defaultdict(int)
    for item in report["counts"]:
        key = (
            _parse_hour(item["hour"], now),
            item["site"],
            item["adapter_version"],
            report["extension_version"],
            item["counter"],
        )
        summed[key] += item["count"]  # one row per key: PostgreSQL refuses to update a row twice
    rows = [dict(zip(KEY, key, strict=True), count=n) for key, n in summed.items()]
    try:
        with db.atomic():
            HealthBatch.insert(batch_id=report["batch_id"], received_at=now).execute()
            (
                HealthCount.insert_many(rows)
                .on_conflict(
                    conflict_target=[getattr(HealthCount, k) for k in KEY],
                    update={HealthCount.count: HealthCount.count + EXCLUDED.count},
                )
                .execute()
            )
    except IntegrityError:
        if HealthBatch.get_or_none(HealthBatch.batch_id == report["batch_id"]) is not None:
            return "duplicate"
        raise
    return "created"


@dataclass
class Thresholds:
    """A site is red when "not found" or "insert failed" reaches `rate` % of composer opens (plus not-found
    asks) and happened at least `min_count` times: one failure on a quiet day is not an outage."""

    rate: float
    min_count: int


def thresholds() -> Thresholds:
    return Thresholds(
        rate=float(get_setting("health_red_rate")), min_count=int(get_setting("health_min_count"))
    )


@dataclass
class Tally:
    """Counter totals for one site (or one version pair of a site) over one window."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    @property
    def attempts(self) -> int:
        """Every time a composer was there to work with, or should have been."""
        return self.counts["composer_opened"] + self.counts["composer_not_found"]

    def rate(self, counter: str) -> float | None:
        """`counter` as a percentage of attempts (None with no attempt at all)."""
        return None if not self.attempts else 100.0 * self.counts[counter] / self.attempts

    def red_by(self, limits: Thresholds) -> list[str]:
        """The problem counters over the threshold (empty: green)."""
        return [
            c
            for c in PROBLEMS
            if self.counts[c] >= limits.min_count and (self.rate(c) or 0.0) >= limits.rate
        ]


@dataclass
class Reason:
    """Why a site is red: a problem counter over the threshold, for the whole site (`extension` None) or for one
    extension and adapter version (a broken new adapter shows before it drowns in the site's total)."""

    counter: str
    count: int
    rate: float
    extension: str | None = None
    adapter: int | None = None


@dataclass
class SiteWindow:
    site: str
    total: Tally
    # (extension version, adapter version, tally), newest first
    versions: list[tuple[str, int, Tally]]
    reasons: list[Reason]

    @property
    def red(self) -> bool:
        return bool(self.reasons)

    @property
    def red_by(self) -> list[str]:
        return [c for c in PROBLEMS if any(r.counter == c for r in self.reasons)]


def _reasons(
    total: Tally, versions: list[tuple[str, int, Tally]], limits: Thresholds
) -> list[Reason]:
    """The site's own reasons first; a version's only for a counter the site as a whole is not red by."""
    out = [Reason(c, total.counts[c], total.rate(c) or 0.0) for c in total.red_by(limits)]
    for ext, adapter, tally in versions:
        for c in tally.red_by(limits):
            if c not in total.red_by(limits):
                out.append(Reason(c, tally.counts[c], tally.rate(c) or 0.0, ext, adapter))
    return out


def _version_key(text: str) -> tuple:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def summary(
    window: str, now: datetime | None = None, limits: Thresholds | None = None
) -> list[SiteWindow]:
    """Per site, the counts of the last `window` ("24h", "7d": whole hours, the current one included)."""
    now = now or utcnow()
    limits = limits or thresholds()
    since = hour_of(now) - WINDOWS[window] + timedelta(hours=1)
    query = (
        HealthCount.select(
            HealthCount.site,
            HealthCount.extension_version,
            HealthCount.adapter_version,
            HealthCount.counter,
            fn.SUM(HealthCount.count),
        )
        .where(HealthCount.hour >= since)
        .group_by(
            HealthCount.site,
            HealthCount.extension_version,
            HealthCount.adapter_version,
            HealthCount.counter,
        )
    )
    totals: dict[str, Tally] = defaultdict(Tally)
    versions: dict[str, dict[tuple[str, int], Tally]] = defaultdict(lambda: defaultdict(Tally))
    for site, ext, adapter, counter, n in query.tuples():
        if counter not in COUNTERS:
            continue
        totals[site].counts[counter] += int(n)
        versions[site][(ext, adapter)].counts[counter] += int(n)
    out = []
    for site in sorted(totals):
        rows = sorted(
            versions[site].items(),
            key=lambda kv: (_version_key(kv[0][0]), kv[0][1]),
            reverse=True,
        )
        listed = [(ext, adapter, tally) for (ext, adapter), tally in rows]
        out.append(
            SiteWindow(
                site=site,
                total=totals[site],
                versions=listed,
                reasons=_reasons(totals[site], listed, limits),
            )
        )
    return out


def red_sites(now: datetime | None = None) -> list[SiteWindow]:
    """Sites red over the last 24 hours: what the alert job tells admins about."""
    return [s for s in summary("24h", now) if s.red]
