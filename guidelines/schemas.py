"""JSON Schemas (2020-12) for the policy document and the compiled policy.

The files in ``shared_schemas/`` are written from these dicts (``python -m guidelines schemas``)
and a test keeps them identical, so the package works without the repo checkout.
"""

from __future__ import annotations

# The database's integer range (PostgreSQL `integer`): a larger limit could never be stored.
MAX_INT = 2**31 - 1
NETWORKS = ["linkedin", "x"]
DETECTORS = ["email", "phone", "card", "iban", "cashtag"]
KINDS = ["terms", "pattern", "detector", "require", "limit"]

_term_list = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}

ON_POST: dict = {
    "type": "object",
    "description": "What the extension does when the employee is about to post with error-level"
    " findings left. It never blocks or presses Post: 'nothing' (default) or 'note', a gentle"
    " one-time 'N issues left - post anyway?' note beside the site's Post button.",
    "additionalProperties": False,
    "properties": {"errors_left": {"enum": ["nothing", "note"]}},
}

# A rule's text: a plain string (one language, as before) or {language: text}, one at least.
LANGUAGE_TAG = "^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
LOCALIZED_TEXT: dict = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LANGUAGE_TAG},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
    ]
}
_localized_optional = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LANGUAGE_TAG},
            "additionalProperties": {"type": "string"},
        },
    ]
}
_per_language = {
    "type": "object",
    "description": "the text in each language the policy gives (the default language's is also"
    " in message/explain); the panel shows the employee's, else the default",
    "propertyNames": {"pattern": LANGUAGE_TAG},
    "additionalProperties": {"type": "string"},
}

POLICY_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://herald.invalid/schemas/policy.schema.json",
    "title": "Herald guideline policy",
    "type": "object",
    "required": ["version", "name", "rules"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "default_language": {
            "type": "string",
            "pattern": LANGUAGE_TAG,
            "description": "the language shown when a rule has no text in the employee's (default en)",
        },
        "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "on_post": ON_POST,
    },
    "$defs": {
        "rule": {
            "type": "object",
            "required": ["id", "kind", "severity", "message"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$"},
                "kind": {"enum": KINDS},
                "severity": {"enum": ["error", "warning", "info"]},
                "message": LOCALIZED_TEXT,
                "explain": _localized_optional,
                "networks": {
                    "type": "array",
                    "items": {"enum": NETWORKS},
                    "minItems": 1,
                    "uniqueItems": True,
                },
                "enabled": {"type": "boolean"},
                "examples": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "flag": {"type": "array", "items": {"type": "string"}},
                        "pass": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "terms": _term_list,
                "replacements": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "pattern": {"type": "string", "minLength": 1},
                "ignore_case": {"type": "boolean"},
                "detectors": {
                    "type": "array",
                    "items": {"enum": DETECTORS},
                    "minItems": 1,
                    "uniqueItems": True,
                },
                "when": _term_list,
                "require_any": _term_list,
                "fix_append": {"type": "string"},
                "max_length": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        n: {"type": "integer", "minimum": 1, "maximum": MAX_INT} for n in NETWORKS
                    },
                },
                "max_hashtags": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
                "max_mentions": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
            },
            "allOf": [
                {
                    "if": {"properties": {"kind": {"const": "terms"}}},
                    "then": {"required": ["terms"]},
                },
                {
                    "if": {"properties": {"kind": {"const": "pattern"}}},
                    "then": {"required": ["pattern"]},
                },
                {
                    "if": {"properties": {"kind": {"const": "detector"}}},
                    "then": {"required": ["detectors"]},
                },
                {
                    "if": {"properties": {"kind": {"const": "require"}}},
                    "then": {"required": ["when", "require_any"]},
                },
                {
                    "if": {"properties": {"kind": {"const": "limit"}}},
                    "then": {
                        "anyOf": [
                            {"required": ["max_length"]},
                            {"required": ["max_hashtags"]},
                            {"required": ["max_mentions"]},
                        ]
                    },
                },
            ],
        }
    },
}

_regex = {
    "type": "object",
    "required": ["js", "py"],
    "additionalProperties": False,
    "properties": {
        "js": {"type": "string", "description": "ECMAScript source for new RegExp(js, 'gu')"},
        "py": {"type": "string", "description": "Python re source, no flags"},
    },
}

COMPILED_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://herald.invalid/schemas/compiled-policy.schema.json",
    "title": "Herald compiled guideline policy",
    "type": "object",
    "required": ["format", "version", "name", "hash", "js_flags", "rules", "limits"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": "herald-compiled-policy/1"},
        "version": {"const": 1},
        "name": {"type": "string"},
        "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "js_flags": {"const": "gu"},
        "limits": {
            "type": "object",
            "required": NETWORKS,
            "additionalProperties": False,
            "properties": {
                n: {
                    "type": "object",
                    "required": ["max_length", "counting"],
                    "additionalProperties": False,
                    "properties": {
                        "max_length": {"type": "integer", "minimum": 1},
                        "counting": {"enum": ["twitter-weighted", "code-points"]},
                    },
                }
                for n in NETWORKS
            },
        },
        "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "on_post": ON_POST,
        "default_language": {"type": "string", "pattern": LANGUAGE_TAG},
        "term_prefilter": {
            "description": "matches wherever any term regex of the policy can start (a superset);"
            " the matcher scans all term regexes in one pass behind it",
            "$ref": "#/$defs/regex",
        },
    },
    "$defs": {
        "regex": _regex,
        "rule": {
            "type": "object",
            "required": [
                "id",
                "kind",
                "severity",
                "message",
                "explain",
                "networks",
                "patterns",
                "exceptions",
                "replacements",
            ],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "kind": {"enum": KINDS},
                "severity": {"enum": ["error", "warning", "info"]},
                "message": {"type": "string"},
                "explain": {"type": "string"},
                "messages": _per_language,
                "explains": _per_language,
                "networks": {"type": "array", "items": {"enum": NETWORKS}},
                "patterns": {
                    "description": "terms/pattern: match regexes; require: the 'when' regexes",
                    "type": "array",
                    "items": {"$ref": "#/$defs/regex"},
                },
                "exceptions": {"type": "array", "items": {"$ref": "#/$defs/regex"}},
                "replacements": {
                    "description": "normalised term (lower-case, final sigma as σ, single spaces) -> alternatives",
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "detectors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "js", "py"],
                        "additionalProperties": False,
                        "properties": {
                            "name": {"enum": DETECTORS},
                            "js": {"type": "string"},
                            "py": {"type": "string"},
                            "pre": {
                                "description": "cheap regex matching wherever this one can start",
                                "$ref": "#/$defs/regex",
                            },
                        },
                    },
                },
                "require_any": {"type": "array", "items": {"$ref": "#/$defs/regex"}},
                "fix_append": {"type": "string"},
                "max_length": {"type": "object"},
                "max_hashtags": {"type": ["integer", "null"]},
                "max_mentions": {"type": ["integer", "null"]},
            },
        },
    },
}
