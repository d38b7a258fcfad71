"""Delivery against real local servers: a minimal SMTP server and an HTTP server standing in for
Slack's incoming webhook, both on 127.0.0.1; what arrives is parsed and checked."""

from __future__ import annotations

import base64
import email
import json
import shutil
import socketserver
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from etl.config import REPO
from reports.__main__ import main
from reports.delivery import DeliveryError, Smtp, post_slack, send_email


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO with AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        box, envelope = self.server.received, {"to": [], "auth": None}
        self.reply("220 localhost test SMTP")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                envelope["auth"] = base64.b64decode(line.split()[2]).split(b"\0")[1:]
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                envelope["from"] = line[line.index("<") + 1 : line.index(">")]
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(line[line.index("<") + 1 : line.index(">")])
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                box.append({**envelope, "message": email.message_from_bytes(b"".join(data), policy=policy.default)})
                envelope = {"to": [], "auth": envelope["auth"]}
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append({"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)})
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


POLL = 0.02  # seconds between shutdown checks: the default 0.5 s made each teardown wait


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook():
    server = HTTPServer(("127.0.0.1", 0), WebhookHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured(tmp_path, monkeypatch, smtp_server, webhook):
    """A secrets file naming the local servers, and a config folder with recipients."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.server_address[1]}\ntls = "none"\n'
        f'user = "revline"\npassword = "s3cret"\nsender = "revline@example.com"\n\n'
        f'[slack]\nwebhook_url = "http://127.0.0.1:{webhook.server_address[1]}/hooks/T0/B0"\n',
        encoding="utf-8",
    )
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    digests = (config / "digests.toml").read_text(encoding="utf-8")
    (config / "digests.toml").write_text(
        digests.replace('sections = ["tiles", "trend", "movers", "cost_per_stage", "funnel", "sla", "coverage"]\n'
                        "recipients = []",
                        'sections = ["tiles", "trend", "movers", "cost_per_stage", "funnel", "sla", "coverage"]\n'
                        'recipients = ["ceo@example.com", "cfo@example.com"]'),
        encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("REVLINE_SECRETS", str(secrets))
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config))
    return config


def test_send_email_arrives_with_html_and_attachment(tmp_path, smtp_server):
    pdf = tmp_path / "digest.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    smtp = Smtp("127.0.0.1", smtp_server.server_address[1], "none", "bot", "pw", "bot@example.com")
    send_email(["a@example.com"], "Weekly", "plain text", "<p>rich</p>", [pdf], smtp=smtp)
    [got] = smtp_server.received
    assert got["to"] == ["a@example.com"] and got["from"] == "bot@example.com" and got["auth"] == [b"bot", b"pw"]
    msg = got["message"]
    assert msg["Subject"] == "Weekly"
    assert msg.get_body(("plain",)).get_content().strip() == "plain text"
    assert msg.get_body(("html",)).get_content().strip() == "<p>rich</p>"
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "digest.pdf" and att.get_content() == b"%PDF-1.4 test"


def test_unreachable_server_is_one_sentence(tmp_path):
    with socketserver.TCPServer(("127.0.0.1", 0), SmtpHandler) as closed:
        port = closed.server_address[1]  # bound, then closed: nothing listens there
    with pytest.raises(DeliveryError, match=f"e-mail to a@example.com via 127.0.0.1:{port} failed"):
        send_email(["a@example.com"], "s", "t", smtp=Smtp("127.0.0.1", port, "none"), timeout=5)


def test_slack_webhook_receives_the_text(webhook):
    post_slack("*Weekly*\n• Revenue: $1.0k <b> & <!channel>", f"http://127.0.0.1:{webhook.server_address[1]}/hooks/T0/B0")
    # Slack reads <...> as links and mentions: a name holding them arrives as text
    assert webhook.received == [{"path": "/hooks/T0/B0", "type": "application/json",
                                 "json": {"text": "*Weekly*\n• Revenue: $1.0k &lt;b&gt; &amp; &lt;!channel&gt;"}}]  # fmt: skip


def test_digest_send_mails_posts_and_archives(configured, smtp_server, webhook, revenue_db, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    shutil.copy(revenue_db, db)  # the archive goes beside the warehouse: not beside the shared fixture
    out = tmp_path / "out"
    assert main(["digest", "--db", str(db), "--start", "2026-10-01", "--end", "2026-10-31", "--out", str(out),
                 "--send"]) == 0  # fmt: skip
    [mail] = smtp_server.received
    assert mail["to"] == ["ceo@example.com", "cfo@example.com"] and mail["auth"] == [b"revline", b"s3cret"]
    msg = mail["message"]
    assert msg["Subject"] == "Leadership weekly: Oct 1–31, 2026"
    assert "• Revenue: $30.0k" in msg.get_body(("plain",)).get_content()  # 10,000 + 20,000 won in October
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n").strip()  # mail lines end CRLF
    assert html == (out / "revline-leadership-2026-10-01-2026-10-31.html").read_text(encoding="utf-8").strip()
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename().endswith(".pdf") and pdf.get_content().startswith(b"%PDF")
    [post] = webhook.received
    assert post["json"]["text"].startswith("*Leadership weekly: Oct 1–31, 2026*") and "$30.0k" in post["json"]["text"]
    [folder] = [p for p in Path(f"{db}.digests").iterdir() if p.is_dir()]
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2026-10-25 23:59:59" and meta["period"] == ["2026-10-01", "2026-10-31"]
    assert meta["warehouse"]["last_load_id"] is not None and meta["warehouse"]["version"]
    assert meta["data_through"] == "2026-10-25" and meta["recipients"] == ["ceo@example.com", "cfo@example.com"]
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".json", ".pdf"]
    assert "archived in" in capsys.readouterr().out


def test_alerts_send_to_recipients_and_the_rep(configured, smtp_server, webhook, handoff_db):
    (configured / "alerts.toml").write_text(
        'recipients = ["ops@example.com"]\n[[rule]]\nkind = "sla"\n[reps]\n"Tom Becker" = "tom@example.com"\n',
        encoding="utf-8")  # fmt: skip
    # lead C (Tom Becker): MQL Tue Nov 3 09:00 EST, untouched; deadline 4 business hours on, 13:00 EST
    # = 18:00 UTC; at 17:30 UTC it is 30 min away, within warn_hours (1 h): about to breach
    assert main(["alerts", "--db", str(handoff_db), "--now", "2026-11-03 17:30", "--send"]) == 1
    mails = {tuple(m["to"]): m["message"] for m in smtp_server.received}
    assert set(mails) == {("ops@example.com",), ("tom@example.com",)}
    assert "about to breach the SLA: lead 103" in mails[("tom@example.com",)].get_body(("plain",)).get_content()
    assert "first deadline in 30 min (18:00 UTC)" in webhook.received[0]["json"]["text"]
