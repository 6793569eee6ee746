"""Run a compiled policy over a post. Browser-safe: no ``re``; regexes go through the backend."""

from __future__ import annotations

from . import validators
from ._builtin import PATTERNS
from .backend import STRIDE, get_backend
from .weighted import parse_x

_plans: dict = {}
_net_rules: dict = {}  # (policy hash, network) -> the rules that apply
_PLAN_CACHE_MAX = 16


def normalize_term(s: str) -> str:
    """Key used to look up replacements: lower-case, final sigma folded, single spaces."""
    low = s.lower().replace("ς", "σ")
    words = low.split()
    if len(words) == 1 and len(words[0]) == len(low):
        return low  # no whitespace: skip the join (slow in Brython)
    return " ".join(words)


def _finding(rule: dict, match: str, s: int, e: int, replacements=None, fix=None) -> dict:
    return {
        "rule": rule["id"],
        "kind": rule["kind"],
        "severity": rule["severity"],
        "start": s,
        "end": e,
        "match": match,
        "message": rule["message"],
        "replacements": list(replacements) if replacements else [],
        "explain": rule.get("explain", ""),
        "fix": fix,
    }


def _plan(compiled: dict, network: str, rules: list[dict], key: tuple | None = None) -> tuple:
    """Collect every regex the rules need into one backend program (cached per policy)."""
    if key is None:
        key = (compiled.get("hash"), network, tuple([r["id"] for r in rules]))
    plan = _plans.get(key)
    if plan is not None:
        return plan
    be = get_backend()
    flavor = be.flavor
    sources: list[str] = []
    prefilters: list = []
    term_pre = compiled.get("term_prefilter")

    def add(items: list, pre: dict | None = None) -> list[int]:
        idx = []
        for it in items:
            idx.append(len(sources))
            sources.append(it[flavor])
            p = pre or it.get("pre")
            prefilters.append(p[flavor] if p else None)
        return idx

    steps = []
    for r in rules:
        kind = r["kind"]
        if kind == "terms":
            steps.append((r, add(r["patterns"], term_pre), add(r["exceptions"], term_pre)))
        elif kind == "pattern":
            steps.append((r, add(r["patterns"]), add(r["exceptions"], term_pre)))
        elif kind == "detector":
            steps.append((r, add(r["detectors"]), [d["name"] for d in r["detectors"]]))
        elif kind == "require":
            steps.append((r, add(r["patterns"], term_pre), add(r["require_any"], term_pre)))
        elif kind == "limit":
            tags = ments = []
            if r.get("max_hashtags") is not None:
                tags = add([PATTERNS["hashtag"]], PATTERNS["pre:hashtag"])
            if r.get("max_mentions") is not None:
                ments = add([PATTERNS["mention"]], PATTERNS["pre:mention"])
            steps.append((r, tags, ments))
    if len(_plans) >= _PLAN_CACHE_MAX:
        _plans.clear()
    ranks = {rid: k for k, rid in enumerate(sorted({r["id"] for r in rules}))}
    plan = (be.prepare(sources, prefilters), steps, ranks)
    _plans[key] = plan
    return plan


def _hits(results: list, idx: list[int]) -> list[list]:
    """[start, end, match] of the given sources, sorted, without duplicates. Numbers, not
    tuples, as sort keys: tuple comparisons cost ~20 µs each in Brython."""
    if len(idx) == 1:
        r = results[idx[0]]
        return [[r[j], r[j + 1], r[j + 2]] for j in range(0, len(r), STRIDE)]
    span = results[-1][0] + 1
    seen = {}
    for i in idx:
        r = results[i]
        for j in range(0, len(r), STRIDE):
            seen[r[j] * span + r[j + 1]] = [r[j], r[j + 1], r[j + 2]]
    return [seen[k] for k in sorted(seen)]


def _inside(s: int, e: int, spans: list) -> bool:
    for x in spans:
        if x[0] <= s and e <= x[1]:
            return True
    return False


def _overlaps(s: int, e: int, spans: list) -> bool:
    for x in spans:
        if s < x[1] and x[0] < e:
            return True
    return False


def check_rules(
    text: str, compiled: dict, network: str, rules: list[dict], key: tuple | None = None
) -> list[dict]:
    be = get_backend()
    program, steps, ranks = _plan(compiled, network, rules, key)
    results = be.run(program, text)
    span = results[-1][0] + 1  # one more than any offset: (a, b) sorts as a * span + b
    found: list[dict] = []
    for rule, a, b in steps:
        kind = rule["kind"]
        if kind in ("terms", "pattern") and len(a) == 1 and not b:
            # the common case, walked straight over the records (fewest Brython operations)
            repl = rule["replacements"]
            rid, sev, msg = rule["id"], rule["severity"], rule["message"]
            expl = rule.get("explain", "")
            r = results[a[0]]
            for j in range(0, len(r), STRIDE):
                m = r[j + 2]
                alts = repl.get(normalize_term(m)) if repl else None
                found.append(
                    {
                        "rule": rid,
                        "kind": kind,
                        "severity": sev,
                        "start": r[j],
                        "end": r[j + 1],
                        "match": m,
                        "message": msg,
                        "replacements": list(alts) if alts else [],
                        "explain": expl,
                        "fix": None,
                    }
                )
        elif kind in ("terms", "pattern"):
            exc = _hits(results, b) if b else []
            repl = rule["replacements"]
            for s, e, m in _hits(results, a):
                if exc and _inside(s, e, exc):
                    continue
                alts = repl.get(normalize_term(m)) if repl else None
                found.append(_finding(rule, m, s, e, alts))
        elif kind == "detector":
            cands = {}
            for i, name in zip(a, b, strict=True):
                valid = validators.VALIDATORS[name]
                prio = validators.PRIORITY[name]
                r = results[i]
                for j in range(0, len(r), STRIDE):
                    m = r[j + 2]
                    n = valid(m, r[j + 3], r[j + 4])
                    if n is not None:
                        s = r[j]
                        # by (priority, start, end); one detector's matches never coincide
                        cands[(prio * span + s) * span + s + n] = [
                            s,
                            s + n,
                            m if n == len(m) else m[:n],
                        ]
            kept: list = []
            for k in sorted(cands):
                c = cands[k]
                if kept and _overlaps(c[0], c[1], kept):
                    continue
                kept.append(c)
                found.append(_finding(rule, c[2], c[0], c[1]))
        elif kind == "require":
            when = _hits(results, a)
            if when and not any(results[i] for i in b):
                s, e, m = when[0]
                found.append(_finding(rule, m, s, e, fix={"append": rule.get("fix_append", "")}))
        elif kind == "limit":
            found.extend(_limit_findings(rule, text, network, results, a, b))
    if len(found) > 1:
        # (start, end, rule) as one number: tuple keys cost ~20 µs per item in Brython
        nr = len(ranks)
        found.sort(key=lambda f: (f["start"] * span + f["end"]) * nr + ranks[f["rule"]])
    return found


def _limit_findings(rule, text, network, results, tag_idx, ment_idx) -> list[dict]:
    out = []
    lengths = rule.get("max_length")
    max_len = lengths.get(network) if lengths else None
    if max_len is not None:
        n = results[-1][0]  # code points
        if network == "x":
            exceed = parse_x(text, True, max_len)["exceed_at"]
        else:
            exceed = max_len if n > max_len else None
        if exceed is not None:
            out.append(_finding(rule, get_backend().slice(text, exceed, n), exceed, n))
    if tag_idx:
        _over(rule, results[tag_idx[0]], rule.get("max_hashtags"), out)
    if ment_idx:
        _over(rule, results[ment_idx[0]], rule.get("max_mentions"), out)
    return out


def _over(rule: dict, r: list, limit: int, out: list) -> None:
    """A finding per hashtag/mention beyond ``limit`` (all-digit tags like #1 do not count)."""
    seen = 0
    for j in range(0, len(r), STRIDE):
        m = r[j + 2]
        if m.lstrip("#＃@＠").isdigit():  # one [#＃@＠], then word characters
            continue
        seen += 1
        if seen > limit:
            out.append(_finding(rule, m, r[j], r[j + 1]))


_texts: dict = {}


def localize(findings: list[dict], compiled: dict, language: str | None) -> list[dict]:
    """Give each finding its rule's message and explanation in ``language`` ("ru", "pt-BR" → "pt")
    where the policy has them; otherwise they stay in the policy's default language."""
    if not language or not findings:
        return findings
    key = (compiled.get("hash"), language)
    by_rule = _texts.get(key) if key[0] else None
    if by_rule is None:
        base = language.split("-")[0].lower()
        by_rule = {}
        for r in compiled["rules"]:
            if "messages" in r or "explains" in r:
                m = r.get("messages") or {}
                e = r.get("explains") or {}
                by_rule[r["id"]] = (m.get(language) or m.get(base), e.get(language) or e.get(base))
        if key[0]:
            if len(_texts) >= _PLAN_CACHE_MAX:
                _texts.clear()
            _texts[key] = by_rule
    if by_rule:
        for f in findings:
            texts = by_rule.get(f["rule"])
            if texts is not None:
                if texts[0]:
                    f["message"] = texts[0]
                if texts[1]:
                    f["explain"] = texts[1]
    return findings


def check(text: str, compiled: dict, network: str, language: str | None = None) -> list[dict]:
    """Findings for ``text`` on ``network`` ("linkedin" or "x"), sorted by (start, end, rule).

    Each finding: rule, kind, severity, start, end (code-point offsets), match, message,
    replacements (list of str), explain (str), fix (None or {"append": str}). With ``language``,
    message and explain are in that language when the policy gives it (see ``localize``).
    """
    key = (compiled.get("hash"), network)
    rules = _net_rules.get(key) if key[0] else None
    if rules is None:
        rules = [r for r in compiled["rules"] if network in r["networks"]]
        if key[0]:
            if len(_net_rules) >= _PLAN_CACHE_MAX:
                _net_rules.clear()
            _net_rules[key] = rules
    # all rules of the network: the plan is keyed by (hash, network) alone
    found = check_rules(text, compiled, network, rules, key + ("*",) if key[0] else None)
    return localize(found, compiled, language) if language else found


def post_length(text: str, compiled: dict, network: str) -> dict:
    """{"network", "value", "limit"}: weighted length on X, code points on LinkedIn."""
    limit = compiled["limits"][network]["max_length"]
    value = parse_x(text, True, limit)["weightedLength"] if network == "x" else len(text)
    return {"network": network, "value": value, "limit": limit}
