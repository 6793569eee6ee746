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


def normalize_finding(finding, text_size):
    """One finding as the panel uses it; offsets clamped into the text so a stale policy cannot
    make the bridge paint outside the composer."""
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
    return {
        "rule": str(_field(finding, "rule", "rule_id", "id", default="rule")),
        "severity": severity,
        "start": start,
        "end": end,
        "message": str(_field(finding, "message", default="")),
        "explanation": str(_field(finding, "explanation", "explain", default="")),
        "fixes": fixes,
    }


def length_limit(network, policy):
    """The policy's limit for the network when it sets one (it is the company's rule)."""
    try:
        return int(policy["limits"][network]["max_length"])
    except (KeyError, TypeError, ValueError):
        return LIMITS.get(network, LIMITS["linkedin"])


def analyze(check, x_weighted_length, network, text, policy):
    """Findings (most severe first, then by position), highlight ranges and the counter."""
    findings = []
    if policy is not None and text:
        size = len(text)
        findings = [normalize_finding(finding, size) for finding in check(text, policy, network)]
        findings.sort(
            key=lambda f: (SEVERITY_ORDER[f["severity"]], f["start"], f["end"], f["rule"])
        )
    ranges = [
        {"start": f["start"], "end": f["end"], "severity": f["severity"], "rule": f["rule"]}
        for f in sorted(findings, key=lambda f: (f["start"], f["end"]))
        if f["end"] > f["start"]
    ]
    return {
        "findings": findings,
        "ranges": ranges,
        "length": text_length(network, text, x_weighted_length),
        "limit": length_limit(network, policy),
    }


def fix_label(strings, fix):
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
