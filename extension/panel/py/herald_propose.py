""" "Suggest content": an employee proposes a link for the library (no DOM, testable in CPython).

Shared by the panel beside the composer and the options page. What leaves is only what the
employee typed into this form (a link and an optional note) and, from the toolbar popup, the
tab's title: `ProposeForm.submit` builds the whole message, and the composer's draft is not
among its inputs. The server checks again (shared_schemas/proposals/proposal-create).
"""

URL_MAX = 2000  # shared_schemas/proposals/proposal-create.schema.json
URL_MIN = 10
NOTE_MAX = 500
TITLE_MAX = 200

# Server / worker error codes -> string keys (a code starting with the needle).
ERROR_KEYS = (
    ("validation_failed", "propose_error_url"),
    ("too_many_proposals", "propose_error_rate"),
    ("already_proposed", "propose_error_already"),
    ("signed_out", "propose_error_signed_out"),
    ("unauthorized", "propose_error_signed_out"),
    ("network", "propose_error_network"),
)


def check_url(text):
    """What was pasted -> (url, None) or (None, error key).

    People paste "acme.com/blog/post" as often as a full address: https is assumed then. Only
    http(s) with a host and no spaces; javascript:, data:, file: and the like are refused here
    already, so the employee learns it before anything is sent."""
    text = str(text or "").strip()
    if not text:
        return None, "propose_error_missing"
    lowered = text.lower()
    scheme, sep, rest = lowered.partition("://")
    if not sep:
        if ":" in lowered.split("/")[0] and not lowered.split("/")[0].split(":")[-1].isdigit():
            return None, "propose_error_url"  # javascript:..., data:..., mailto:...
        text = "https://" + text
        scheme, rest = "https", lowered
    if scheme not in ("http", "https"):
        return None, "propose_error_url"
    host = rest.split("/")[0].split("?")[0].split("#")[0]
    if not host or "." not in host and not host.startswith("localhost"):
        return None, "propose_error_url"
    if any(ch.isspace() for ch in text) or "\\" in text:
        return None, "propose_error_url"
    if len(text) > URL_MAX:
        return None, "propose_error_too_long"
    if len(text) < URL_MIN:
        return None, "propose_error_url"
    return text, None


def error_key(code):
    code = str(code or "")
    for needle, key in ERROR_KEYS:
        if code.startswith(needle):
            return key
    return "propose_error_generic"


class ProposeForm:
    """idle -> sending -> sent | error. Keeps what was typed on an error (never lose input)."""

    def __init__(self, send, new_id):
        self.send = send  # send(message, callback(response)): the page's path to the worker
        self.new_id = new_id
        self.state = "idle"
        self.open = False
        self.url = ""
        self.note = ""
        self.error = None
        self.error_values = {}
        self.duplicate = None
        self.on_change = lambda: None
        self.on_sent = lambda proposal: None

    def toggle(self, open_=None):
        self.open = (not self.open) if open_ is None else bool(open_)
        if self.open and self.state == "sent":
            self.again()
        self.on_change()

    def again(self):
        self.state, self.url, self.note = "idle", "", ""
        self.error, self.error_values, self.duplicate = None, {}, None
        self.on_change()

    def submit(self, url_text, note_text, title=None):
        """Check, then send only {url, note?, title?}; returns the message sent, or None."""
        if self.state == "sending":
            return None
        self.url, self.note = str(url_text or ""), str(note_text or "")
        url, problem = check_url(url_text)
        note = self.note.strip()
        if problem is None and len(note) > NOTE_MAX:
            problem = "propose_error_note_long"
        if problem:
            self.state, self.error, self.error_values = "error", problem, {"max": NOTE_MAX}
            self.on_change()
            return None
        message = {"type": "propose", "request_id": self.new_id(), "url": url}
        if note:
            message["note"] = note
        title = str(title or "").strip()[:TITLE_MAX]
        if title:
            message["title"] = title
        self.state, self.error, self.duplicate = "sending", None, None
        self.on_change()
        self.send(message, self.on_result)
        return message

    def on_result(self, response):
        response = response or {}
        if response.get("ok"):
            proposal = response.get("proposal") or {}
            self.state, self.error = "sent", None
            self.duplicate = proposal.get("duplicate")
            self.on_change()
            self.on_sent(proposal)
            return
        self.state = "error"
        self.error = error_key(response.get("error"))
        wait = response.get("retry_after") or 0
        self.error_values = {"minutes": max(1, (int(wait) + 59) // 60)}
        self.on_change()

    def error_text(self, strings):
        return strings.get(self.error, **self.error_values) if self.error else ""

    def duplicate_text(self, strings):
        """The library has this link already: its title when it is live, else that it is known."""
        dup = self.duplicate
        if not dup:
            return ""
        if dup.get("status") == "approved" and dup.get("title"):
            return strings.get("propose_duplicate_live", title=dup["title"])
        return strings.get("propose_duplicate_known")


STATUS_KEYS = {
    "pending": "proposal_status_pending",
    "accepted": "proposal_status_accepted",
    "declined": "proposal_status_declined",
}


def proposal_rows(items, strings):
    """ "My proposals" table rows: (link text, url, status label, status, detail, date)."""
    rows = []
    for item in items or []:
        status = item.get("status") or "pending"
        if status == "declined":
            detail = strings.get(
                "proposal_declined_because", reason=item.get("decline_reason") or ""
            )
        elif status == "accepted":
            detail = strings.get("proposal_accepted_detail")
        else:
            detail = ""
        rows.append(
            (
                item.get("title") or item.get("url") or "",
                item.get("url") or "",
                strings.get(STATUS_KEYS.get(status, "proposal_status_pending")),
                status,
                detail,
                str(item.get("created_at") or "")[:10],
            )
        )
    return rows
