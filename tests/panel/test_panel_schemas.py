import json

import jsonschema
import pytest
from herald_messages import (
    MessageChecker,
    apply_fix,
    highlights,
    hint_cards,
    insert,
    post_note,
    share_event,
    status,
)
from herald_schema import errors
from panel_support import REPO, load_schemas

MESSAGES = REPO / "shared_schemas" / "messages"
PANEL_TYPES = [
    "ready",
    "insert",
    "highlights",
    "hint-cards",
    "post-note",
    "apply-fix",
    "share-event",
    "status",
    "close",
    "init",
    "data",
    "text",
    "shown",
    "compose-share",
    "port",
    "policy",
    "options-ready",
    "options-init",
    "options-call",
    "options-reply",
]


def load(name):
    return json.loads((MESSAGES / f"{name}.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("name", PANEL_TYPES)
def test_message_schema_is_valid_2020_12_with_our_id(name):
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://herald.invalid/schemas/messages/{name}.schema.json"


def test_share_event_schema_is_valid_and_documents_every_field():
    schema = json.loads((REPO / "shared_schemas" / "share-event.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for name, prop in schema["properties"].items():
        assert prop.get("title") and prop.get("description"), name


EXAMPLES = [
    insert("Hello 🚀", 4, 1),
    highlights([{"start": 2, "end": 5, "severity": "error", "rule": "no-guarantee"}]),
    apply_fix({"start": 0, "end": 3, "replacement": "may"}),
    apply_fix({"append": " #ad"}),
    hint_cards(
        [
            {
                "start": 2,
                "end": 5,
                "severity": "warning",
                "severity_label": "Warning",
                "rule": "tone",
                "message": "Keep it kind",
                "explanation": "",
                "fixes": [
                    {"label": "Remove", "fix": {"start": 1, "end": 5, "replacement": ""}},
                    {"label": "Add “#ad”", "fix": {"append": " #ad"}},
                ],
            }
        ],
        {"card": "Herald hint", "why": "Why?", "close": "Close hint"},
    ),
    hint_cards([], {"card": "Herald hint", "why": "Why?", "close": "Close hint"}),
    post_note("2 issues left — post anyway?", "Review", "Close note"),
    post_note(None, "Review", "Close note"),
    {"type": "post-note", "text": 2, "review": "Review", "close": "Close note"},
    {"type": "post-note", "text": None},
    {"type": "hint-cards", "cards": [{"start": 1}], "labels": {}},  # incomplete card
    hint_cards(
        [
            {
                "start": 0,
                "end": 1,
                "severity": "fatal",
                "severity_label": "?",
                "rule": "r",
                "message": "",
                "explanation": "",
                "fixes": [{"label": "Go", "fix": {}}],
            }
        ],
        {"card": "c", "why": "w", "close": "x"},
    ),
    status(2, 143, 280),
    share_event(
        "r1",
        {
            "event_id": "2f1c7d8e-3b5a-4c6d-9e8f-0a1b2c3d4e5f",
            "network": "x",
            "snippet_id": None,
            "variant": None,
            "edited": True,
            "edit_distance": 4,
            "findings": [],
            "shared_at": "2026-11-22T10:00:00.000Z",
        },
    ),
    {"type": "init", "network": "x", "locale": "en-US", "strings_locale": "en"},
    {"type": "text", "text": "hi", "origin": None},
    {"type": "compose-share", "request_id": "abc", "text": "hi"},
    {"type": "options:call", "request_id": "1", "message": {"type": "get-state"}},
    {"type": "options:reply", "request_id": "1", "response": {"ok": True}},
    {"type": "insert", "text": "x"},  # missing fields
    {"type": "apply-fix"},  # neither a replacement nor an append
    {"type": "text", "text": 5},
    {"type": "status", "findings": -1, "length": {"value": 1, "limit": 280}},
]


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda message: message["type"])
def test_in_browser_checker_agrees_with_jsonschema(message):
    schemas = load_schemas()
    name = message["type"].replace(":", "-")
    registry_free = jsonschema.Draft202012Validator(schemas[name])
    expected_valid = registry_free.is_valid(message)
    assert (not MessageChecker(schemas).problems(message)) == expected_valid


def test_checker_rejects_unknown_types_and_wrong_values():
    checker = MessageChecker(load_schemas())
    assert checker.problems({"type": "format-disk"})
    assert checker.problems({"type": "init", "network": "myspace", "locale": "en"})
    assert errors({"type": "integer"}, True)  # JSON booleans are not numbers


JS_EXTRA = [
    {"type": "init", "network": "myspace", "locale": "en"},
    {"type": "format-disk"},
    {"type": "text", "text": "🚀" * 3, "origin": None},
    {"type": "status", "findings": True, "length": {"value": 1, "limit": 280}},
    {"type": "status", "findings": 1.5, "length": {"value": 1, "limit": 280}},
    {"type": "ready", "extra": 1},
    ["not", "an", "object"],
    {"no": "type"},
]


def test_sandbox_port_checker_agrees_with_the_python_checker():
    """The pages check messages in sandbox_port.js (no validator to compile at boot): it must
    accept and refuse exactly what herald_schema does."""
    import shutil

    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    schemas = load_schemas()
    checker = MessageChecker(schemas)
    messages = EXAMPLES + JS_EXTRA
    port_js = (REPO / "extension" / "panel" / "sandbox_port.js").read_text("utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        page = browser.new_page()
        page.add_script_tag(content=port_js)
        verdicts = page.evaluate(
            "([messages, schemas]) => messages.map((m) => window.HeraldPort.problems(m, schemas))",
            [messages, schemas],
        )
        browser.close()
    for message, problems in zip(messages, verdicts, strict=True):
        assert bool(problems) == bool(checker.problems(message)), (message, problems)
