"""Sending digests and alerts: e-mail over SMTP and a Slack incoming webhook, credentials from the
secrets file (etl.config.secrets_file: `[smtp]` and `[slack]`, typed and checked here, never
printed), and the archive of what was sent beside the warehouse (`<db>.digests/`), with the
warehouse version and the as-of time it showed.

Every send has a deadline (`Deadline`): a server that answers slowly, or drips its answer one byte
at a time, is cut off when it passes (the socket timeout alone bounds one read, not the exchange).
The ledger (`Ledger`, `<db>.digests/sent.json`) records each channel's delivery when it succeeds, so
that a retry sends only what has not gone out, and an alert still firing unchanged is not re-sent.

Only the standard library: smtplib, email, http.client.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import smtplib
import socket
import ssl
import sys
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from etl.config import read_toml, secrets_file
from etl.config_check import number, one_of, shown_path, text


class DeliveryError(RuntimeError):
    """A send that failed or is not configured, said in one sentence naming the setting (never a secret)."""


# ---- the secrets' [smtp] and [slack]: typed, and a wrong value said without showing it ----
ADDRESS = text(r"[^@\s]+@[^@\s]+\.[^@\s]+|[^@\s]+@localhost", 'an e-mail address such as "revline@example.com"')
SECRET_KEYS = {
    "smtp": {"host": text(r"[A-Za-z0-9.\-\[\]:]+", "a host name such as \"smtp.example.com\""),
             "port": number(1, 65535, whole=True), "tls": one_of("starttls", "ssl", "none", fold=str.lower),
             "user": text(), "password": text(), "sender": ADDRESS},
    # plain http only to this machine (a relay or a test server): elsewhere the URL, the credential, travels in clear
    "slack": {"webhook_url": text(r"https://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/\S*|http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?/\S*",
                                  'the incoming webhook\'s https address, "https://hooks.slack.com/services/..." '
                                  "(http only to localhost)")},
}  # fmt: skip
NOT_SHOWN = {"password", "webhook_url", "user"}
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}  # values never printed, even when wrong


def check_secrets(data: dict, where: str) -> None:
    """[smtp] and [slack] of the secrets file: known keys, each of its type; the message names the
    key and what is allowed, never a secret's value."""
    for section, keys in SECRET_KEYS.items():
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise DeliveryError(f"{where}: [{section}] must be a table of keys")
        for k, v in table.items():
            if k not in keys:
                raise DeliveryError(f"{where}: [{section}] {k}: unknown key; the keys here are {', '.join(keys)}")
            if not keys[k].test(v):
                shown = " (value not shown: a secret)" if k in NOT_SHOWN else f" = {v!r}"[:80]
                raise DeliveryError(f"{where}: [{section}] {k}{shown}: not allowed; must be {keys[k].allowed}")
    smtp = data.get("smtp")
    if isinstance(smtp, dict) and not smtp.get("host"):
        raise DeliveryError(f"{where}: [smtp] needs a host")
    if (isinstance(smtp, dict) and str(smtp.get("tls", "starttls")).lower() == "none" and smtp.get("password")
            and smtp["host"] not in LOOPBACK):  # fmt: skip
        raise DeliveryError(f"{where}: [smtp] tls = \"none\" would send the password in clear to {smtp['host']}: "
                            'use tls = "starttls" or "ssl" (or no password, for a local relay)')


def _secrets() -> dict:
    path = secrets_file()
    if not path.is_file():
        return {}
    data = read_toml(path, DeliveryError)
    check_secrets(data, shown_path(path, "REVLINE_SECRETS"))
    return data


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    tls: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    password: str = ""
    sender: str = "revline@localhost"


def smtp_settings() -> Smtp | None:
    s = _secrets().get("smtp")
    if not s:
        return None
    tls = str(s.get("tls", "starttls")).lower()
    return Smtp(str(s["host"]), int(s.get("port", 465 if tls == "ssl" else 587)), tls, str(s.get("user", "")),
                str(s.get("password", "")), str(s.get("sender") or s.get("user") or "revline@localhost"))  # fmt: skip


def slack_webhook() -> str | None:
    return _secrets().get("slack", {}).get("webhook_url") or None


# ---- deadlines ----
class Deadline:
    """A point in time (monotonic clock) a send or a whole command must finish by."""

    def __init__(self, seconds: float, what: str = "the send") -> None:
        self.seconds, self.what, self.end = seconds, what, time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def within(self, seconds: float, what: str) -> Deadline:
        """A deadline of `seconds` for `what` that also ends by this one (then said as this one)."""
        if seconds <= self.left():
            return Deadline(seconds, what)
        d = Deadline(max(self.left(), 0), self.what)
        d.seconds, d.end = self.seconds, self.end
        return d

    def check(self) -> None:
        if self.left() <= 0:
            raise DeliveryError(f"{self.what}: its deadline of {self.seconds:g} s passed before it could start")


@contextmanager
def _cut_off(deadline: Deadline, sock_of):
    """Close the connection (`sock_of()` its socket, when there is one) when the deadline passes:
    a blocked read then fails, whatever the server drips. Yields a flag saying whether it fired."""
    fired = threading.Event()

    def cut() -> None:
        fired.set()
        sock = sock_of()
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline.left(), 0), cut)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def _late(deadline: Deadline) -> str:
    return f"the deadline of {deadline.seconds:g} s for {deadline.what} passed (the server answered too slowly)"


def send_email(to: list[str], subject: str, text: str, html: str | None = None,
               attachments: list[Path] = (), smtp: Smtp | None = None, timeout: float = 30,
               deadline: Deadline | None = None) -> list[str]:  # fmt: skip
    """One message to `to` (a plain-text part, the HTML as the rich part, files attached); the
    addresses the server accepted. Raises `Refused` (with the accepted ones) when it refused some,
    DeliveryError when none went out."""
    smtp = smtp or smtp_settings()
    if smtp is None:
        raise DeliveryError(f"no [smtp] section in {shown_path(secrets_file(), 'REVLINE_SECRETS')}: add host, port, "
                            "tls, user, password, sender")  # fmt: skip
    deadline = deadline or Deadline(timeout * 4, "the e-mail")
    deadline.check()
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, smtp.sender, ", ".join(to)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for path in attachments:
        kind = ("application", "pdf") if path.suffix == ".pdf" else ("text", "html")
        msg.add_attachment(path.read_bytes(), maintype=kind[0], subtype=kind[1], filename=path.name)
    per_read = max(min(timeout, deadline.left()), 0.01)
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(timeout=per_read, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(timeout=per_read)
    refused: dict = {}
    with _cut_off(deadline, lambda: getattr(client, "sock", None)) as late:
        try:
            client.connect(smtp.host, smtp.port)
            with client:
                if smtp.tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if smtp.user:
                    client.login(smtp.user, smtp.password)
                refused = client.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients
        except (OSError, smtplib.SMTPException) as exc:
            why = _late(deadline) if late.is_set() or deadline.left() <= 0 else _scrub(str(exc), smtp.password)
            raise DeliveryError(f"e-mail to {', '.join(to)} via {smtp.host}:{smtp.port} failed: {why}") from None
    accepted = [a for a in to if a not in refused]
    if refused:
        said = "; ".join(f"{a} ({code} {_said(m)})" for a, (code, m) in refused.items())
        raise Refused(accepted, list(refused), f"e-mail via {smtp.host}:{smtp.port}: the server refused {said}"
                      + (f"; sent to {', '.join(accepted)}" if accepted else "; sent to nobody"))  # fmt: skip
    return accepted


class Refused(DeliveryError):
    """Some recipients refused by the SMTP server: the message went to `accepted` only."""

    def __init__(self, accepted: list[str], refused: list[str], message: str) -> None:
        super().__init__(message)
        self.accepted, self.refused = accepted, refused


def _said(m: bytes | str) -> str:
    return (m.decode("utf-8", "replace") if isinstance(m, bytes) else str(m)).strip()[:120]


def _scrub(message: str, *secrets: str) -> str:
    for s in secrets:
        if s:
            message = message.replace(s, "(secret)")
    return message


def post_slack(text: str, url: str | None = None, timeout: float = 30, deadline: Deadline | None = None) -> None:
    """A message to a Slack incoming webhook (Slack's `mrkdwn` text). Errors never show the URL (its
    path is the credential)."""
    url = url or slack_webhook()
    if not url:
        raise DeliveryError(f"no [slack] webhook_url in {shown_path(secrets_file(), 'REVLINE_SECRETS')}")
    deadline = deadline or Deadline(timeout * 4, "the Slack post")
    deadline.check()
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # Slack's escaping: no stray links
    body = json.dumps({"text": safe}).encode()
    per_read = max(min(timeout, deadline.left()), 0.01)
    try:
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = kind(parts.hostname, parts.port, timeout=per_read)
    except ValueError:
        raise DeliveryError("Slack webhook failed: [slack] webhook_url is not a valid address "
                            "(not shown: a secret)") from None  # fmt: skip
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    with _cut_off(deadline, lambda: conn.sock) as late:
        try:
            conn.request("POST", path or "/", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read(65536)  # Slack answers "ok": a server answering megabytes is not read to the end
            status = resp.status
        except (OSError, ValueError, http.client.HTTPException) as exc:
            why = _late(deadline) if late.is_set() or deadline.left() <= 0 else _scrub(str(exc), url, parts.path)
            raise DeliveryError(f"Slack webhook failed: {why}") from None
        finally:
            conn.close()
        if late.is_set():  # cut off mid-answer: what was read is not an answer
            raise DeliveryError(f"Slack webhook failed: {_late(deadline)}")
    if status >= 300:
        raise DeliveryError(f"Slack webhook answered {status}")


# ---- what went out: the archive and the ledger ----
def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def archive(db: Path, files: list[Path], meta: dict, folder: Path | None = None) -> Path:
    """Copy what was sent to `<db>.digests/<UTC time>-<name>/` (or `folder`, an earlier attempt's, which
    is updated) with `meta.json` beside it."""
    sent_at = datetime.now(UTC).replace(microsecond=0)
    folder = folder or Path(f"{db}.digests") / f"{sent_at:%Y%m%dT%H%M%SZ}-{meta.get('name', 'digest')}"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, folder / f.name)
    _write_json(folder / "meta.json", {**meta, "sent_at": sent_at.isoformat()})
    return folder


class Ledger:
    """`<db>.digests/sent.json`: for each digest (its key: role, range, compare, warehouse version)
    the channels it reached and when, and its archive folder; for alerts, per channel, each alert's
    state and when it was last sent. Written after every successful send."""

    def __init__(self, db: Path) -> None:
        self.path = Path(f"{db}.digests") / "sent.json"
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        except (OSError, ValueError) as exc:
            print(f"warning: {self.path.name} beside the warehouse cannot be read ({type(exc).__name__}): what "
                  "went out before is not known, so this run may send it again", file=sys.stderr)  # fmt: skip
            self.data = {}
        if not isinstance(self.data, dict):
            self.data = {}
        self.data.setdefault("digests", {})
        self.data.setdefault("alerts", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(self.path, self.data)

    def digest(self, key: str) -> dict:
        return self.data["digests"].setdefault(key, {"channels": {}, "folder": None})

    def delivered(self, key: str, channel: str, at: str) -> None:
        self.digest(key)["channels"][channel] = at
        self.save()

    def alerts(self, channel: str) -> dict:
        return self.data["alerts"].setdefault(channel, {})
