"""Suggestions answered again from memory while nothing they were made of has changed.

Every open composer polls GET /api/v1/suggestions, and almost every poll gets the same answer as
the one before: the live set, the person's teams, their tracked links and the colleagues' counts
move far more slowly than panels poll. Going through Flask for it (hooks, routing, the access
check, a query for the user, one for the stamps, one for the link codes, assembling the body) cost
about four times a bare Flask request, and at 50 connections the time spent queueing behind those
requests was most of the p99.

So each worker keeps the last answer per (person, query string, host, origin) and, before
replaying it, re-reads in ONE statement everything the answer depends on that may have changed on
any node: the person's row (still active, tokens not revoked by a logout since this token was
issued; their languages), the snippet change stamp, the newest share id (colleague counts), the extension origins
allowed in Settings (CORS headers) and the person's teams.
Together with the live set's own expiry (schedule and campaign boundaries, server.suggestion_index)
and the token's expiry, a replayed answer is byte for byte what the view would write now; the
moment any of them differs the request goes through Flask as before, which also stores its answer
again. Only 200s are stored, so every refusal (bad query, NUL, bad token) is always Flask's.

What the Flask request hooks add is kept: the headers of the stored answer (CORS for that origin,
the console's security headers, ETag, Cache-Control), a fresh X-Request-ID and the JSON request
log line (server.request_log).
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
from peewee import PostgresqlDatabase
from werkzeug.http import parse_etags

from server import request_log
from server.models import Membership, Setting, User
from server.raw_sql import as_datetime, column, table

PATH = "/api/v1/suggestions"
ROUTE = "/api/v1/suggestions"
# Answers a worker keeps (about 8 KB each for a page of 20), the least recently polled dropped first.
MAX_ENTRIES = 2_000
# Request headers and environ keys that can change the answer's bytes or headers.
_KEY_PARTS = ("QUERY_STRING", "HTTP_HOST", "wsgi.url_scheme", "HTTP_ORIGIN", "SCRIPT_NAME")


@dataclass
class Entry:
    state: tuple  # what `_state` read before the view ran
    network: str
    live: Any  # the worker's LiveSet the answer was drawn from
    etag: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def remember(environ: dict, network: str, live: Any, etag: str) -> None:
    """Called by the suggestions view: this answer may be stored; it was drawn from `live`."""
    environ["herald.replay"] = (network, live, etag)


class SuggestionReplay:
    """WSGI middleware in front of the Flask app (inside ProxyFix, which has fixed the environ)."""

    def __init__(self, wsgi_app, flask_app) -> None:
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share it between threads
        self.replayed = 0  # answers served from memory (tests and curious operators read it)

    def __call__(self, environ: dict, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        claims = _claims(environ.get("HTTP_AUTHORIZATION"), self.flask_app.config["SECRET_KEY"])
        if claims is None:  # Flask answers 401
            return self.wsgi_app(environ, start_response)
        user_id = int(claims["sub"])
        key = (user_id, *(environ.get(k) for k in _KEY_PARTS))
        try:
            state = _state(user_id)
        except Exception:  # noqa: BLE001 — the database is Flask's to report (503, error shape)
            return self.wsgi_app(environ, start_response)
        entry = self.entries.get(key)
        if entry is not None and entry.state == state and self._holds(entry, claims):
            with self._lock:
                if key in self.entries:
                    self.entries.move_to_end(key)
            return self._replay(environ, start_response, entry, user_id, started)
        return self._through_flask(environ, start_response, key, state)

    def _holds(self, entry: Entry, claims: dict) -> bool:
        """The stored answer is still what the view would write (the state itself is unchanged)."""
        status, valid_after = entry.state[0], entry.state[1]
        if status != "active":
            return False
        if valid_after is not None and claims["iat"] < _epoch(as_datetime(valid_after)):
            return False
        live = entry.live
        live_sets = self.flask_app.extensions.get("herald_live_sets", {})
        if live_sets.get(entry.network) is not live or live.sharers.gaps:
            return False
        return _utcnow() < live.valid_until

    def _replay(self, environ, start_response, entry: Entry, user_id: int, started: float):
        rid = request_log.choose_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        inm = environ.get("HTTP_IF_NONE_MATCH")
        if inm and parse_etags(inm).contains_weak(entry.etag):
            status, body = "304 NOT MODIFIED", b""
            headers = [
                (k, v)
                for k, v in entry.headers
                if k.lower() not in ("content-type", "content-length")
            ]
        else:
            status, body, headers = entry.status, entry.body, list(entry.headers)
        headers.append((request_log.REQUEST_ID_HEADER, rid))
        self.replayed += 1
        start_response(status, headers)
        request_log.log_request(
            {
                "event": "request",
                "method": "GET",
                "route": ROUTE,
                "status": int(status[:3]),
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user_id,
                "request_id": rid,
            }
        )
        return [body]

    def _through_flask(self, environ, start_response, key: tuple, state: tuple):
        """Flask answers; a 200 the view marked (see `remember`) is stored with `state`, read
        before the view ran: if anything changed meanwhile, the next poll sees a different state."""
        seen: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        marked = environ.get("herald.replay")
        if marked is not None and seen.get("status", "").startswith("200"):
            network, live, etag = marked
            headers = [
                (k, v)
                for k, v in seen["headers"]
                if k.lower() not in (request_log.REQUEST_ID_HEADER.lower(), "date")
            ]
            if not any(k.lower() == "set-cookie" for k, _ in headers):
                stored = Entry(state, network, live, etag, seen["status"], headers, body)
                with self._lock:
                    self.entries[key] = stored
                    self.entries.move_to_end(key)
                    while len(self.entries) > MAX_ENTRIES:
                        self.entries.popitem(last=False)
        return [body]


def _state(user_id: int) -> tuple:
    """Everything of the database an answer depends on that may change on any node, in one
    statement: (status, tokens_valid_after, languages, interface language (server.languages.of
    decides `in_my_languages` from these two), change token, newest updated_at, newest snippet id,
    newest share id, extension origins setting, team ids). () when the person's row is gone."""
    from server.db import db

    opened = db.connect(reuse_if_open=True)
    try:
        rows = _state_rows(db, user_id)
    finally:
        if opened:
            db.close()  # back to the pool
    if not rows:
        return ()
    first = rows[0]
    teams = tuple(sorted(row[-1] for row in rows if row[-1] is not None))
    return (*first[:-1], teams)


# PostgreSQL connections on which the state statement is prepared (planning it took 2 ms, four
# times its execution: prepared once per connection, each poll only executes it).
_prepared: weakref.WeakSet = weakref.WeakSet()
_PREPARED_NAME = "herald_replay_state"


def _state_rows(db, user_id: int) -> list[tuple]:
    if not isinstance(db.obj, PostgresqlDatabase):
        return db.execute_sql(_state_sql(db.param), (user_id, user_id)).fetchall()
    conn = db.connection()
    if conn not in _prepared:
        db.execute_sql(f"PREPARE {_PREPARED_NAME} (integer) AS {_state_sql('$1')}")
        _prepared.add(conn)
    return db.execute_sql(f"EXECUTE {_PREPARED_NAME} (%s)", (user_id,)).fetchall()


def _claims(header: str | None, secret: str) -> dict | None:
    """A bearer token's claims when valid now (the same checks as server.tokens), else None."""
    if not header or not header.startswith("Bearer "):
        return None
    from server.tokens import _verified_claims

    try:
        claims = _verified_claims(header.removeprefix("Bearer ").strip(), secret)
    except jwt.PyJWTError:
        return None
    if claims["exp"] <= time.time() or not str(claims["sub"]).isdigit():
        return None
    return claims


def _epoch(naive_utc) -> float:
    from server.tokens import _epoch as epoch

    return epoch(naive_utc)


def _utcnow():
    """The view's own clock (server.api.suggestions.utcnow), so both decide expiry alike."""
    from server.api import suggestions

    return suggestions.utcnow()


@functools.cache
def _state_sql(param: str) -> str:
    """One row per team of the person (one with NULL for nobody's), each with the rest."""
    from server.suggestion_index import _stamp_parts

    origins = (
        f"(SELECT {column(Setting.value)} FROM {table(Setting)} "
        f"WHERE {column(Setting.key)} = 'extension_origins')"
    )
    parts = [*_stamp_parts(), origins]
    named = ", ".join(f"{part} AS c{i}" for i, part in enumerate(parts))
    return (
        f"SELECT {column(User.status, 'u')}, {column(User.tokens_valid_after, 'u')}, "
        f"{column(User.languages, 'u')}, {column(User.language, 'u')}, s.c0, s.c1, s.c2, s.c3, s.c4, {column(Membership.team, 'm')} "
        f"FROM {table(User)} u CROSS JOIN (SELECT {named}) s "
        f"LEFT JOIN {table(Membership)} m ON {column(Membership.user, 'm')} = {param} "
        f"WHERE {column(User.id, 'u')} = {param}"
    )
