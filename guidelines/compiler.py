"""Policy document -> portable compiled policy (server-only: uses ``re`` and ``jsonschema``)."""

from __future__ import annotations

import hashlib
import json
import unicodedata

from .check import check_rules, normalize_term
from .regex_subset import (
    RegexSubsetError,
    _lit,
    boundary,
    case_variants,
    emit_literal,
    translate,
    whitespace_class,
)
from .schemas import COMPILED_SCHEMA, NETWORKS, POLICY_SCHEMA

DEFAULT_MAX_LENGTH = {"x": 280, "linkedin": 3000}
COUNTING = {"x": "twitter-weighted", "linkedin": "code-points"}


class PolicyError(ValueError):
    """Invalid policy; ``errors`` is a list of {rule, field, message}."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(
            "\n".join(
                f"rule {e['rule'] or '<policy>'}: {e['field']}: {e['message']}" for e in errors
            )
        )


class ExampleError(PolicyError):
    """The policy is valid but some rule examples fail."""


def _is_unspaced(ch: str) -> bool:
    """Scripts written without spaces between words: match terms there as substrings."""
    o = ord(ch)
    return (
        0x0E00 <= o <= 0x0EFF  # Thai, Lao
        or 0x1000 <= o <= 0x109F  # Myanmar
        or 0xA9E0 <= o <= 0xA9FF
        or 0xAA60 <= o <= 0xAA7F
        or 0x1780 <= o <= 0x17FF  # Khmer
        or 0x19E0 <= o <= 0x19FF
        or 0x3040 <= o <= 0x30FF  # Hiragana, Katakana
        or 0x31F0 <= o <= 0x31FF
        or 0xFF66 <= o <= 0xFF9F
        or 0x3100 <= o <= 0x312F  # Bopomofo
        or 0x3400 <= o <= 0x4DBF  # CJK
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x3000 <= o <= 0x303F
        or 0x20000 <= o <= 0x3FFFF
    )


def _is_word(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


def _edge_needs_boundary(ch: str) -> bool:
    return _is_word(ch) and not _is_unspaced(ch)


def _tokens(term: str) -> list:
    """Trie keys: a whitespace run, or the case-fold group of one character."""
    out: list = []
    for i, word in enumerate(term.split()):
        if i:
            out.append("WS")
        out.extend(case_variants(ord(ch)) for ch in word)
    return out


def _emit_trie(node: dict, flavor: str) -> str:
    # Siblings are disjoint (fold groups partition code points; whitespace is no letter), so at
    # most one child can match: depth-first with "stop here" last equals longest-term-first.
    alts = []
    for key in sorted((k for k in node if k != ""), key=lambda k: (k == "WS", str(k))):
        if key == "WS":
            tok = whitespace_class(flavor) + "+"
        else:
            tok = emit_literal(key[0], flavor)
        alts.append(tok + _emit_trie(node[key], flavor))
    if "" in node:
        if not alts:
            return ""
        if len(alts) == 1:
            return "(?:" + alts[0] + ")?"
        return "(?:" + "|".join(alts) + ")?"
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _emit_trie_chunked(node: dict, flavor: str, size: int = 16) -> str:
    """Like ``_emit_trie``, but a level with many children is split into groups guarded by one
    lookahead class each: CPython's ``re`` tries alternatives one by one, so the guard lets it
    skip a whole group at once (V8 needs no help)."""
    keys = sorted((k for k in node if k != ""), key=lambda k: (k == "WS", str(k)))
    if len(keys) <= size or "WS" in keys:
        return _emit_trie(node, flavor)
    groups = []
    for i in range(0, len(keys), size):
        chunk = keys[i : i + size]
        cls = "".join(_lit(cp, flavor, True) for k in chunk for cp in k)
        alts = "|".join(
            emit_literal(k[0], flavor) + _emit_trie_chunked(node[k], flavor, size) for k in chunk
        )
        groups.append("(?=[" + cls + "])(?:" + alts + ")")
    body = "|".join(groups)
    return "(?:" + body + ")" + ("?" if "" in node else "")


def _term_tries(terms: list[str]) -> dict[tuple[bool, bool], dict]:
    """Prefix tries of the normalised terms, one per boundary shape (word edge at start, at end)."""
    buckets: dict[tuple[bool, bool], dict] = {}
    for term in sorted({normalize_term(t) for t in terms}):
        if not term:
            continue
        key = (_edge_needs_boundary(term[0]), _edge_needs_boundary(term[-1]))
        node = buckets.setdefault(key, {})
        for tok in _tokens(term):
            node = node.setdefault(tok, {})
        node[""] = {}
    return buckets


def compile_terms(terms: list[str]) -> list[dict]:
    """One prefix-trie regex per boundary shape (leftmost-longest, like longest-first
    alternation, but each position tries only the branch its next character allows)."""
    buckets = _term_tries(terms)
    out = []
    for (lead, trail), trie in sorted(buckets.items()):
        flav = {}
        for f in ("js", "py"):
            body = _emit_trie(trie, f)
            if lead or trail:
                body = "(?:" + body + ")"
            flav[f] = (
                (boundary(f, True) if lead else "") + body + (boundary(f, False) if trail else "")
            )
        out.append(flav)
    return out


def term_prefilter(terms: list[str]) -> dict | None:
    """One regex matching exactly where any of ``terms`` matches (one prefix trie per boundary
    shape over the terms of every rule): the matcher scans all term regexes of a policy in one
    pass behind it."""
    buckets = _term_tries(terms)
    if not buckets:
        return None
    out = {}
    for f in ("js", "py"):
        alts = []
        for (lead, trail), trie in sorted(buckets.items(), reverse=True):
            alts.append(
                (boundary(f, True) if lead else "")
                + "(?:"
                + (_emit_trie_chunked(trie, f) if f == "py" else _emit_trie(trie, f))
                + ")"
                + (boundary(f, False) if trail else "")
            )
        out[f] = "|".join(alts)
    return out


def _policy_terms(rules: list[dict]) -> list[str]:
    """Every phrase compiled with ``compile_terms`` (terms, exceptions, when, require_any)."""
    out: list[str] = []
    for r in rules:
        for field in ("terms", "exceptions", "when", "require_any"):
            out.extend(r.get(field, []))
    return out


def _schema_errors(doc) -> list[dict]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(POLICY_SCHEMA)
    errors = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        rule = None
        field = ".".join(map(str, path)) or "<document>"
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            r = doc["rules"][path[1]]
            rule = r.get("id") if isinstance(r, dict) and isinstance(r.get("id"), str) else None
            rule = rule or f"#{path[1]}"
            field = ".".join(map(str, path[2:])) or "<rule>"
        msg = err.message
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [p for p in err.validator_value if p not in err.instance]
            if missing:
                field = missing[0] if field == "<rule>" else f"{field}.{missing[0]}"
        elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            if extra:
                field = extra[0] if field == "<rule>" else f"{field}.{extra[0]}"
        if err.validator in ("anyOf",) and rule:
            msg = "limit rule needs max_length, max_hashtags or max_mentions"
        errors.append({"rule": rule, "field": field, "message": msg})
    return errors


def localized(text: str | dict | None, default_language: str) -> tuple[str, dict[str, str]]:
    """(text in the default language, {language: text}) of a rule's message or explain.

    A plain string is the default language's (policies written before languages keep working);
    a language missing from the object falls back to English, then to the first one given."""
    if text is None:
        return "", {}
    if isinstance(text, str):
        return text, {}
    by_language = dict(text)
    default = by_language.get(default_language) or by_language.get("en")
    if default is None:
        default = next(iter(by_language.values()))
    return default, by_language


def _compile_rule(r: dict, errors: list[dict], default_language: str = "en") -> dict:
    rid = r["id"]
    kind = r["kind"]

    def err(field: str, message: str) -> None:
        errors.append({"rule": rid, "field": field, "message": message})

    message, messages = localized(r["message"], default_language)
    explain, explains = localized(r.get("explain"), default_language)
    out: dict = {
        "id": rid,
        "kind": kind,
        "severity": r["severity"],
        "message": message,
        "explain": explain,
        "networks": [n for n in NETWORKS if n in r.get("networks", NETWORKS)],
        "patterns": [],
        "exceptions": [],
        "replacements": {},
    }
    # Only for policies that give languages: a plain-string policy compiles (and hashes) as before.
    if messages:
        out["messages"] = messages
    if explains:
        out["explains"] = explains
    if kind == "terms":
        out["patterns"] = compile_terms(r["terms"])
        keys = {normalize_term(t) for t in r["terms"]}
        for term, alts in sorted(r.get("replacements", {}).items()):
            key = normalize_term(term)
            if key not in keys:
                err(f"replacements.{term}", "is not one of the rule's terms")
            out["replacements"][key] = list(alts)
    elif kind == "pattern":
        try:
            out["patterns"] = [translate(r["pattern"], r.get("ignore_case", True))]
        except RegexSubsetError as exc:
            err("pattern", f"unsupported regex: {exc}")
    elif kind == "detector":
        from ._builtin import PATTERNS

        out["detectors"] = [
            {
                "name": d,
                "js": PATTERNS[d]["js"],
                "py": PATTERNS[d]["py"],
                "pre": dict(PATTERNS["pre:" + d]),
            }
            for d in r["detectors"]
        ]
    elif kind == "require":
        out["patterns"] = compile_terms(r["when"])
        out["require_any"] = compile_terms(r["require_any"])
        out["fix_append"] = r.get("fix_append", "")
    elif kind == "limit":
        if "max_length" in r:
            out["max_length"] = {n: r["max_length"].get(n, DEFAULT_MAX_LENGTH[n]) for n in NETWORKS}
        else:
            out["max_length"] = {}
        out["max_hashtags"] = r.get("max_hashtags")
        out["max_mentions"] = r.get("max_mentions")
    if r.get("exceptions"):
        if kind in ("terms", "pattern"):
            out["exceptions"] = compile_terms(r["exceptions"])
        else:
            err("exceptions", f"not supported for kind {kind!r}")
    for field in ("terms", "replacements", "exceptions"):
        if field in r and kind != "terms" and not (field == "exceptions" and kind == "pattern"):
            err(field, f"not used by kind {kind!r}")
    return out


def policy_hash(compiled: dict) -> str:
    body = {k: v for k, v in compiled.items() if k != "hash"}
    canon = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _example_failures(compiled: dict, doc_rules: list[dict]) -> list[dict]:
    by_id = {r["id"]: r for r in compiled["rules"]}
    failures = []
    for r in doc_rules:
        ex = r.get("examples", {})
        rule = by_id[r["id"]]
        network = rule["networks"][0]
        for which in ("flag", "pass"):
            for i, text in enumerate(ex.get(which, [])):
                hits = check_rules(text, compiled, network, [rule])
                if which == "flag" and not hits:
                    msg = f"flag example is not flagged: {text!r}"
                elif which == "pass" and hits:
                    msg = f"pass example is flagged ({hits[0]['match']!r}): {text!r}"
                else:
                    continue
                failures.append(
                    {"rule": r["id"], "field": f"examples.{which}[{i}]", "message": msg}
                )
    return failures


def compile_policy(doc: dict, run_examples: bool = True) -> dict:
    """Validate a policy document, compile it, run every rule's examples."""
    errors = _schema_errors(doc)
    if errors:
        raise PolicyError(errors)
    seen: set[str] = set()
    for r in doc["rules"]:
        if r["id"] in seen:
            errors.append({"rule": r["id"], "field": "id", "message": "duplicate rule id"})
        seen.add(r["id"])
    default_language = doc.get("default_language", "en")
    rules = [
        _compile_rule(r, errors, default_language) for r in doc["rules"] if r.get("enabled", True)
    ]
    if errors:
        raise PolicyError(errors)
    limits = {n: {"max_length": DEFAULT_MAX_LENGTH[n], "counting": COUNTING[n]} for n in NETWORKS}
    for r in rules:
        if r["kind"] == "limit":
            for n, v in r["max_length"].items():
                if n in r["networks"]:
                    limits[n]["max_length"] = v
    compiled = {
        "format": "herald-compiled-policy/1",
        "version": 1,
        "name": doc["name"],
        "hash": "",
        "js_flags": "gu",
        "limits": limits,
        "rules": rules,
    }
    if (doc.get("on_post") or {}).get("errors_left") == "note":
        # only when set, so the default leaves every existing policy's hash as it was
        compiled["on_post"] = {"errors_left": "note"}
    if "default_language" in doc:
        compiled["default_language"] = default_language
    pre = term_prefilter(_policy_terms([r for r in doc["rules"] if r.get("enabled", True)]))
    if pre:
        compiled["term_prefilter"] = pre
    compiled["hash"] = policy_hash(compiled)
    if run_examples:
        enabled = [r for r in doc["rules"] if r.get("enabled", True)]
        failures = _example_failures(compiled, enabled)
        if failures:
            raise ExampleError(failures)
    return compiled


def validate_compiled(compiled: dict) -> None:
    import jsonschema

    jsonschema.validate(compiled, COMPILED_SCHEMA)
