"""What a suggestion looks like on the wire, with the parts that are the same for everyone encoded once.

Every open composer polls GET /suggestions, and most of a response (title, campaign, hashtags,
dates, variant texts) is identical for every employee until someone edits the snippet. So each
worker JSON-encodes those parts once per snippet and network and keeps them in the live set
(server.suggestion_index), which is rebuilt, and this cache dropped with it, whenever any snippet
or campaign changes. A request then adds only what is personal: the tracked link, spliced into the
pre-escaped variant texts, and the count of colleagues who shared.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from server.models import Campaign, Snippet, SnippetVariant, iso
from server.raw_sql import as_datetime, column, placeholders, table

# A worker keeps at most this many encoded items per network; past it the cache starts over.
# The newest pages are what panels ask for, so they are back within a request or two.
MAX_CACHED = 4096


def escaped(text: str) -> str:
    """JSON string contents without the quotes. Escaping is per character, so pieces concatenate."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


# Marks where the employee's link goes in an encoded item. JSON escapes every control character,
# so this raw one can never occur in encoded text.
LINK = "\x01"


@dataclass(frozen=True, slots=True)
class CachedItem:
    """One snippet's suggestion on one network as JSON, around the personal parts.

    Each form is (JSON up to the colleague count, JSON after it).
    """

    plain: tuple[str, str]  # no link: the snippet has none, or this person has no code for it
    linked: tuple[str, str] | None  # with LINK where the employee's tracked link goes
    link_url: str | None  # the snippet's own link, which tracked links lead to
    version: str  # changes whenever anything encoded here does: part of the ETag
    language: str  # primary subtag, compared with the employee's languages (server.languages)

    def to_json(self, tracked: str | None, colleagues_shared: int, in_my_languages: bool) -> str:
        """`tracked` comes JSON-escaped already (see escaped()): a page's links share one base."""
        mine = _IN_MINE if in_my_languages else _NOT_IN_MINE
        if tracked and self.linked:
            before, after = self.linked
            return f"{before}{colleagues_shared}{mine}{after}".replace(LINK, tracked)
        before, after = self.plain
        return f"{before}{colleagues_shared}{mine}{after}"


_IN_MINE = ',"in_my_languages":true'
_NOT_IN_MINE = ',"in_my_languages":false'


def _encode(head: str, tail: str, link: str | None, variants: list[tuple[int, str]]) -> tuple:
    """(before, after) the colleague count; `link` is the escaped text that replaces the snippet's."""
    texts = ",".join(f'{{"index":{index},"text":"{text}"}}' for index, text in variants)
    link_json = f'"{link}"' if link else "null"
    return (
        f'{{{head},"link":{link_json},"variants":[{texts}],"colleagues_shared":',
        f",{tail}}}",
    )


def _with_link(text: str, link_url: str) -> str:
    """The escaped text with LINK in place of the snippet's link, or after the text when it lacks it."""
    if link_url in text:
        return LINK.join(escaped(part) for part in text.split(link_url))
    return f"{escaped(text)} {LINK}"


_FIELDS = (
    Snippet.id,
    Snippet.title,
    Snippet.link_url,
    Snippet.hashtags,
    Snippet.featured,
    Snippet.starts_at,
    Snippet.expires_at,
    Snippet.approved_at,
    Snippet.updated_at,
    Snippet.language,
)


@functools.lru_cache(maxsize=256)
def _snippets_sql(count: int, param: str) -> str:
    marks = placeholders(count, param)
    return (
        "SELECT "
        + ", ".join(column(f, "s") for f in _FIELDS)
        + f", {column(Campaign.id, 'c')}, {column(Campaign.name, 'c')}, {column(Campaign.hashtag, 'c')} "
        f"FROM {table(Snippet)} s LEFT OUTER JOIN {table(Campaign)} c "
        f"ON {column(Campaign.id, 'c')} = {column(Snippet.campaign, 's')} "
        f"WHERE {column(Snippet.id, 's')} IN ({marks})"
    )


@functools.lru_cache(maxsize=256)
def _variants_sql(count: int, param: str) -> str:
    marks = placeholders(count, param)
    v = SnippetVariant
    return (
        f"SELECT {column(v.snippet, 'v')}, {column(v.position, 'v')}, {column(v.text, 'v')} FROM {table(v)} v "
        f"WHERE {column(v.snippet, 'v')} IN ({marks}) AND {column(v.network, 'v')} = {param} "
        f"ORDER BY {column(v.snippet, 'v')}, {column(v.position, 'v')}"
    )


def _json_value(value):
    return json.loads(value) if isinstance(value, str) else value


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load(db, network: str, ids: list[int]) -> dict[int, CachedItem]:
    """Encode the given snippets for `network`: two queries, whatever the count."""
    if not ids:
        return {}
    variants: dict[int, list[tuple[int, str]]] = {sid: [] for sid in ids}
    for sid, position, text in db.execute_sql(_variants_sql(len(ids), db.param), (*ids, network)):
        variants[sid].append((position, text))
    items = {}
    for row in db.execute_sql(_snippets_sql(len(ids), db.param), ids):
        (
            sid,
            title,
            link_url,
            hashtags,
            featured,
            starts_at,
            expires_at,
            approved_at,
            updated_at,
            language,
        ) = row[:10]
        campaign_id, campaign_name, campaign_hashtag = row[10:]
        campaign = (
            {"id": campaign_id, "name": campaign_name, "hashtag": campaign_hashtag}
            if campaign_id
            else None
        )
        head = (
            f'"id":{sid},"title":{_dumps(title)},"network":{_dumps(network)},'
            f'"campaign":{_dumps(campaign)},"hashtags":{_dumps(list(_json_value(hashtags) or []))},'
            f'"language":{_dumps(language)}'
        )
        tail = (
            f'"featured":{_dumps(bool(featured))},'
            f'"starts_at":{_dumps(iso(as_datetime(starts_at)))},'
            f'"expires_at":{_dumps(iso(as_datetime(expires_at)))},'
            f'"approved_at":{_dumps(iso(as_datetime(approved_at)))}'
        )
        texts = variants[sid]
        items[sid] = CachedItem(
            plain=_encode(head, tail, None, [(i, escaped(text)) for i, text in texts]),
            linked=_encode(head, tail, LINK, [(i, _with_link(text, link_url)) for i, text in texts])
            if link_url
            else None,
            link_url=link_url,
            version=f"{updated_at}:{campaign_id}:{campaign_name}:{campaign_hashtag}:{language}",
            language=(language or "").split("-")[0].lower(),
        )
    return items


def fill(cache: dict[int, CachedItem], db, network: str, ids: list[int]) -> None:
    """Make sure `cache` holds `ids`, encoding only those this worker has not seen since the last change.

    An id can still be absent afterwards: deleted since the live set was built.
    """
    missing = [sid for sid in ids if sid not in cache]
    if missing:
        if len(cache) + len(missing) > MAX_CACHED:
            cache.clear()
        cache.update(load(db, network, missing))
