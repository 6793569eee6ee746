"""The OpenAPI 3.1 document, generated from the routes themselves so it cannot drift from the code.

Each API view carries what the decorators recorded: `access_level` (access.py), `request_schema`
(@accepts), `response_schema`/`response_status` (@returns), and optionally `query_parameters`
({name: JSON Schema}, set beside the view). Schemas stay in shared_schemas/: the committed
`shared_schemas/openapi.json` points at the files, and the served document bundles them inline.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask

from server.request_limits import MAX_INT
from server.schemas import SCHEMA_DIR, registry

OPENAPI_PATH = SCHEMA_DIR / "openapi.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
METHOD_ORDER = ("get", "post", "put", "patch", "delete")
ERROR_SCHEMA = "error"

_ARG = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_TYPES = {
    "int": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
    "float": {"type": "number"},
    "uuid": {"type": "string", "format": "uuid"},
}

# Shared error responses; every one uses error.schema.json.
ERROR_RESPONSES = {
    "BadRequest": "The body is not JSON, or a token or link is not valid.",
    "Unauthorized": "No valid access token: sign in, or refresh the access token.",
    "Forbidden": "Signed in, but this needs an admin.",
    "NotFound": "Nothing with this id.",
    "Conflict": "The change clashes with existing data (e.g. a name already taken).",
    "UnsupportedMediaType": "Send the body as application/json.",
    "ValidationFailed": "The body or query does not match its schema; details lists [{path, message}].",
    "PayloadTooLarge": "The body is larger than this endpoint takes (details.max_bytes).",
    "TooManyRequests": "Too many attempts; wait Retry-After seconds.",
    "Busy": "The database was busy with other changes too long; retry after Retry-After seconds.",
    "Error": "Any other failure, in the one error shape.",
}


def component_key(name: str) -> str:
    """Schema name (path under shared_schemas without .schema.json) to a components key."""
    return name.replace("/", ".")


def _schema_file(name: str) -> str:
    return f"{name}.schema.json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{component_key(name)}"}


def _error_ref(key: str) -> dict:
    return {"$ref": f"#/components/responses/{key}"}


def _external_refs(schema: Any) -> list[str]:
    """File references ($ref to another schema file) anywhere in `schema`."""
    found: list[str] = []
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            found.append(ref)
        for value in schema.values():
            found.extend(_external_refs(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_external_refs(value))
    return found


def _resolve_name(from_name: str, ref: str) -> tuple[str, str]:
    """A relative file $ref seen in schema `from_name` -> (target schema name, fragment)."""
    target, _, fragment = ref.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(from_name), target))
    return path.removesuffix(".schema.json"), fragment


def _closure(names: set[str]) -> list[str]:
    """`names` and every schema they reference, transitively, sorted."""
    _, by_name = registry()
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in by_name:
            raise KeyError(f"Schema {name!r} is referenced but missing from {SCHEMA_DIR}")
        seen.add(name)
        for ref in _external_refs(by_name[name]):
            todo.append(_resolve_name(name, ref)[0])
    return sorted(seen)


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    params = []
    for match in _ARG.finditer(rule):
        schema = _CONVERTER_TYPES.get(match["converter"] or "", {"type": "string"})
        params.append(
            {"name": match["name"], "in": "path", "required": True, "schema": dict(schema)}
        )
    return _ARG.sub(lambda m: "{" + m["name"] + "}", rule), params


def _summary(view) -> str | None:
    doc = (view.__doc__ or "").strip()
    return doc.splitlines()[0].strip() if doc else None


def _operation(endpoint: str, method: str, view, path_params: list[dict], many: bool) -> dict:
    level = getattr(view, "access_level", None)
    request_schema = getattr(view, "request_schema", None)
    response_schema = getattr(view, "response_schema", None)
    status = getattr(view, "response_status", None)
    query = getattr(view, "query_parameters", None) or {}

    op: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_") + (f"_{method}" if many else ""),
        "tags": [endpoint.split(".")[0]],
    }
    summary = _summary(view)
    if summary:
        op["summary"] = summary
    op["x-herald-access"] = level
    op["security"] = [] if level == "public" else [{"bearerAuth": []}]
    required = set(getattr(view, "required_query_parameters", ()))
    parameters = list(path_params) + [
        {"name": name, "in": "query", "required": name in required, "schema": dict(schema)}
        for name, schema in query.items()
    ]
    if parameters:
        op["parameters"] = parameters
    if request_schema:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(request_schema)}},
        }

    responses: dict[str, Any] = {}
    if response_schema:
        responses[str(status or 200)] = {
            "description": "Success.",
            "content": {"application/json": {"schema": _ref(response_schema)}},
        }
        if getattr(view, "conditional", False):
            responses["304"] = {
                "description": "Not modified: the ETag in If-None-Match is current."
            }
    elif status == 204:
        responses["204"] = {"description": "Done; no content."}
    elif status:
        responses[str(status)] = {"description": "Success."}
    else:
        responses["2XX"] = {"description": "Success (body not described by a schema)."}
    if request_schema:
        responses["400"] = _error_ref("BadRequest")
    if level in ("employee", "admin"):
        responses["401"] = _error_ref("Unauthorized")
    if level == "admin":
        responses["403"] = _error_ref("Forbidden")
    if path_params:
        responses["404"] = _error_ref("NotFound")
    if request_schema:
        responses["413"] = _error_ref("PayloadTooLarge")
        responses["415"] = _error_ref("UnsupportedMediaType")
    if request_schema or query:
        responses["422"] = _error_ref("ValidationFailed")
    if getattr(view, "throttled", False):
        responses["429"] = _error_ref("TooManyRequests")
    if method != "get":
        responses["503"] = _error_ref("Busy")
    responses["default"] = _error_ref("Error")
    op["responses"] = responses
    return op


def _used_schemas(op: dict) -> set[str]:
    names = set()
    for ref in re.findall(r'"#/components/schemas/([^"/]+)"', json.dumps(op)):
        names.add(ref)
    return names


def build(app: Flask) -> dict:
    """The document with components pointing at the schema files (as committed)."""
    _, by_name = registry()
    key_to_name = {component_key(name): name for name in by_name}
    paths: dict[str, dict] = {}
    used: set[str] = {ERROR_SCHEMA}
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")),
        key=lambda r: (r.rule, r.endpoint),
    )
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        methods = [m for m in METHOD_ORDER if m.upper() in (rule.methods or ())]
        path, path_params = _path_and_parameters(rule.rule)
        item = paths.setdefault(path, {})
        for method in methods:
            op = _operation(rule.endpoint, method, view, path_params, len(methods) > 1)
            item[method] = op
            used |= {key_to_name[key] for key in _used_schemas(op)}

    try:
        version = metadata.version("herald")
    except metadata.PackageNotFoundError:
        version = "0.0.0"
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "Herald API",
            "version": version,
            "description": (
                "Companion server of the Herald extension and admin console. Every error is "
                '{"error": {"code", "message", "details"}}. Generated by `herald openapi`; '
                "x-herald-access tells who may call an operation (public, employee, admin)."
            ),
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Access token from POST /api/v1/auth/login or /auth/refresh.",
                }
            },
            "responses": {
                key: {
                    "description": text,
                    "content": {"application/json": {"schema": _ref(ERROR_SCHEMA)}},
                }
                for key, text in ERROR_RESPONSES.items()
            },
            "schemas": {
                component_key(name): {"$ref": _schema_file(name)} for name in _closure(used)
            },
        },
    }


def _rewrite_refs(node: Any, name: str) -> Any:
    """Point a bundled schema's $refs at components instead of files or its own root."""
    if isinstance(node, list):
        return [_rewrite_refs(value, name) for value in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            if value.startswith("#"):
                target, fragment = name, value[1:]
            else:
                target, fragment = _resolve_name(name, value)
            out[key] = f"#/components/schemas/{component_key(target)}{fragment}"
        else:
            out[key] = _rewrite_refs(value, name)
    return out


def bundle(document: dict) -> dict:
    """Self-contained copy: each component holds its schema inline (no $id, refs rewritten)."""
    _, by_name = registry()
    bundled = copy.deepcopy(document)
    schemas = bundled["components"]["schemas"]
    for key, value in schemas.items():
        name = _resolve_name("", value["$ref"])[0]
        schema = {k: v for k, v in by_name[name].items() if k not in ("$id", "$schema")}
        schemas[key] = _rewrite_refs(schema, name)
    return bundled


def render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(app: Flask, path: Path = OPENAPI_PATH) -> bool:
    """Rewrite the committed document; returns True when it changed."""
    text = render(build(app))
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def is_current(app: Flask, path: Path = OPENAPI_PATH) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == render(build(app))
