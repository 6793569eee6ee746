"""Real SMTP: build multipart (text + HTML) messages with `email`, send them with `smtplib`.

One `Mailer` keeps one connection open across a batch (a digest run sends thousands of messages) and hands each
message to the server in two steps, so the outbox can record `committing` just before the final "." (see
server.outbox for why that narrows the unknown-outcome window to one round trip).
"""

from __future__ import annotations

import binascii
import secrets
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from flask import current_app

from server.outbox import Note


class _Wire(Compat32):
    """compat32 that writes a short plain-ASCII header line as it is: compat32 runs every header
    through email.header.Header to fold it, ~17 times per message, which was a fifth of a digest
    message's cost; such a line needs no folding or encoding, so the bytes are the same."""

    def _fold(self, name, value, sanitize):  # noqa: ANN001, ANN202 - email.policy's signature
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= self.max_line_length
            and not any(c in value for c in "\r\n\t")
            and "  " not in value
            and value == value.strip()
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


# CRLF on the wire; header lines up to RFC 5322's 998, so the List-Unsubscribe link stays on one line.
WIRE = _Wire(linesep="\r\n", max_line_length=998)


class _Failure(Exception):
    """`note`: what the console shows (server.outbox.Note); str() is its English text. `answer`: the mail
    server's own words, when it said something."""

    def __init__(self, note: Note, answer: str = ""):
        super().__init__(note)
        self.note, self.answer = note, answer


class PermanentFailure(_Failure):
    """The server refused for good (5xx). `bounced`: it refused the recipient's address itself."""

    def __init__(self, note: Note, answer: str = "", bounced: bool = False):
        super().__init__(note, answer)
        self.bounced = bounced


class TemporaryFailure(_Failure):
    """Worth trying again later: connection refused or dropped, 4xx answers, timeouts."""


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    language: str = "en"
    # Non-essential mail: a one-click unsubscribe (RFC 8058) address, shown in the headers.
    unsubscribe_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def smtp_settings() -> dict:
    """What the console may show: everything but the password."""
    cfg = current_app.config
    return {
        "host": cfg.get("SMTP_HOST"),
        "port": int(cfg.get("SMTP_PORT") or 0),
        "security": cfg.get("SMTP_SECURITY"),
        "user": cfg.get("SMTP_USER"),
        "password_set": bool(cfg.get("SMTP_PASSWORD")),
        "from": cfg.get("MAIL_FROM"),
        "reply_to": cfg.get("MAIL_REPLY_TO"),
    }


def build(mail: Mail) -> MIMEMultipart:
    """multipart/alternative, text first (RFC 2046: the richest part last).

    The `email.mime` classes with the compat32 policy: the new EmailMessage API parses every header it is given
    into objects, which cost more than everything else of a digest together at thousands of messages.
    """
    cfg = current_app.config
    # Our own boundary: left to itself, `email` makes one and compiles a regular expression to search every
    # part for it, a millisecond a message. "=_" never occurs in quoted-printable text (a literal "=" is
    # written "=3D"), and both parts are quoted-printable, so this one cannot clash with the content.
    msg = MIMEMultipart("alternative", boundary="=_herald_" + secrets.token_hex(12))
    msg["From"] = _header(cfg["MAIL_FROM"], address=True)
    msg["To"] = _header(mail.to, address=True)
    msg["Subject"] = _header(mail.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=_sender_domain())
    msg["Content-Language"] = mail.language
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    if cfg.get("MAIL_REPLY_TO"):
        msg["Reply-To"] = _header(cfg["MAIL_REPLY_TO"], address=True)
    if mail.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in mail.headers.items():
        msg[name] = _header(value)
    msg.attach(_text_part(mail.text, "plain"))
    msg.attach(_text_part(mail.html, "html"))
    return msg


def _text_part(body: str, subtype: str) -> MIMENonMultipart:
    """A UTF-8 quoted-printable text part, with the headers MIMEText writes.

    Quoted-printable: readable in the raw source, and it wraps lines, so a long post (LinkedIn allows 3,000
    characters on one line) never breaks SMTP's 1,000-byte line limit. Encoded by binascii's C encoder:
    email's pure-Python one (quoprimime) was a third of a digest message's CPU time."""
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii"))
    return part


def _header(value: str, address: bool = False) -> str | Header:
    """ASCII as is; otherwise RFC 2047 encoded words (for an address, only the display name)."""
    if value.isascii():
        return value
    if address:
        name, addr = parseaddr(value)
        return formataddr((name, addr), charset="utf-8")
    return Header(value, "utf-8")


def _sender_domain() -> str:
    sender = str(current_app.config["MAIL_FROM"])
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"


def _bare_address(value: str) -> str:
    return parseaddr(value)[1] or value


class Mailer:
    """One SMTP session reused across messages; reconnects after errors."""

    def __init__(self) -> None:
        cfg = current_app.config
        self.host = cfg.get("SMTP_HOST")
        self.port = int(cfg.get("SMTP_PORT") or 25)
        self.security = (cfg.get("SMTP_SECURITY") or "none").lower()
        self.user = cfg.get("SMTP_USER")
        self.password = cfg.get("SMTP_PASSWORD")
        self.timeout = int(cfg.get("SMTP_TIMEOUT") or 30)
        self.sender = _bare_address(str(cfg["MAIL_FROM"]))
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if not self.host:
            raise TemporaryFailure(Note("smtp_not_configured"))
        try:
            if self.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            # The message goes out in two writes (body, then the final "."): without NODELAY, Nagle's algorithm
            # holds the second until the server's delayed ACK, 40 ms per message.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo_or_helo_if_needed()
            if self.user:
                smtp.login(self.user, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryFailure(Note("smtp_sign_in_refused", answer=str(exc))) from exc
        except (OSError, smtplib.SMTPException) as exc:
            server = f"{self.host}:{self.port}"
            raise TemporaryFailure(Note("smtp_unreachable", server=server, error=str(exc))) from exc
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, mail: Mail, before_final_dot: Callable[[], None] = lambda: None) -> None:
        """Deliver one message, calling `before_final_dot` once everything but the final "." is out."""
        if self._smtp is None:
            self._smtp = self._connect()
        smtp = self._smtp
        data = build(mail).as_bytes(policy=WIRE)
        recipient = _bare_address(mail.to)
        try:
            code, resp = smtp.mail(self.sender)
            if code != 250:
                self._refused(smtp, code, resp)
            code, resp = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._refused(smtp, code, resp, bounced=True)
            code, resp = smtp.docmd("data")
            if code != 354:
                self._refused(smtp, code, resp)
            body = smtplib._quote_periods(data)  # noqa: SLF001 - the dot-stuffing smtplib.data() does
            if body[-2:] != b"\r\n":
                body += b"\r\n"
            smtp.send(body)
            before_final_dot()
            smtp.send(b".\r\n")
            code, resp = smtp.getreply()
            if code != 250:
                self._refused(smtp, code, resp)
        except (PermanentFailure, TemporaryFailure):
            raise
        except (OSError, smtplib.SMTPException) as exc:  # TimeoutError is an OSError
            self._drop()
            raise TemporaryFailure(Note("smtp_connection_failed", error=str(exc))) from exc

    def _refused(self, smtp: smtplib.SMTP, code: int, resp: bytes, bounced: bool = False) -> None:
        text = f"{code} {resp.decode(errors='replace')}"
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
        if 500 <= code < 600:
            raise PermanentFailure(Note("smtp_refused", answer=text), text, bounced=bounced)
        raise TemporaryFailure(Note("smtp_try_later", answer=text), text)

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None
