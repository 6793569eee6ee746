"""Share events: what Herald records when the employee presses Post.

Decisions (also in docs/CONTRACT.md):
- The "origin" of a post is the suggestion text it started from, or the empty text when the
  employee wrote it from scratch. `edit_distance` is Levenshtein(origin, posted) in code points,
  so an own-words post has edited=true and edit_distance=len(text): analysts can sum distances
  without special cases, and filter `snippet_id is null` to separate own posts.
- Distances above EDIT_DISTANCE_CAP are reported as the cap: beyond that the post is a rewrite
  and an exact number would cost seconds of Brython time on a 3,000-character post.
- `findings` lists each distinct (rule, severity) still present, sorted, never the flagged text.
"""

EDIT_DISTANCE_CAP = 256


def edit_distance(source, target, cap=EDIT_DISTANCE_CAP):
    """Levenshtein distance on code points, exact up to `cap` (returns `cap` above it).

    Edits are usually local, so the common prefix and suffix are dropped first; the rest runs a
    banded dynamic programme whose band doubles until the answer fits in it (Ukkonen).
    """
    start = 0
    shortest = min(len(source), len(target))
    while start < shortest and source[start] == target[start]:
        start += 1
    end_source, end_target = len(source), len(target)
    while (
        end_source > start
        and end_target > start
        and source[end_source - 1] == target[end_target - 1]
    ):
        end_source -= 1
        end_target -= 1
    left, right = source[start:end_source], target[start:end_target]
    if not left or not right:
        return min(max(len(left), len(right)), cap)
    if abs(len(left) - len(right)) >= cap:
        return cap
    band = max(1, abs(len(left) - len(right)))
    while True:
        distance = _banded_distance(left, right, band)
        if distance <= band:
            return min(distance, cap)
        if band >= cap:
            return cap
        band = min(band * 2, cap)


def _banded_distance(left, right, band):
    """Levenshtein restricted to cells |i - j| <= band; exact whenever the result is <= band."""
    too_far = band + 1
    rows, columns = len(left), len(right)
    previous = [j if j <= band else too_far for j in range(columns + 1)]
    for i in range(1, rows + 1):
        current = [too_far] * (columns + 1)
        if i <= band:
            current[0] = i
        low, high = max(1, i - band), min(columns, i + band)
        char = left[i - 1]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (0 if right[j - 1] == char else 1)
            deletion = previous[j] + 1
            insertion = current[j - 1] + 1
            best = cost if cost < deletion else deletion
            current[j] = best if best < insertion else insertion
        previous = current
    return min(previous[columns], too_far)


def distinct_findings(findings):
    """[{rule, severity}] without repeats, in a stable order for the server and for tests."""
    pairs = sorted({(finding["rule"], finding["severity"]) for finding in findings})
    return [{"rule": rule, "severity": severity} for rule, severity in pairs]


def build_share_event(event_id, network, text, origin, findings, shared_at):
    """The event for one post. `origin` is {snippet_id, variant, text} or None."""
    origin_text = origin["text"] if origin else ""
    distance = edit_distance(origin_text, text)
    return {
        "event_id": event_id,
        "network": network,
        "snippet_id": origin["snippet_id"] if origin else None,
        "variant": origin["variant"] if origin else None,
        "edited": origin is None or origin_text != text,
        "edit_distance": distance,
        "findings": distinct_findings(findings),
        "shared_at": shared_at,
    }
