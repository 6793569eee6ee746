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
import multiprocessing
import os
import socket
import time
import urllib.error
import urllib.request
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
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

    def __reduce__(self):  # raised in a pool worker: the status survives the trip back
        return FeedError, (str(self), self.http_status)


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


_HIDDEN = {"script", "style", "applet"}  # what feedparser's sanitizer drops with its content


class _Text(HTMLParser):
    """Text content of an HTML fragment, entities decoded, script, style and applet left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.skip += 1
        elif tag in {"br", "p", "div", "li"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self.skip:
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
# A poll fetches every due source at once (threads: fetching is mostly waiting), then parses each
# feed and builds and checks its drafts, the CPU-heavy part (feedparser; two policy checks per
# entry). Big polls do that in a process pool (POOL_MIN_FEEDS feeds or more to read: starting one
# costs a second), so both cores work; small ones ("poll now", a few sources) stay in-process.
# Only the main process touches the database: one dedup query and one transaction per feed.

FETCH_THREADS = 8
POOL_MIN_FEEDS = 8
MAX_PROCESSES = 4  # workers per poll at most (one per core below that)


@dataclass
class PollResult:
    poll: FeedPoll
    snippet_ids: list[int]


def parse(fetched: Fetched) -> tuple[Any, str | None]:
    """(feedparser result, a warning for the curator or None); FeedError when it is not a feed."""
    headers = {k.lower(): v for k, v in (fetched.headers or {}).items()}
    headers.setdefault("content-location", fetched.url)
    # Drafts keep only the text of an entry (plain_text drops every tag and what script, style
    # and applet hold), so feedparser's sanitizing of the HTML and its rewriting of links inside
    # it would be thrown away: a third of the parsing time. Entry links are resolved either way.
    parsed = feedparser.parse(
        fetched.body,
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
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


@dataclass
class FeedRead:
    """A parsed feed reduced to what drafting needs (small: it crosses process boundaries)."""

    entries: list[tuple[str, str | None, dict]]  # (dedup key, canonical link, title/content)
    warning: str | None
    seconds: float


def read_feed(fetched: Fetched) -> FeedRead:
    """Parse a fetched body and key its entries (by id, else link, else title and text)."""
    started = time.monotonic()
    parsed, warning = parse(fetched)
    notes: list[str] = []
    entries: list[tuple[str, str | None, dict]] = []
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
        content = entry.get("summary") or ""
        if not content and entry.get("content"):
            content = entry["content"][0].get("value", "")
        entries.append((key, link, {"title": entry.get("title"), "content": content}))
    if refused:
        notes.append(
            f"{_entries(refused)} with a link other than http or https: the link was left out"
        )
    if missing:
        notes.append(f"{_entries(missing)} without a link")
    if notes:
        warning = "; ".join(filter(None, [warning, *notes]))
    return FeedRead(entries, warning, time.monotonic() - started)


def make_drafts(
    name: str, naming: str, fresh: list[tuple[str | None, dict]], policy: dict | None
) -> tuple[list[tuple[dict, dict]], float]:
    """([(draft body, findings per network)], seconds) for new entries: each draft is checked
    right after it is built (the X length scan of its text is then still remembered)."""
    started = time.monotonic()
    out = []
    for link, fields in fresh:
        body = draft_body(name, naming, fields, link)
        findings = (
            {n: check(t[0], policy, n) for n, t in body["variants"].items()} if policy else {}
        )
        out.append((body, findings))
    return out, time.monotonic() - started


def draft_body(name: str, naming: str, fields: dict, link: str | None) -> dict:
    """One draft for server.snippets.insert_drafts: a LinkedIn and an X variant."""
    title = plain_text(fields.get("title")) or "Untitled entry"
    if naming == "source_and_title":
        title = f"{name}: {title}"
    summary = plain_text(fields.get("content"))
    if summary == plain_text(fields.get("title")):
        summary = ""
    linkedin = "\n\n".join(
        part for part in (title, shorten(summary, LINKEDIN_SUMMARY_CHARS), link) if part
    )
    return {
        "title": shorten(title, TITLE_MAX),
        "variants": {"linkedin": [linkedin], "x": [x_text(title, summary, link)]},
        "link_url": link,
    }


_worker_policy: dict | None = None


def _worker_init(policy: dict | None) -> None:
    global _worker_policy
    _worker_policy = policy


def _worker_drafts(name: str, naming: str, fresh: list) -> tuple[list, float]:
    return make_drafts(name, naming, fresh, _worker_policy)


class _Inline:
    """Runs a task at once in this process; the result looks like a pool's Future."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back through the future
            future.set_exception(exc)
        return future


def _pool(processes: int, policy: dict | None) -> ProcessPoolExecutor | None:
    """Forked workers, started before the fetch threads: they begin with this process's imports
    and its compiled policy plans (a spawned worker would import the app and compile the regexes
    again, seconds on a busy machine). They only parse and check: no database, no threads of
    the parent. None where fork is not available: the poll then runs in-process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if policy is not None:
        for network in ("linkedin", "x"):
            check("", policy, network)  # compile the plans once, here, before forking
    x_weighted_length("")
    pool = ProcessPoolExecutor(
        processes,
        multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(policy,),
    )
    pool.submit(int).result()  # forks every worker now (fork pools start all at once)
    return pool


def _policy() -> dict | None:
    from server.policy_store import compiled_policy

    try:
        return compiled_policy()
    except Exception:  # no policy yet: drafts are still made, findings come with the editor
        return None


def poll_source(source: FeedSource, limits: FetchLimits) -> PollResult:
    """Fetch one source, create drafts for its new entries, and record the poll."""
    return poll_sources([source], limits)[0]


def poll_sources(
    sources: list[FeedSource], limits: FetchLimits, processes: int | None = None
) -> list[PollResult]:
    """Poll `sources` (fetched concurrently), create drafts for new entries, record each poll.

    Feeds are handled in order, so an entry found by two sources is drafted for the first; with
    a pool, the next feeds are parsed and checked while one is written."""
    if not sources:
        return []
    processes = processes if processes is not None else min(os.cpu_count() or 1, MAX_PROCESSES)
    policy_box: list = []
    runner: Any = _Inline()
    pool: ProcessPoolExecutor | None = None
    big = processes > 1 and len(sources) >= POOL_MIN_FEEDS
    # Sources without a validator answer with a body: fork the workers before fetching, so
    # parsing overlaps the fetches. Otherwise (mostly 304s, usually) fetch first and fork only
    # when enough bodies came back, once the fetch threads are gone.
    if big and sum(1 for s in sources if not (s.etag or s.last_modified)) >= POOL_MIN_FEEDS:
        pool = _pool(processes, _cached_policy(policy_box))
    threads = ThreadPoolExecutor(min(FETCH_THREADS, len(sources)))
    try:
        fetches = [
            threads.submit(_fetch, s.url, limits, s.etag, s.last_modified, pool) for s in sources
        ]
        if big and pool is None:
            wait(fetches)
            threads.shutdown(wait=True)
            bodies = [i for i, f in enumerate(fetches) if not f.exception() and f.result()[0].body]
            if len(bodies) >= POOL_MIN_FEEDS:
                pool = _pool(processes, _cached_policy(policy_box))
            for i in bodies if pool is not None else []:
                fetched, seconds, _ = fetches[i].result()
                fetches[i] = Future()
                fetches[i].set_result((fetched, seconds, pool.submit(read_feed, fetched)))
        if pool is not None:
            runner = pool
        claimed: set[str] = set()
        results: list[PollResult] = []
        pending: deque[tuple[FeedSource, _Step]] = deque()
        ahead = 4 * processes if pool is not None else 0  # feeds drafting while one is written
        for i, source in enumerate(sources):
            pending.append((source, _begin(source, fetches[i], claimed, runner, pool, policy_box)))
            if len(pending) > ahead:
                results.append(_finish(*pending.popleft()))
        while pending:
            results.append(_finish(*pending.popleft()))
        return results
    finally:
        threads.shutdown(wait=True, cancel_futures=True)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _cached_policy(box: list) -> dict | None:
    if not box:
        box.append(_policy())
    return box[0]


def _fetch(url, limits, etag, last_modified, pool) -> tuple[Fetched, float, Future | None]:
    """(fetched, seconds, its parse under way in the pool or None): runs in a fetch thread."""
    started = time.monotonic()
    fetched = fetch(url, limits, etag, last_modified)
    seconds = time.monotonic() - started
    if pool is None or fetched.status == 304:
        return fetched, seconds, None
    return fetched, seconds, pool.submit(read_feed, fetched)


@dataclass
class _Step:
    """One source between fetching and writing."""

    fetched: Fetched | None = None
    error: FeedError | None = None
    read: FeedRead | None = None
    fresh: list = field(default_factory=list)  # (key, link, fields) of entries not seen before
    drafts: Future | None = None  # of make_drafts' result for `fresh`
    seconds: float = 0.0  # fetching and parsing (possibly elsewhere)


def _begin(source, fetch_future, claimed, runner, pool, policy_box) -> _Step:
    """Everything up to drafting: the feed read, its new entries, their drafts under way."""
    step = _Step()
    try:
        step.fetched, step.seconds, read_future = fetch_future.result()
        if step.fetched.status == 304:
            return step
        read = read_future.result() if read_future is not None else read_feed(step.fetched)
        step.read = read
        step.seconds += read.seconds
    except FeedError as exc:
        step.error = exc
        return step
    keys = list(dict.fromkeys(k for k, _, _ in read.entries))
    known = set(claimed)  # drafted for an earlier source of this poll, not written yet
    for n in range(0, len(keys), 500):
        chunk = keys[n : n + 500]
        query = FeedEntry.select(FeedEntry.key).where(FeedEntry.key.in_(chunk))
        known.update(k for (k,) in query.tuples())
    for key, link, fields in read.entries:
        if key not in known:
            known.add(key)
            step.fresh.append((key, link, fields))
    claimed.update(k for k, _, _ in step.fresh)
    if step.fresh:
        items = [(link, fields) for _, link, fields in step.fresh]
        if pool is not None:
            step.drafts = pool.submit(_worker_drafts, source.name, source.naming, items)
        else:
            policy = _cached_policy(policy_box)
            step.drafts = runner.submit(make_drafts, source.name, source.naming, items, policy)
    return step


def _finish(source: FeedSource, step: _Step) -> PollResult:
    """Write one source's drafts and its poll record (one transaction)."""
    started = time.monotonic()
    poll = FeedPoll(source=source, at=utcnow())
    created: list[int] = []
    if step.error is not None:
        poll.error = str(step.error)
        poll.http_status = step.error.http_status
        source.consecutive_failures += 1
        if source.consecutive_failures >= FAILURES_BEFORE_FAILING:
            source.status = "failing"
    else:
        fetched = step.fetched
        poll.http_status = fetched.status
        drafted: list = []
        if step.drafts is not None:
            drafted, seconds = step.drafts.result()
            step.seconds += seconds
        if step.read is not None:
            poll.warning = step.read.warning
            poll.items_seen = len(step.read.entries)
            headers = {k.lower(): v for k, v in (fetched.headers or {}).items()}
            source.etag = headers.get("etag")
            source.last_modified = headers.get("last-modified")
        source.consecutive_failures = 0
        if source.status == "failing":
            source.status = "active"
    with db.atomic():
        if step.error is None and drafted:
            created = _write_drafts(source, step.fresh, drafted)
        poll.items_new = len(created)
        poll.duration_ms = int((time.monotonic() - started + step.seconds) * 1000)
        source.last_polled_at = poll.at
        poll.save()
        source.save()
    return PollResult(poll, created)


def _write_drafts(source: FeedSource, fresh: list, drafted: list) -> list[int]:
    """Snippets, variants, teams and feed entries of one feed's new entries (caller: atomic)."""
    team_ids = list(source.team_ids or [])
    if team_ids:  # teams deleted since the source was added are dropped, not an error
        team_ids = [t for (t,) in Team.select(Team.id).where(Team.id.in_(team_ids)).tuples()]
    bodies = [body for body, _ in drafted]
    created = insert_drafts(bodies, source.language, source.campaign_id, team_ids)
    now = utcnow()
    rows = [
        {
            "key": key,
            "source": source.id,
            "snippet": sid,
            "link": link,
            "third_party": source.third_party,
            "findings": findings,
            "seen_at": now,
        }
        for (key, link, _), (_, findings), sid in zip(fresh, drafted, created, strict=True)
    ]
    for i in range(0, len(rows), 200):
        FeedEntry.insert_many(rows[i : i + 200]).execute()
    audit.record(None, "feed.drafts", "feed", source.id, None, {"snippet_ids": created})
    return created


def poll_due(limits: FetchLimits, every: timedelta | None = None) -> list[PollResult]:
    """Poll every active source (not polled within `every`, when given): `herald poll-feeds`."""
    query = FeedSource.select().where(FeedSource.status == "active").order_by(FeedSource.id)
    if every is not None:
        cutoff = utcnow() - every
        query = query.where(
            FeedSource.last_polled_at.is_null() | (FeedSource.last_polled_at <= cutoff)
        )
    return poll_sources(list(query), limits)


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
