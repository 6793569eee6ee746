"""Which suggestions the panel shows, in what order, for the current search and campaign filter.

The server already limits suggestions to the employee's teams; filtering again here keeps the
panel right while offline (saved suggestions may have expired or belong to the other network).
"""


def campaigns(items):
    """Distinct campaigns among the suggestions, by name, for the campaign filter."""
    seen = {}
    for item in items:
        campaign = item.get("campaign")
        if campaign and campaign.get("id") not in seen:
            seen[campaign.get("id")] = campaign
    return sorted(seen.values(), key=lambda campaign: (campaign.get("name") or "").lower())


def _has_words(item, words):
    """Every word of the query (lower case) appears in the title, a variant, a hashtag or the
    campaign."""
    if not words:
        return True
    haystack = searchable_text(item)
    return all(word in haystack for word in words)


def searchable_text(item):
    campaign = item.get("campaign") or {}
    parts = [item.get("title") or "", campaign.get("name") or "", campaign.get("hashtag") or ""]
    parts += item.get("hashtags") or []
    parts += [variant.get("text") or "" for variant in item.get("variants") or []]
    return "\n".join(parts).lower()


def _is_current_at(item, now):
    """Inside [starts_at, expires_at); `now` and the dates made comparable (_comparable): RFC 3339
    UTC strings of equal shape compare as text."""
    starts, expires = item.get("starts_at"), item.get("expires_at")
    if starts and _comparable(starts) > now:
        return False
    if expires and _comparable(expires) <= now:
        return False
    return True


def _comparable(moment):
    # "2026-01-02T03:04:05Z", "...05.123Z" and "...05+00:00" must order the same way.
    moment = moment.replace("+00:00", "Z")
    if moment.endswith("Z") and "." not in moment:
        moment = moment[:-1] + ".000Z"
    return moment


def visible_suggestions(response, network, query="", campaign_id=None, now_iso=None):
    """Suggestions to render: this network, current, matching; featured first, then newest.

    Runs on the panel's cold boot (Brython), so the query and the clock are read once, not per
    item, and each item's date is made comparable once."""
    if not response:
        return []
    words = query.lower().split()
    now = _comparable(now_iso) if now_iso else None
    featured, others = [], []
    for item in response.get("items") or []:
        if item.get("network") not in (None, network):
            continue
        if not item.get("variants"):
            continue
        if campaign_id is not None and (item.get("campaign") or {}).get("id") != campaign_id:
            continue
        if now is not None and not _is_current_at(item, now):
            continue
        if not _has_words(item, words):
            continue
        pair = (_comparable(item.get("approved_at") or ""), item)
        (featured if item.get("featured") else others).append(pair)
    # newest first within each group; equal dates keep the server's order (a stable sort)
    featured.sort(key=_first, reverse=True)
    others.sort(key=_first, reverse=True)
    return [item for _, item in featured] + [item for _, item in others]


def _first(pair):
    return pair[0]


def split_by_language(items, languages):
    """(the employee's, the others): suggestions in the employee's languages keep their order
    (must-see first) and come first; the rest fold under "Other languages (N)".

    The server says which are theirs (`in_my_languages`, from the languages stored on their
    account); `languages` decides only for items saved before the server said so. With neither,
    nothing is folded."""
    wanted = {str(language).split("-")[0].lower() for language in languages or () if language}
    mine, others = [], []
    for item in items:
        flag = item.get("in_my_languages")
        if flag is None:
            language = (item.get("language") or "").lower()
            flag = not wanted or not language or language in wanted
        (mine if flag else others).append(item)
    return mine, others


def variant_text(item, index):
    """Text of variant `index`, or of the first variant if that index is gone after a refresh."""
    variants = item.get("variants") or []
    for variant in variants:
        if variant.get("index") == index:
            return variant.get("text") or ""
    return (variants[0].get("text") or "") if variants else ""


def campaign_hashtag(item):
    hashtag = (item.get("campaign") or {}).get("hashtag")
    if not hashtag:
        return ""
    return hashtag if hashtag.startswith("#") else "#" + hashtag


def _word_char(char):
    return char.isalnum() or char == "_"


def has_hashtag(text, hashtag):
    """`hashtag` is in `text` as a whole tag, in any case: "#acmelaunch" counts for #AcmeLaunch,
    "#AcmeLaunchDay" does not. Same rule as the guidelines' terms (a tag starts with "#", so only
    the character after it must not continue the word), so a `require` rule listing the tag and
    this check agree."""
    if not hashtag:
        return False
    low, tag = text.lower(), hashtag.lower()
    start = low.find(tag)
    while start != -1:
        end = start + len(tag)
        if end >= len(low) or not _word_char(low[end]):
            return True
        start = low.find(tag, start + 1)
    return False


def with_campaign_hashtag(text, hashtag, network):
    """The one place that adds a campaign's hashtag to a post: at the end, unless the post
    already has it. On X a space (characters are scarce); on LinkedIn a hashtags line of its
    own after a blank line, or a space when the post already ends with a line of hashtags."""
    if not hashtag or has_hashtag(text, hashtag):
        return text
    body = text.rstrip()
    if not body:
        return hashtag
    last_line = body.split("\n")[-1].split()
    tags_line = all(word.startswith("#") for word in last_line)
    separator = " " if network == "x" or tags_line else "\n\n"
    return body + separator + hashtag


def shared_label(strings, count):
    """ "N colleagues shared this", with an invitation instead of "0 colleagues"."""
    if not count:
        return strings.get("colleagues_shared_zero")
    return strings.plural("colleagues_shared", int(count))
