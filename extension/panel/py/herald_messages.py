"""Messages between the sandboxed pages and their host, checked against shared_schemas/messages.

Schemas are keyed by file name (`options-call`); the message `type` of options messages uses
a colon (`options:call`) so they can never be confused with bridge messages.
In the browser, sandbox_port.js checks every message (its checker is the twin of herald_schema);
`MessageChecker` is the Python reference the tests hold the controller's messages to.
"""


def schema_name(message_type):
    return message_type.replace(":", "-")


class MessageChecker:
    """Validates messages in both directions so contract drift shows up as a console error."""

    def __init__(self, schemas):
        self.schemas = schemas

    def problems(self, message):
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return ["/: a message is an object with a string `type`"]
        schema = self.schemas.get(schema_name(message["type"]))
        if schema is None:
            return [f"/type: unknown message type {message['type']!r}"]
        import herald_schema  # CPython tests only: the pages check in sandbox_port.js

        return herald_schema.errors(schema, message, resolve=self._resolve)

    def _resolve(self, ref):
        name = ref.rsplit("/", 1)[-1].replace(".schema.json", "")
        return self.schemas.get(name)


def close():
    return {"type": "close"}


def insert(text, snippet_id, variant):
    return {"type": "insert", "text": text, "snippet_id": snippet_id, "variant": variant}


def highlights(ranges):
    return {"type": "highlights", "ranges": ranges}


def hint_cards(cards, labels):
    return {"type": "hint-cards", "cards": cards, "labels": labels}


def post_note(text, review, close):
    return {"type": "post-note", "text": text, "review": review, "close": close}


def apply_fix(fix):
    return dict({"type": "apply-fix"}, **fix)


def share_event(request_id, event):
    return {"type": "share-event", "request_id": request_id, "event": event}


def status(findings, value, limit):
    return {"type": "status", "findings": findings, "length": {"value": value, "limit": limit}}


def options_ready():
    return {"type": "options:ready"}


def options_call(request_id, message):
    return {"type": "options:call", "request_id": request_id, "message": message}
