"""JSON Schemas from shared_schemas/: request validation, and the contract the OpenAPI document points at."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app, request
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from server.errors import APIError
from server.input_guard import refuse_nul
from server.request_limits import refuse_bad_text

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "shared_schemas"
BASE_ID = "https://herald.invalid/schemas/"


@functools.cache
def registry() -> tuple[Registry, dict[str, dict]]:
    """Every schema, by name (its path under shared_schemas without `.schema.json`)."""
    by_name: dict[str, dict] = {}
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(SCHEMA_DIR)).removesuffix(".schema.json")
        by_name[name] = schema
        resources.append(
            (schema.get("$id", BASE_ID + name + ".schema.json"), Resource.from_contents(schema))
        )
    return Registry().with_resources(resources), by_name


@functools.cache
def validator(name: str) -> Draft202012Validator:
    reg, by_name = registry()
    if name not in by_name:
        raise KeyError(f"No schema named {name!r} in {SCHEMA_DIR}")
    return Draft202012Validator(
        by_name[name], registry=reg, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors_for(
    name: str, instance: Any, words: Callable[[ValidationError], str] | None = None
) -> list[dict]:
    """Validation errors as [{path, message}], stable order, for one error shape everywhere.
    `words` says each problem for a person (server.schema_words.in_words, on console pages); the
    API keeps jsonschema's English."""
    found = sorted(
        validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))
    )
    return [
        {
            "path": "/" + "/".join(str(p) for p in err.absolute_path),
            "message": words(err) if words else err.message,
        }
        for err in found
    ]


def validate(name: str, instance: Any) -> None:
    errors = errors_for(name, instance)
    if errors:
        raise APIError(
            "validation_failed", "The request body does not match its schema.", 422, errors
        )


def json_body(check_text: bool = True) -> Any:
    """The decoded body (depth-checked by server.request_limits); with `check_text`, a 422 when a
    string is not valid Unicode. Share batches check that per event instead (one bad event must
    not cost the others)."""
    if not request.is_json:
        raise APIError("unsupported_media_type", "Send the body as application/json.", 415)
    body = request.get_json(silent=True)
    if body is None:
        raise APIError("invalid_json", "The request body is not valid JSON.", 400)
    refuse_nul(body)
    if check_text:
        refuse_bad_text(body)
    return body


def accepts(name: str):
    """Parse and validate the JSON body against `name`, passing it to the view as `body`."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            body = json_body()
            validate(name, body)
            return view(*args, body=body, **kwargs)

        wrapper.request_schema = name
        return wrapper

    return decorate


def returns(name: str, status: int = 200):
    """Declare the response schema; under test every JSON response is checked against it."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            resp = current_app.make_response(view(*args, **kwargs))
            if current_app.testing and resp.status_code == status and resp.is_json:
                problems = errors_for(name, resp.get_json())
                if problems:
                    raise AssertionError(
                        f"Response of {request.endpoint} breaks {name}: {problems}"
                    )
            return resp

        wrapper.response_schema = name
        wrapper.response_status = status
        return wrapper

    return decorate
