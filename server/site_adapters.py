"""Site adapters served by the company server: when LinkedIn or X renames a class, an admin uploads
a fixed adapter and every extension uses it at its next check, without a store release.

An adapter is data (shared_schemas/sites/adapter.schema.json): selectors, methods, limits. The
built-in ones ship in the extension (extension/sites/*.json); uploads are kept as versions, one of
them active per network, and rolling back is activating an older one (or none: the built-in one).
Extensions report the versions they run and the served adapters they refused (AdapterReport).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from jsonschema import ValidationError

from server import audit
from server.db import db
from server.errors import APIError
from server.models import NETWORKS, AdapterReport, SiteAdapter, User, utcnow
from server.schemas import errors_for

BUILT_IN_DIR = Path(__file__).resolve().parent.parent / "extension" / "sites"
SCHEMA = "sites/adapter"


@functools.cache
def built_in() -> dict[str, dict]:
    """The adapters the extension ships, by network (read once: they change with a release)."""
    out = {}
    for path in sorted(BUILT_IN_DIR.glob("*.json")):
        adapter = json.loads(path.read_text(encoding="utf-8"))
        out[adapter["network"]] = adapter
    return out


def active() -> dict[str, dict]:
    """What each network uses now: the active upload, else the built-in adapter."""
    out = dict(built_in())
    for row in SiteAdapter.select().where(SiteAdapter.active == True):  # noqa: E712
        out[row.network] = row.body
    return out


def etag_of(sites: dict[str, dict]) -> str:
    """A strong validator: the hash of the canonical JSON (same bytes, same tag)."""
    canonical = json.dumps(sites, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def problems(body: Any, words: Callable[[ValidationError], str] | None = None) -> list[dict]:
    """Every reason `body` cannot be uploaded, as [{path, message}]: the schema's, then the
    version rule (greater than the built-in and every earlier upload for its network, so each
    extension can tell newer from older by the number alone). With `words` (the console's
    server.schema_words.in_words) they are said in the admin's language; without, in the API's
    English."""
    found = errors_for(SCHEMA, body, words)
    if found:
        return found
    network, version = body["network"], body["version"]
    floor = built_in()[network]["version"]
    latest = (
        SiteAdapter.select(SiteAdapter.version)
        .where(SiteAdapter.network == network)
        .order_by(SiteAdapter.version.desc())
        .scalar()
    )
    highest = max(floor, latest or 0)
    if version <= highest:
        if words:
            message = _(
                "Must be greater than %(highest)s, the highest version for %(site)s so far.",
                highest=highest,
                site=built_in()[network]["label"],
            )
        else:
            message = f"must be greater than {highest}, the highest version for {network} so far"
        return [{"path": "/version", "message": message}]
    return []


def upload(actor: User | None, body: Any) -> SiteAdapter:
    """Validate and store a new version, active at once. Raises APIError 422 with every problem."""
    found = problems(body)
    if found:
        raise APIError("validation_failed", "This site adapter cannot be used.", 422, found)
    with db.atomic():
        before = _active_version(body["network"])
        SiteAdapter.update(active=False).where(SiteAdapter.network == body["network"]).execute()
        row = SiteAdapter.create(
            network=body["network"],
            version=body["version"],
            body=body,
            active=True,
            uploaded_by=actor,
        )
        audit.record(
            actor,
            "site_adapter.upload",
            "site_adapter",
            row.id,
            {"network": row.network, "version": before},
            {"network": row.network, "version": row.version},
        )
    return row


def activate(actor: User | None, network: str, version: int | None) -> None:
    """Serve an earlier upload again, or (version None) the built-in adapter."""
    if network not in NETWORKS:
        raise APIError("not_found", "No such network.", 404)
    with db.atomic():
        if version is not None and not (
            SiteAdapter.select()
            .where(SiteAdapter.network == network, SiteAdapter.version == version)
            .exists()
        ):
            raise APIError(
                "not_found", f"No uploaded version {version} of the {network} adapter.", 404
            )
        before = _active_version(network)
        SiteAdapter.update(active=False).where(SiteAdapter.network == network).execute()
        if version is not None:
            SiteAdapter.update(active=True).where(
                SiteAdapter.network == network, SiteAdapter.version == version
            ).execute()
        audit.record(
            actor,
            "site_adapter.activate",
            "site_adapter",
            network,
            {"network": network, "version": before},
            {"network": network, "version": version or built_in()[network]["version"]},
        )


def _active_version(network: str) -> int:
    row = SiteAdapter.get_or_none(SiteAdapter.network == network, SiteAdapter.active == True)  # noqa: E712
    return row.version if row else built_in()[network]["version"]


def history(network: str) -> list[SiteAdapter]:
    """Uploaded versions of a network's adapter, newest first."""
    return list(
        SiteAdapter.select()
        .where(SiteAdapter.network == network)
        .order_by(SiteAdapter.version.desc())
    )


def record_report(user: User, report: dict) -> AdapterReport:
    """Store what an installation runs (one row per user and installation, last seen now). A
    report without `refused` keeps the last refusal: the console shows it until a later one."""
    now = utcnow()
    values = {
        "extension_version": report["extension_version"],
        "adapters": report["adapters"],
        "last_seen_at": now,
    }
    if "refused" in report:
        values["refused"] = {
            **report["refused"],
            "at": now.replace(microsecond=0).isoformat() + "Z",
        }
    with db.atomic():
        row = AdapterReport.get_or_none(
            AdapterReport.user == user.id, AdapterReport.installation == report["installation"]
        )
        if row is None:
            return AdapterReport.create(
                user=user.id, installation=report["installation"], first_seen_at=now, **values
            )
        AdapterReport.update(**values).where(AdapterReport.id == row.id).execute()
    return AdapterReport.get_by_id(row.id)


def reports(limit: int = 200) -> list[AdapterReport]:
    """The installations seen most recently first, with their users (for the console)."""
    return list(
        AdapterReport.select(AdapterReport, User)
        .join(User)
        .order_by(AdapterReport.last_seen_at.desc(), AdapterReport.id.desc())
        .limit(limit)
    )
