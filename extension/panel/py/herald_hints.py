"""Guideline hints for the composer text: findings, quick fixes, highlight ranges, length counter.

The checking itself belongs to the `guidelines` package (native RegExp backend under Brython);
this module turns its findings into what the panel shows and what the bridge paints.
Offsets are code points throughout, as in the contract.
"""

LIMITS = {"x": 280, "linkedin": 3000}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def text_length(network, text, x_weighted_length):
    """X counts weighted length (URLs 23, CJK/emoji 2); LinkedIn counts characters (code points)."""
    if network == "x":
        return int(x_weighted_length(text))
    return len(text)


def _field(finding, *names, default=None):
    for name in names:
        if isinstance(finding, dict):
            if name in finding and finding[name] is not None:
                return finding[name]
        elif getattr(finding, name, None) is not None:
            return getattr(finding, name)
    return default


def normalize_finding(finding, text_size, text=None):
    """One finding as the panel uses it; offsets clamped into the text so a stale policy cannot
    make the bridge paint outside the composer. Every finding gets at least one fix: the
    policy's replacements or append, else removing the match (with one neighbouring space, so
    no double space is left); over-length findings get "shorten" guidance in `analyze`."""
    start = max(0, min(int(_field(finding, "start", default=0)), text_size))
    end = max(start, min(int(_field(finding, "end", default=start)), text_size))
    severity = _field(finding, "severity", default="warning")
    if severity not in SEVERITY_ORDER:
        severity = "warning"
    fixes = []
    for replacement in _field(finding, "replacements", "alternatives", default=[]) or []:
        fixes.append({"start": start, "end": end, "replacement": str(replacement)})
    append = _field(finding, "fix_append", "append") or (
        _field(finding, "fix", default={}) or {}
    ).get("append")
    if append:
        fixes.append({"append": str(append)})
    if not fixes and end > start:
        fixes.append(removal(text, start, end))
    return {
        "rule": str(_field(finding, "rule", "rule_id", "id", default="rule")),
        "kind": str(_field(finding, "kind", default="")),
        "severity": severity,
        "start": start,
        "end": end,
        "match": str(_field(finding, "match", default="")),
        "message": str(_field(finding, "message", default="")),
        "explanation": str(_field(finding, "explanation", "explain", default="")),
        "fixes": fixes,
    }


def removal(text, start, end):
    """Delete [start, end) and one space beside it (after, else before) when there is one."""
    if text is not None:
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > 0 and text[start - 1] == " ":
            start -= 1
    return {"start": start, "end": end, "replacement": ""}


def _mark_over_length(findings, size, length, limit):
    """The length rule's finding (the part past the limit, up to the end) is fixed by shortening
    the post, not by deleting its tail: replace its fixes with the guidance."""
    if length <= limit:
        return
    over = None
    for finding in findings:
        if finding["kind"] == "limit" and finding["end"] == size:
            if over is None or finding["start"] < over["start"]:
                over = finding
    if over is not None:
        over["fixes"] = [{"shorten": length - limit}]


def fixes_to_apply(finding):
    """Fixes the bridge can apply (guidance like "shorten" is only shown)."""
    return [fix for fix in finding["fixes"] if "shorten" not in fix]


def group_findings(findings):
    """Findings of the same rule as one entry: message once, every match as a chip with its own
    fixes. Groups keep the findings' order (most severe first); `items` are finding indexes."""
    groups = []
    by_rule = {}
    for index, finding in enumerate(findings):
        group = by_rule.get(finding["rule"])
        if group is None:
            group = {
                "rule": finding["rule"],
                "severity": finding["severity"],
                "message": finding["message"],
                "explanation": finding["explanation"],
                "items": [],
            }
            by_rule[finding["rule"]] = group
            groups.append(group)
        group["items"].append(index)
    return groups


def summary(findings):
    """(issues, errors) for the summary line."""
    errors = 0
    for finding in findings:
        if finding["severity"] == "error":
            errors += 1
    return len(findings), errors


def length_limit(network, policy, account_limit=None):
    """The policy's limit for the network when it sets one (it is the company's rule); without a
    policy, the account's own limit (see with_account_limit), else the network's default."""
    try:
        return int(policy["limits"][network]["max_length"])
    except (KeyError, TypeError, ValueError):
        return account_limit or LIMITS.get(network, LIMITS["linkedin"])


def with_account_limit(policy, network, account_limit):
    """The policy as this employee's account sees it: X's limit depends on the account (25,000
    for subscribers; the page shows it, or the employee set it in the options). Wherever the policy
    says the network's default length (280 on X, filled in when the company set none), the
    account's limit replaces it; a limit the company chose itself stays. The counter, the length
    finding and its "shorten by" fix all read the result, so they agree."""
    default = LIMITS.get(network)
    if not policy or not account_limit or account_limit == default:
        return policy
    limits = dict(policy.get("limits") or {})
    if network in limits and limits[network].get("max_length") == default:
        limits[network] = dict(limits[network], max_length=account_limit)
    rules = []
    for rule in policy.get("rules") or []:
        lengths = rule.get("max_length") if isinstance(rule, dict) else None
        if lengths and lengths.get(network) == default:
            rule = dict(rule, max_length=dict(lengths, **{network: account_limit}))
        rules.append(rule)
    # A hash of its own: the engine caches plans by hash, and these rules differ.
    return dict(
        policy,
        limits=limits,
        rules=rules,
        hash=str(policy.get("hash")) + ":" + network + "=" + str(account_limit),
    )


def analyze(check, x_weighted_length, network, text, policy, language=None, account_limit=None):
    """Findings (most severe first, then by position), highlight ranges and the counter.

    `language`: the employee's; rules the policy wrote in it speak it, others its default.
    `account_limit`: the counter's limit while there is no policy (see with_account_limit)."""
    findings = []
    if policy is not None and text:
        size = len(text)
        raw = check(text, policy, network, language) if language else check(text, policy, network)
        findings = [normalize_finding(finding, size, text) for finding in raw]
        findings.sort(
            key=lambda f: (SEVERITY_ORDER[f["severity"]], f["start"], f["end"], f["rule"])
        )
    ranges = [
        {"start": f["start"], "end": f["end"], "severity": f["severity"], "rule": f["rule"]}
        for f in sorted(findings, key=lambda f: (f["start"], f["end"]))
        if f["end"] > f["start"]
    ]
    length = text_length(network, text, x_weighted_length)
    limit = length_limit(network, policy, account_limit)
    _mark_over_length(findings, len(text), length, limit)
    return {"findings": findings, "ranges": ranges, "length": length, "limit": limit}


def fix_label(strings, fix):
    if "shorten" in fix:
        return strings.plural("fix_shorten", int(fix["shorten"]))
    if "append" in fix:
        return strings.get("fix_append", text=fix["append"].strip())
    if not fix["replacement"]:
        return strings.get("fix_remove")
    return strings.get("fix_replace", replacement=fix["replacement"])


def counter_text(strings, length, limit):
    """ "1,234 / 3,000" in the employee's number format."""
    return strings.get("counter_value", value=strings.number(length), limit=strings.number(limit))


def over_limit_text(strings, length, limit):
    return (
        strings.get("counter_over", count=strings.number(length - limit)) if length > limit else ""
    )


def hint_cards(strings, findings):
    """What the bridge's card at an underline shows for each finding with a span: the same
    message, explanation and fixes as the panel's list, with labels in the employee's language.
    Guidance ("shorten") stays in the panel: the card offers only what it can apply."""
    cards = []
    for finding in findings:
        if finding["end"] <= finding["start"]:
            continue
        cards.append(
            {
                "start": finding["start"],
                "end": finding["end"],
                "severity": finding["severity"],
                "severity_label": strings.get("severity_" + finding["severity"]),
                "rule": finding["rule"],
                "message": finding["message"],
                "explanation": finding["explanation"],
                "fixes": [
                    {"label": fix_label(strings, fix), "fix": fix}
                    for fix in fixes_to_apply(finding)
                ],
            }
        )
    return cards


def card_labels(strings):
    return {
        "card": strings.get("hint_card_label"),
        "why": strings.get("hint_why"),
        "close": strings.get("hint_card_close"),
    }


def post_note_text(strings, findings, policy):
    """The policy's choice for posting with errors left: None (nothing, the default) or the
    note "2 issues left — post anyway?" counting error-level findings."""
    on_post = (policy or {}).get("on_post") or {}
    if on_post.get("errors_left") != "note":
        return None
    errors = summary(findings)[1]
    return strings.plural("post_anyway", errors) if errors else None
