"""A real HTTP receiver on loopback standing in for a Slack or Microsoft Teams webhook.

It checks every body against the payload's JSON Schema (shared_schemas/chat/, validated with jsonschema) and
answers as scripted: 200 (Slack's "ok") or 202 (Teams workflows), 429 with Retry-After, 500, or any other status.
A body that breaks its schema is answered 400, as Slack answers "invalid_blocks", so a wrong format ends failed.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema

SCHEMAS = Path(__file__).resolve().parent.parent / "shared_schemas" / "chat"


@dataclass
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str
    body: object
    problems: list[str]
    status: int


class Receiver:
    """Records every POST; `script` lists (status, headers, body) answers in order, then `ok` forever."""

    def __init__(self, schema: str, ok: int = 200) -> None:
        self.validator = jsonschema.Draft202012Validator(
            json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
        )
        self.ok = ok
        self.script: list[tuple[int, dict[str, str], str]] = []
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest's output clean
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                    problems = [e.message for e in receiver.validator.iter_errors(body)]
                except ValueError as exc:
                    body, problems = raw.decode("utf-8", "replace"), [f"not JSON: {exc}"]
                if "application/json" not in (self.headers.get("Content-Type") or ""):
                    problems.append("Content-Type is not application/json")
                with receiver.lock:
                    status, headers, text = (
                        receiver.script.pop(0) if receiver.script else (receiver.ok, {}, "ok")
                    )
                    if problems:
                        status, headers, text = 400, {}, "invalid_payload: " + "; ".join(problems)
                    receiver.hits.append(Hit(time.monotonic(), self.path, body, problems, status))
                data = text.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, secret: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook/{secret}"

    def delivered(self) -> list[Hit]:
        """What a channel shows: the messages the service accepted."""
        with self.lock:
            return [h for h in self.hits if 200 <= h.status < 300]

    def attempts(self) -> list[Hit]:
        with self.lock:
            return list(self.hits)
