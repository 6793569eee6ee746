"""Schema problems in the admin's language, for console forms that take JSON or build it.

The API keeps jsonschema's English messages (one error shape, read by programs and logs); a person
reading a console page gets the same problem in their own words: the validator that failed and its
value, said through Flask-Babel. A validator without wording here falls back to jsonschema's text.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from jsonschema import ValidationError


def _shown(value: Any) -> str:
    """A value as the admin typed it (JSON), shortened so one problem stays one line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def in_words(err: ValidationError) -> str:
    """What is wrong, said for a person (the path is shown beside it)."""
    kind, limit = err.validator, err.validator_value
    if kind == "required":
        missing = [
            name for name in limit if isinstance(err.instance, dict) and name not in err.instance
        ]
        return _("%(name)s is missing.", name=", ".join(missing) or "?")
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = set((err.schema or {}).get("properties", {}))
        extra = (
            sorted(k for k in err.instance if k not in allowed)
            if isinstance(err.instance, dict)
            else []
        )
        return _("Unknown field: %(names)s.", names=", ".join(extra) or "?")
    if kind == "type":
        names = {
            "string": _("text"),
            "integer": _("a whole number"),
            "number": _("a number"),
            "boolean": _("true or false"),
            "array": _("a list"),
            "object": _("an object"),
            "null": _("null"),
        }
        wanted = limit if isinstance(limit, list) else [limit]
        return _("Must be %(what)s.", what=_(" or ").join(names.get(t, t) for t in wanted))
    if kind in ("enum", "const"):
        allowed = limit if kind == "enum" else [limit]
        return _("Must be one of: %(values)s.", values=", ".join(_shown(v) for v in allowed))
    if kind == "minLength":
        return ngettext(
            "Must be at least %(num)d character long.",
            "Must be at least %(num)d characters long.",
            limit,
        )
    if kind == "maxLength":
        return ngettext(
            "Must be at most %(num)d character long.",
            "Must be at most %(num)d characters long.",
            limit,
        )
    if kind == "minItems":
        return ngettext("Needs at least %(num)d item.", "Needs at least %(num)d items.", limit)
    if kind == "maxItems":
        return ngettext("Takes at most %(num)d item.", "Takes at most %(num)d items.", limit)
    if kind == "uniqueItems":
        return _("Each item must appear only once.")
    if kind == "minimum":
        return _("Must be at least %(limit)s.", limit=limit)
    if kind == "maximum":
        return _("Must be at most %(limit)s.", limit=limit)
    if kind == "exclusiveMinimum":
        return _("Must be greater than %(limit)s.", limit=limit)
    if kind == "exclusiveMaximum":
        return _("Must be less than %(limit)s.", limit=limit)
    if kind == "pattern":
        return _("%(value)s does not have the expected form.", value=_shown(err.instance))
    if kind == "format":
        return _("%(value)s is not a valid %(format)s.", value=_shown(err.instance), format=limit)
    if kind in ("oneOf", "anyOf"):
        return _("Matches none of the allowed forms.")
    return err.message
