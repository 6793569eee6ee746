"""Feed sources: fetch RSS/Atom feeds safely, and turn each new entry into a draft snippet.

Fetching is where hostile or broken input arrives, so every step is bounded: http(s) only (also
across redirects), private address ranges refused unless FEED_ALLOW_PRIVATE, a timeout and a size
cap, conditional GET so an unchanged feed costs one 304 and creates nothing. feedparser does the
parsing (real-world feeds are rarely well-formed). Every poll is stored with its outcome, so a
curator can see why a source made nothing; five failures in a row mark the source as failing.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser

from guidelines import check, x_weighted_length
from guidelines.weighted import MAX_WEIGHTED_LENGTH, parse_x
from server import audit
from server.db import db
from server.models import FeedEntry, FeedPoll, FeedSource, Team, utcnow
from server.snippets import insert_drafts, safe_link

FAILURES_BEFORE_FAILING = 5
LINKEDIN_SUMMARY_CHARS = 600
TITLE_MAX = 200
USER_AGENT = "Herald feed reader (+https://github.com/herald)"


class FeedError(Exception):
    """A poll that failed: the message is stored and shown to the curator as it is."""

    def __init__(self, message: str, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0
    max_bytes: int = 5_000_000
    allow_private: bool = False

    @classmethod
    def from_config(cls, config: Any) -> FetchLimits:
        allow = str(config.get("FEED_ALLOW_PRIVATE", "")).strip().lower()
        return cls(
            timeout=float(config.get("FEED_TIMEOUT_SECONDS", 10)),
            max_bytes=int(config.get("FEED_MAX_BYTES", 5_000_000)),
            allow_private=allow in {"1", "true", "yes", "on"},
        )


@dataclass
class Fetched:
    status: int
    body: bytes = b""
    headers: dict[str, str] | None = None
    url: str = ""


# --- fetching ---------------------------------------------------------------------------------


def check_url(url: str, limits: FetchLimits) -> None:
    """Refuse anything but http(s) to a public address (unless private ranges are allowed)."""
    if not safe_link(url):
        raise FeedError(f"Only absolute http:// or https:// URLs can be fetched, not {url!r}.")
    host = urlsplit(url).hostname or ""
    if limits.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as exc:
        raise FeedError(f"Cannot resolve {host}: {exc.strerror or exc}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise FeedError(
                f"{host} resolves to {address}, a private or local address; fetches there are "
                "blocked (an operator can allow them with HERALD_FEED_ALLOW_PRIVATE=1)."
            )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs that pass check_url."""

    def __init__(self, limits: FetchLimits):
        self.limits = limits

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri") or ""
        self._check(urljoin(req.full_url, location), code)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self._check(newurl, code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def _check(self, newurl: str, code: int) -> None:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in {"http", "https"}:
            raise FeedError(
                f"The feed redirects to a {scheme or 'scheme-less'}: URL ({newurl}); "
                "only http and https are followed.",
                code,
            )
        check_url(newurl, self.limits)


def fetch(
    url: str, limits: FetchLimits, etag: str | None = None, last_modified: str | None = None
) -> Fetched:
    """GET `url` with conditional headers; 304 comes back as Fetched(304) with no body."""
    check_url(url, limits)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_Redirects(limits))
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + limits.timeout
    try:
        with opener.open(request, timeout=limits.timeout) as resp:
            chunks: list[bytes] = []
            size = 0
            while chunk := resp.read(65536):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FeedError(
                        f"The response is larger than {limits.max_bytes:,} bytes "
                        "(HERALD_FEED_MAX_BYTES); it was not read further.",
                        resp.status,
                    )
                if time.monotonic() > deadline:
                    raise FeedError(
                        f"Timed out after {limits.timeout:g} s (HERALD_FEED_TIMEOUT_SECONDS).",
                        resp.status,
                    )
                chunks.append(chunk)
            return Fetched(resp.status, b"".join(chunks), dict(resp.headers), resp.url)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, url=url)
        raise FeedError(f"The server answered HTTP {exc.code} {exc.reason}.", exc.code) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FeedError(
                f"Timed out after {limits.timeout:g} s (HERALD_FEED_TIMEOUT_SECONDS)."
            ) from None
        if isinstance(reason, FeedError):
            raise reason from None
        raise FeedError(f"Cannot reach {urlsplit(url).hostname}: {reason}.") from None
    except TimeoutError:
        raise FeedError(
            f"Timed out after {limits.timeout:g} s (HERALD_FEED_TIMEOUT_SECONDS)."
        ) from None
    except OSError as exc:
        raise FeedError(f"Cannot reach {urlsplit(url).hostname}: {exc}.") from None


# --- text -------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """Text content of an HTML fragment, entities decoded, script and style left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag in {"br", "p", "div", "li"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def plain_text(fragment: str | None) -> str:
    """HTML stripped, entities decoded, whitespace collapsed."""
    if not fragment:
        return ""
    if "<" in fragment or "&" in fragment:
        parser = _Text()
        parser.feed(fragment)
        parser.close()
        fragment = html.unescape("".join(parser.parts))
    return " ".join(fragment.split())


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–—-") + "…"


def x_text(title: str, summary: str, link: str | None) -> str:
    """Title, as much summary as fits, and the link, within X's weighted limit (guidelines)."""
    tail = f" {link}" if link else ""

    def build(n: int | None) -> str:
        body = title if n is None else f"{title}: {shorten(summary, n)}" if n else title
        return body + tail

    if summary:
        # One pass finds where the summary must be cut (room left for the link and "…").
        head = f"{title}: "
        budget = MAX_WEIGHTED_LENGTH - (x_weighted_length(tail) if tail else 0)
        exceed = parse_x(head + summary, True, budget - 2)["exceed_at"]
        if exceed is None:
            if x_weighted_length(build(len(summary))) <= MAX_WEIGHTED_LENGTH:
                return build(len(summary))
        elif exceed - len(head) >= 20:
            text = build(exceed - len(head) + 1)
            if x_weighted_length(text) <= MAX_WEIGHTED_LENGTH:
                return text
    lo, hi = 0, len(summary)  # the longest summary prefix that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if x_weighted_length(build(mid)) <= MAX_WEIGHTED_LENGTH:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 20:
        return build(lo)
    text = title + tail
    while x_weighted_length(text) > MAX_WEIGHTED_LENGTH and title:
        title = shorten(title, max(1, len(title) - 10))
        text = title + tail
    return text


def canonical_link(link: str | None) -> str | None:
    """An http(s) link without its fragment, scheme and host lower-cased; None for anything else."""
    if not link:
        return None
    link = link.strip()
    if not safe_link(link):
        return None
    parts = urlsplit(link)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def entry_key(entry: Any, link: str | None) -> str | None:
    ident = (entry.get("id") or "").strip()
    raw = ident or link
    return hashlib.sha256(raw.encode("utf-8")).hexdigest() if raw else None


# --- polling ----------------------------------------------------------------------------------


@dataclass
class PollResult:
    poll: FeedPoll
    snippet_ids: list[int]


def parse(fetched: Fetched) -> tuple[Any, str | None]:
    """(feedparser result, a warning for the curator or None); FeedError when it is not a feed."""
    headers = {k.lower(): v for k, v in (fetched.headers or {}).items()}
    headers.setdefault("content-location", fetched.url)
    parsed = feedparser.parse(fetched.body, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        kind = headers.get("content-type", "").split(";")[0] or "unknown content"
        detail = f" ({problem})" if problem else ""
        raise FeedError(
            f"The response ({kind}) is not an RSS or Atom feed{detail}.", fetched.status
        )
    warning = None
    if parsed.get("bozo"):
        warning = f"The feed is not well-formed; read what could be read: {problem}"
    return parsed, warning


def poll_source(source: FeedSource, limits: FetchLimits) -> PollResult:
    """Fetch one source, create drafts for its new entries, and record the poll."""
    started = time.monotonic()
    poll = FeedPoll(source=source, at=utcnow())
    created: list[int] = []
    try:
        fetched = fetch(source.url, limits, source.etag, source.last_modified)
        poll.http_status = fetched.status
        if fetched.status != 304:
            parsed, poll.warning = parse(fetched)
            created, seen, notes = _drafts(source, parsed)
            poll.items_new, poll.items_seen = len(created), seen
            if notes:
                poll.warning = "; ".join(filter(None, [poll.warning, *notes]))
            headers = {k.lower(): v for k, v in (fetched.headers or {}).items()}
            source.etag = headers.get("etag")
            source.last_modified = headers.get("last-modified")
        source.consecutive_failures = 0
        if source.status == "failing":
            source.status = "active"
    except FeedError as exc:
        poll.error = str(exc)
        poll.http_status = exc.http_status
        source.consecutive_failures += 1
        if source.consecutive_failures >= FAILURES_BEFORE_FAILING:
            source.status = "failing"
    poll.duration_ms = int((time.monotonic() - started) * 1000)
    source.last_polled_at = poll.at
    with db.atomic():
        poll.save()
        source.save()
    return PollResult(poll, created)


def _drafts(source: FeedSource, parsed: Any) -> tuple[list[int], int, list[str]]:
    """(new snippet ids, entries in the feed, notes): one draft per entry not seen before."""
    from server.policy_store import compiled_policy

    notes: list[str] = []
    keyed: list[tuple[str, Any, str | None]] = []
    refused = missing = 0
    for entry in parsed.entries:
        raw_link = (entry.get("link") or "").strip()
        link = canonical_link(raw_link)
        if raw_link and link is None:
            refused += 1
        elif not raw_link:
            missing += 1
        key = entry_key(entry, link)
        if key is None:  # neither id nor usable link: the same title and text is the same entry
            text = plain_text(entry.get("title")) + "\n" + plain_text(entry.get("summary"))
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        keyed.append((key, entry, link))
    if refused:
        notes.append(
            f"{_entries(refused)} with a link other than http or https: the link was left out"
        )
    if missing:
        notes.append(f"{_entries(missing)} without a link")
    keys = list(dict.fromkeys(k for k, _, _ in keyed))
    known: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        known.update(
            k for (k,) in FeedEntry.select(FeedEntry.key).where(FeedEntry.key.in_(chunk)).tuples()
        )
    fresh = []
    for key, entry, link in keyed:
        if key not in known:
            known.add(key)
            fresh.append((key, entry, link))
    if not fresh:
        return [], len(keyed), notes
    try:
        policy = compiled_policy()
    except Exception:  # no policy yet: drafts are still made, findings come with the editor
        policy = None
    bodies = [draft_body(source, entry, link) for _, entry, link in fresh]
    team_ids = list(source.team_ids or [])
    with db.atomic():
        if team_ids:  # teams deleted since the source was added are dropped, not an error
            team_ids = [t for (t,) in Team.select(Team.id).where(Team.id.in_(team_ids)).tuples()]
        created = insert_drafts(bodies, source.language, source.campaign_id, team_ids)
        rows = []
        for (key, _, link), body, sid in zip(fresh, bodies, created, strict=True):
            findings = (
                {n: check(t[0], policy, n) for n, t in body["variants"].items()} if policy else {}
            )
            rows.append(
                {
                    "key": key,
                    "source": source.id,
                    "snippet": sid,
                    "link": link,
                    "third_party": source.third_party,
                    "findings": findings,
                    "seen_at": utcnow(),
                }
            )
        for i in range(0, len(rows), 200):
            FeedEntry.insert_many(rows[i : i + 200]).execute()
        audit.record(None, "feed.drafts", "feed", source.id, None, {"snippet_ids": created})
    return created, len(keyed), notes


def draft_body(source: FeedSource, entry: Any, link: str | None) -> dict:
    """One draft for server.snippets.insert_drafts: a LinkedIn and an X variant."""
    title = plain_text(entry.get("title")) or "Untitled entry"
    if source.naming == "source_and_title":
        title = f"{source.name}: {title}"
    content = entry.get("summary") or ""
    if not content and entry.get("content"):
        content = entry["content"][0].get("value", "")
    summary = plain_text(content)
    if summary == plain_text(entry.get("title")):
        summary = ""
    linkedin = "\n\n".join(
        part for part in (title, shorten(summary, LINKEDIN_SUMMARY_CHARS), link) if part
    )
    return {
        "title": shorten(title, TITLE_MAX),
        "variants": {"linkedin": [linkedin], "x": [x_text(title, summary, link)]},
        "link_url": link,
    }


def poll_due(limits: FetchLimits, every: timedelta | None = None) -> list[PollResult]:
    """Poll every active source (not polled within `every`, when given): `herald poll-feeds`."""
    query = FeedSource.select().where(FeedSource.status == "active").order_by(FeedSource.id)
    if every is not None:
        cutoff = utcnow() - every
        query = query.where(
            FeedSource.last_polled_at.is_null() | (FeedSource.last_polled_at <= cutoff)
        )
    return [poll_source(source, limits) for source in query]


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def describe(result: PollResult) -> str:
    """One line per poll for `herald poll-feeds` output."""
    poll, source = result.poll, result.poll.source
    if poll.error:
        return f"{source.name}: failed: {poll.error}"
    if poll.http_status == 304:
        return f"{source.name}: not modified"
    line = f"{source.name}: {poll.items_new} new, {poll.items_seen} in the feed"
    return line + (f" ({poll.warning})" if poll.warning else "")
