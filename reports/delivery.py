"""Sending digests and alerts: e-mail over SMTP and a Slack incoming webhook, credentials from the
secrets file (etl.config.secrets_file: `[smtp]` and `[slack]`), and the archive of what was sent
beside the warehouse (`<db>.digests/`), with the warehouse version and the as-of time it showed.

Only the standard library: smtplib, email and urllib.
"""

from __future__ import annotations

import json
import shutil
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from etl.config import read_toml, secrets_file


class DeliveryError(RuntimeError):
    """A send that failed or is not configured, said in one sentence naming the setting."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    tls: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    password: str = ""
    sender: str = "revline@localhost"


def _secrets() -> dict:
    path = secrets_file()
    if not path.is_file():
        return {}
    return read_toml(path, DeliveryError)


def smtp_settings() -> Smtp | None:
    s = _secrets().get("smtp")
    if not s:
        return None
    if not s.get("host"):
        raise DeliveryError(f"[smtp] in {secrets_file()} needs a host")
    tls = str(s.get("tls", "starttls")).lower()
    if tls not in ("starttls", "ssl", "none"):
        raise DeliveryError(f"[smtp] tls in {secrets_file()} must be starttls, ssl or none, not {tls!r}")
    return Smtp(str(s["host"]), int(s.get("port", 465 if tls == "ssl" else 587)), tls, str(s.get("user", "")),
                str(s.get("password", "")), str(s.get("sender") or s.get("user") or "revline@localhost"))  # fmt: skip


def slack_webhook() -> str | None:
    return _secrets().get("slack", {}).get("webhook_url") or None


def send_email(to: list[str], subject: str, text: str, html: str | None = None,
               attachments: list[Path] = (), smtp: Smtp | None = None, timeout: float = 30) -> None:  # fmt: skip
    """One message to `to` (a plain-text part, the HTML as the rich part, files attached)."""
    smtp = smtp or smtp_settings()
    if smtp is None:
        raise DeliveryError(f"no [smtp] section in {secrets_file()}: add host, port, tls, user, password, sender")
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, smtp.sender, ", ".join(to)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for path in attachments:
        kind = ("application", "pdf") if path.suffix == ".pdf" else ("text", "html")
        msg.add_attachment(path.read_bytes(), maintype=kind[0], subtype=kind[1], filename=path.name)
    try:
        if smtp.tls == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"e-mail to {', '.join(to)} via {smtp.host}:{smtp.port} failed: {exc}") from None


def post_slack(text: str, url: str | None = None, timeout: float = 30) -> None:
    """A message to a Slack incoming webhook (Slack's `mrkdwn` text)."""
    url = url or slack_webhook()
    if not url:
        raise DeliveryError(f"no [slack] webhook_url in {secrets_file()}")
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # Slack's escaping: no stray links
    req = urllib.request.Request(url, data=json.dumps({"text": safe}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            if resp.status >= 300:
                raise DeliveryError(f"Slack webhook answered {resp.status}")
    except OSError as exc:
        raise DeliveryError(f"Slack webhook failed: {exc}") from None


def archive(db: Path, files: list[Path], meta: dict) -> Path:
    """Copy what was sent to `<db>.digests/<UTC time>-<name>/` with `meta.json` beside it."""
    sent_at = datetime.now(UTC).replace(microsecond=0)
    folder = Path(f"{db}.digests") / f"{sent_at:%Y%m%dT%H%M%SZ}-{meta.get('name', 'digest')}"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, folder / f.name)
    (folder / "meta.json").write_text(json.dumps({**meta, "sent_at": sent_at.isoformat()}, indent=2, default=str),
                                      encoding="utf-8")  # fmt: skip
    return folder
