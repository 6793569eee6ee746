"""A small JSON Schema (2020-12) checker for the subset our message schemas use.

`jsonschema` does not run in Brython, and a message that does not match its schema must be
dropped before it can put the panel in a state the bridge never meant.
Supported: type, const, enum, properties, required, additionalProperties, items, minItems,
maxItems, minimum, maximum, minLength, maxLength, anyOf, oneOf, allOf, not, local $ref.
`pattern` and `format` are not checked (no regex engine is bundled).
The sandboxed pages run its JavaScript twin in sandbox_port.js (nothing to compile at boot);
tests/panel/test_panel_schemas.py holds the two to the same verdicts.
"""

_TYPE_CHECKS = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "integer": lambda value: (
        isinstance(value, int)
        and not isinstance(value, bool)
        or (isinstance(value, float) and value.is_integer())
    ),
    "number": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "null": lambda value: value is None,
}


def errors(schema, value, root=None, path="", resolve=None):
    """List of "path: problem" strings; empty when value matches schema."""
    root = schema if root is None else root
    if schema is True or schema == {}:
        return []
    if schema is False:
        return [f"{path or '/'}: not allowed"]
    problems = []
    if "$ref" in schema:
        target = _resolve(schema["$ref"], root, resolve)
        if target is None:
            return [f"{path or '/'}: unknown $ref {schema['$ref']}"]
        problems += errors(
            target, value, root if schema["$ref"].startswith("#") else target, path, resolve
        )
    wanted = schema.get("type")
    if wanted is not None:
        names = wanted if isinstance(wanted, list) else [wanted]
        if not any(_TYPE_CHECKS[name](value) for name in names):
            return problems + [f"{path or '/'}: expected {' or '.join(names)}"]
    if "const" in schema and not _same(value, schema["const"]):
        problems.append(f"{path or '/'}: must be {schema['const']!r}")
    if "enum" in schema and not any(_same(value, option) for option in schema["enum"]):
        problems.append(f"{path or '/'}: must be one of {schema['enum']!r}")
    if isinstance(value, dict):
        problems += _object_errors(schema, value, root, path, resolve)
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{path or '/'}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{path or '/'}: more than {schema['maxItems']} items")
        if isinstance(schema.get("items"), (dict, bool)):
            for index, item in enumerate(value):
                problems += errors(schema["items"], item, root, f"{path}/{index}", resolve)
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(f"{path or '/'}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{path or '/'}: longer than {schema['maxLength']}")
    if _TYPE_CHECKS["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{path or '/'}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{path or '/'}: above {schema['maximum']}")
    for sub in schema.get("allOf", []):
        problems += errors(sub, value, root, path, resolve)
    if "anyOf" in schema and not any(
        not errors(sub, value, root, path, resolve) for sub in schema["anyOf"]
    ):
        problems.append(f"{path or '/'}: matches none of anyOf")
    if "oneOf" in schema:
        matching = sum(1 for sub in schema["oneOf"] if not errors(sub, value, root, path, resolve))
        if matching != 1:
            problems.append(f"{path or '/'}: matches {matching} of oneOf, expected exactly 1")
    if "not" in schema and not errors(schema["not"], value, root, path, resolve):
        problems.append(f"{path or '/'}: must not match")
    return problems


def _object_errors(schema, value, root, path, resolve):
    problems = [
        f"{path}/{name}: required" for name in schema.get("required", []) if name not in value
    ]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            problems += errors(properties[name], item, root, f"{path}/{name}", resolve)
        elif extra is False:
            problems.append(f"{path}/{name}: unexpected property")
        elif isinstance(extra, dict):
            problems += errors(extra, item, root, f"{path}/{name}", resolve)
    return problems


def _resolve(ref, root, resolve):
    if ref.startswith("#"):
        node = root
        for part in ref[1:].split("/"):
            if not part:
                continue
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node
    return resolve(ref) if resolve else None


def _same(left, right):
    # JSON equality: True is not 1.
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    return left == right
