"""Delivery that never lies (issue 29 points 4-9), against real local servers on 127.0.0.1: an SMTP
server that refuses a recipient or drips its banner (a tarpit), a webhook standing in for Slack that
answers 500 once or drips its answer; the real CLI on the golden warehouses and a demo warehouse."""

from __future__ import annotations

import json
import re
import shutil
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pypdf
import pytest

from etl.config import REPO
from etl.demo_aside import demo_marker
from etl.loader import load
from queries.__main__ import main as queries_main
from reports.__main__ import main
from reports.delivery import DeliveryError, Smtp, post_slack, send_email
from tests.test_delivery import POLL, SmtpHandler

DRIP = 0.05  # seconds between the bytes of a dripping server: each read arrives well within any timeout


class PickySmtp(SmtpHandler):
    """The test SMTP server, refusing the addresses in `server.refuse` at RCPT; with `server.drip`, a
    tarpit: its greeting arrives one byte at a time, forever."""

    def handle(self) -> None:
        if self.server.drip:
            end = time.monotonic() + 30
            try:
                while time.monotonic() < end:
                    self.wfile.write(b"2")
                    self.wfile.flush()
                    time.sleep(DRIP)
            except OSError:
                pass
            return
        super().handle()

    def reply(self, line: str) -> None:
        if line == "250 OK" and getattr(self, "_rcpt", None) in self.server.refuse:
            line, self._rcpt = "550 5.1.1 mailbox unavailable", None
        super().reply(line)

    def setup(self) -> None:
        super().setup()
        rfile = self.rfile

        class Spy:  # notes the address of each RCPT line as it is read
            def __getattr__(inner, name):
                return getattr(rfile, name)

            def readline(inner, *a):
                line = rfile.readline(*a)
                text = line.decode(errors="replace")
                if text.upper().startswith("RCPT"):
                    self._rcpt = text[text.index("<") + 1 : text.index(">")]
                    if self._rcpt in self.server.refuse:  # refused: not a recipient of what follows
                        return b"NOOP\r\n"
                return line

        self.rfile = Spy()


class Webhook(BaseHTTPRequestHandler):
    """Slack's stand-in: answers the statuses in `server.statuses` in turn (then 200); with
    `server.drip`, its answer arrives one byte at a time."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        if self.server.drip:
            try:
                for b in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 10_000:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(DRIP)
            except OSError:
                pass
            return
        if status == 200:
            self.server.received.append(json.loads(body))
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), PickySmtp)
    server.daemon_threads = True
    server.received, server.refuse, server.drip = [], set(), False
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    server.daemon_threads = True
    server.received, server.statuses, server.drip = [], [], False
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def secrets(path: Path, smtp_port: int, webhook_url: str | None, **smtp_extra: object) -> None:
    lines = ["[smtp]", 'host = "127.0.0.1"', f"port = {smtp_port}", 'tls = "none"', 'user = "revline"',
             'password = "pa55-TOK3N-word"', 'sender = "revline@example.com"']  # fmt: skip
    lines += [f"{k} = {json.dumps(v)}" for k, v in smtp_extra.items()]
    if webhook_url:
        lines += ["[slack]", f"webhook_url = {json.dumps(webhook_url)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def setup(tmp_path, monkeypatch, smtp, hook):
    """Secrets naming the local servers; a config folder whose leadership digest goes to two people."""
    secrets(tmp_path / "secrets.toml", smtp.server_address[1], f"http://127.0.0.1:{hook.server_address[1]}/hooks/T0/B0XTOK3N")
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    text = (config / "digests.toml").read_text(encoding="utf-8")
    text = text.replace("recipients = []", 'recipients = ["ceo@example.com", "cfo@example.com"]', 1)
    (config / "digests.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("REVLINE_SECRETS", str(tmp_path / "secrets.toml"))
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config))
    return config


def own_copy(db: Path, tmp_path: Path) -> Path:
    """The warehouse copied: the archive and the ledger go beside it, not beside a shared fixture."""
    mine = tmp_path / "w.duckdb"
    shutil.copy(db, mine)
    return mine


def send_digest(db: Path, out: Path) -> int:
    return main(["digest", "--db", str(db), "--start", "2026-10-01", "--end", "2026-10-31", "--out", str(out), "--send"])


def archived(db: Path) -> dict:
    [folder] = [p for p in Path(f"{db}.digests").iterdir() if p.is_dir()]
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


# ---- 4. partial failure is not success ----
def test_refused_recipient_is_reported_exit_2_and_not_archived_as_sent(setup, smtp, hook, revenue_db, tmp_path, capsys):
    smtp.refuse = {"cfo@example.com"}
    db = own_copy(revenue_db, tmp_path)
    assert send_digest(db, tmp_path / "out") == 2
    out, err = capsys.readouterr()
    assert "the server refused cfo@example.com (550" in err and "sent to ceo@example.com" in err
    assert "sent to ceo@example.com and Slack" in out and "cfo" not in out
    [mail] = smtp.received
    assert mail["to"] == ["ceo@example.com"]
    meta = archived(db)
    assert meta["recipients"] == ["ceo@example.com"] and meta["not_delivered"] == ["cfo@example.com"]
    assert set(meta["delivered"]) == {"email:ceo@example.com", "slack"}


# ---- 5. one deadline per delivery and per command ----
def test_tarpit_smtp_is_cut_off_at_the_deadline(smtp):
    from reports.delivery import Deadline  # here: the module still imports on a Revline without it

    smtp.drip = True  # the greeting never ends; every read gets a byte within the 30 s timeout
    began = time.monotonic()
    with pytest.raises(DeliveryError, match=r"deadline of 1 s for the e-mail passed"):
        send_email(["a@example.com"], "s", "t", smtp=Smtp("127.0.0.1", smtp.server_address[1], "none"),
                   deadline=Deadline(1, "the e-mail"))  # fmt: skip
    assert time.monotonic() - began < 4  # was: until the server gave up (30 s here; minutes for a real tarpit)


def test_dripping_webhook_is_cut_off_by_the_command_deadline(hook):
    from reports.delivery import Deadline

    hook.drip = True
    command = Deadline(1, "the command")
    began = time.monotonic()
    with pytest.raises(DeliveryError, match=r"deadline of 1 s for the command passed") as e:
        post_slack("hi", f"http://127.0.0.1:{hook.server_address[1]}/hooks/T0/B0XTOK3N",
                   deadline=command.within(60, "the Slack post"))  # fmt: skip
    assert time.monotonic() - began < 4 and "TOK3N" not in str(e.value)


def test_send_deadline_is_configured_and_the_cli_exits_2(setup, smtp, hook, revenue_db, tmp_path, capsys):
    text = (setup / "digests.toml").read_text(encoding="utf-8")
    text = text.replace("send_seconds = 60", "send_seconds = 1").replace("command_seconds = 300", "command_seconds = 2")
    (setup / "digests.toml").write_text(text, encoding="utf-8")
    smtp.drip = hook.drip = True
    db = own_copy(revenue_db, tmp_path)
    began = time.monotonic()
    assert main(["digest", "--db", str(db), "--start", "2026-10-01", "--end", "2026-10-31", "--out",
                 str(tmp_path / "out")]) == 0  # fmt: skip
    built = time.monotonic() - began
    began = time.monotonic()
    assert send_digest(db, tmp_path / "out") == 2
    assert time.monotonic() - began - built < 5  # the e-mail's 1 s, then what is left of the command's 2 s
    err = capsys.readouterr().err
    assert "deadline of 1 s for the e-mail ([delivery] send_seconds) passed" in err
    assert "deadline of 2 s for the command ([delivery] command_seconds) passed" in err
    assert not Path(f"{db}.digests").exists() or not archived_dirs(db)  # nothing went out: nothing archived


def archived_dirs(db: Path) -> list[Path]:
    return [p for p in Path(f"{db}.digests").iterdir() if p.is_dir()]


# ---- 6. idempotent: a retry sends only what has not gone out ----
def test_retry_after_slack_500_sends_only_to_slack(setup, smtp, hook, revenue_db, tmp_path, capsys):
    hook.statuses = [500]
    db = own_copy(revenue_db, tmp_path)
    assert send_digest(db, tmp_path / "out") == 2
    assert "Slack webhook answered 500" in capsys.readouterr().err
    assert len(smtp.received) == 1 and hook.received == []
    meta = archived(db)  # the e-mail went out: archived, saying Slack did not
    assert meta["recipients"] == ["ceo@example.com", "cfo@example.com"] and not meta["slack"]
    assert meta["not_delivered"] == ["Slack"]
    assert send_digest(db, tmp_path / "out") == 0
    assert "already sent to ceo@example.com, cfo@example.com" in capsys.readouterr().out
    assert len(smtp.received) == 1 and len(hook.received) == 1  # nobody mailed twice
    meta = archived(db)  # the same folder, now saying every channel was reached
    assert meta["slack"] and meta["not_delivered"] == []
    assert send_digest(db, tmp_path / "out") == 0 and len(smtp.received) == 1 and len(hook.received) == 1


def test_alert_still_firing_unchanged_is_not_resent_until_the_repeat_interval(setup, smtp, hook, handoff_db,
                                                                              tmp_path, capsys):  # fmt: skip
    (setup / "alerts.toml").write_text('recipients = ["ops@example.com"]\nrepeat_hours = 24\n[[rule]]\nkind = "stale"\n'
                                       'days = 3\n', encoding="utf-8")  # fmt: skip
    db = own_copy(handoff_db, tmp_path)

    def run(now: str) -> int:
        return main(["alerts", "--db", str(db), "--now", now, "--send"])

    assert run("2026-11-06 12:00") == 1 and len(smtp.received) == 1 and len(hook.received) == 1
    assert run("2026-11-06 12:15") == 1  # still firing, unchanged: not sent again
    assert len(smtp.received) == 1 and len(hook.received) == 1
    assert "not re-sent: unchanged" in capsys.readouterr().out
    assert run("2026-11-07 12:00") == 1  # changed: 5 days without data now, not 4
    assert len(smtp.received) == 2 and len(hook.received) == 2
    assert run("2026-11-08 12:30") == 1 and len(smtp.received) == 3  # changed again (6 days)
    assert run("2026-11-04 12:00") == 0  # (a clock set back) nothing fires: the ledger forgets the alert
    assert run("2026-11-08 12:30") == 1 and len(smtp.received) == 4  # firing again is news, same words or not
    assert run("2026-11-09 12:29") == 1 and len(smtp.received) == 5  # 7 days now: changed
    (setup / "alerts.toml").write_text('recipients = ["ops@example.com"]\nrepeat_hours = 24\n[[rule]]\nkind = "sla"\n',
                                       encoding="utf-8")  # fmt: skip
    assert main(["alerts", "--db", str(db), "--now", "2026-11-03 17:30", "--send"]) == 1  # lead 103 about to breach
    sent = len(smtp.received)
    assert main(["alerts", "--db", str(db), "--now", "2026-11-03 17:40", "--send"]) == 1  # same lead, fewer minutes
    assert len(smtp.received) == sent


def test_alert_unchanged_is_sent_again_after_repeat_hours(setup, smtp, hook, revenue_db, tmp_path):
    (setup / "alerts.toml").write_text('recipients = ["ops@example.com"]\nrepeat_hours = 24\n[[rule]]\nkind = "pace"\n'
                                       'metric = "revenue"\nbehind_pct = 5\n', encoding="utf-8")  # fmt: skip
    db = own_copy(revenue_db, tmp_path)  # October's revenue 7% behind pace, judged on the data's last day

    def run(now: str) -> int:
        return main(["alerts", "--db", str(db), "--now", now, "--send"])

    assert run("2026-11-29 09:00") == 1 and len(smtp.received) == 1
    assert run("2026-11-30 08:59") == 1 and len(smtp.received) == 1  # the same words, 23:59 later
    assert run("2026-11-30 09:00") == 1 and len(smtp.received) == 2 and len(hook.received) == 2  # 24 h: again


# ---- 7. secrets and config errors: typed, never printed, exit 2 ----
@pytest.mark.parametrize("url", ["http://127.0.0.1:notaport/hooks/T0/B0XTOK3N", "http://127.0.0.1:99999/hooks/T0/B0XTOK3N",
                                 "hooks.slack.com/services/T0/B0XTOK3N",
                                 "http://hooks.slack.com/services/T0/B0XTOK3N"])  # in clear: only to localhost  # fmt: skip
def test_malformed_webhook_url_exits_2_without_showing_it(setup, smtp, handoff_db, tmp_path, url, capsys):
    secrets(tmp_path / "secrets.toml", smtp.server_address[1], url)
    (setup / "alerts.toml").write_text('[[rule]]\nkind = "stale"\ndays = 3\n', encoding="utf-8")
    assert main(["alerts", "--db", str(handoff_db), "--now", "2026-11-06 12:00", "--send"]) == 2  # not 1: "fired"
    out, err = capsys.readouterr()
    assert "TOK3N" not in out + err and "Traceback" not in err
    assert "webhook_url" in err


def test_a_password_over_plain_smtp_goes_only_to_this_machine(setup, smtp, revenue_db, tmp_path, capsys):
    """tls = "none" with a password: the password would cross the network in clear. Refused for any
    host but this machine (a local relay), before anything is built or sent."""
    secrets(tmp_path / "secrets.toml", 25, None)
    path = tmp_path / "secrets.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('host = "127.0.0.1"', 'host = "smtp.example.com"'),
                    encoding="utf-8")  # fmt: skip
    assert main(["alerts", "--db", str(revenue_db)]) == 2
    err = capsys.readouterr().err
    assert 'tls = "none" would send the password in clear to smtp.example.com' in err and "Traceback" not in err


def test_smtp_port_as_text_and_recipients_as_a_string_exit_2(setup, smtp, revenue_db, tmp_path, capsys):
    secrets(tmp_path / "secrets.toml", 25, None)
    text = (tmp_path / "secrets.toml").read_text(encoding="utf-8").replace("port = 25", 'port = "twenty-five"')
    (tmp_path / "secrets.toml").write_text(text, encoding="utf-8")
    assert main(["alerts", "--db", str(revenue_db)]) == 2
    err = capsys.readouterr().err
    assert "[smtp] port = 'twenty-five': not allowed; must be a whole number from 1 to 65535" in err
    assert "TOK3N" not in err
    secrets(tmp_path / "secrets.toml", smtp.server_address[1], None)
    (setup / "alerts.toml").write_text('recipients = "ops@example.com"\n', encoding="utf-8")
    assert main(["alerts", "--db", str(revenue_db)]) == 2
    assert 'recipients = "ops@example.com": not allowed; must be a list [...] of an e-mail address' in capsys.readouterr().err


# ---- 8. demo numbers say so on every surface ----
@pytest.fixture
def demo_db(demo_warehouse, tmp_path):
    _, db, _ = demo_warehouse
    mine = own_copy(db, tmp_path)
    demo_marker(mine).write_text("the demo\n", encoding="utf-8")
    return mine


def test_demo_warehouse_says_demo_on_digest_mail_slack_alerts_and_summary(setup, smtp, hook, demo_db, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["digest", "--db", str(demo_db), "--start", "2026-11-16", "--end", "2026-11-22", "--out", str(out),
                 "--send"]) == 0  # fmt: skip
    [mail] = smtp.received
    assert mail["message"]["Subject"].startswith("[Demo data] Leadership weekly")
    assert mail["message"].get_body(("plain",)).get_content().startswith("Demo data: invented numbers")
    [html] = out.glob("*.html")
    assert "Demo data: invented numbers from the demo warehouse" in html.read_text(encoding="utf-8")
    [pdf] = out.glob("*.pdf")
    assert "Demo data: invented numbers" in pypdf.PdfReader(pdf).pages[0].extract_text()
    assert hook.received[0]["text"].startswith("*[Demo data] Leadership weekly")
    (setup / "alerts.toml").write_text('recipients = ["ops@example.com"]\n[[rule]]\nkind = "stale"\ndays = 3\n',
                                       encoding="utf-8")  # fmt: skip
    capsys.readouterr()
    assert main(["alerts", "--db", str(demo_db), "--now", "2026-12-20 12:00", "--send"]) == 1
    assert capsys.readouterr().out.startswith("Demo data: invented numbers")
    assert smtp.received[-1]["message"]["Subject"].startswith("[Demo data] Revline:")
    assert "Demo data" in hook.received[-1]["text"]
    for fmt in ("markdown", "json"):
        assert queries_main(["summary", "--db", str(demo_db), "--start", "2026-11-16", "--end", "2026-11-22",
                             "--format", fmt]) == 0  # fmt: skip
        assert "Demo data: invented numbers" in capsys.readouterr().out


def test_own_warehouse_says_nothing_of_demo(setup, smtp, hook, revenue_db, tmp_path, capsys):
    assert send_digest(own_copy(revenue_db, tmp_path), tmp_path / "out") == 0
    assert "Demo" not in smtp.received[0]["message"]["Subject"] and "Demo" not in hook.received[0]["text"]


# ---- 9. alert rules and targets with typos ----
@pytest.mark.parametrize(("rule", "said"), [
    ('kind = "pace"\nmetric = "revenue"\nbehind_percent = 50',
     "[[rule]] number 1: behind_percent = 50: not allowed; unknown key; the keys here are kind, metric, behind_pct"),
    ('kind = "change"\nmetric = "revenue"\ndirection = "bettr"',
     '[[rule]] number 1: direction = "bettr": not allowed; must be one of "worse", "better", "any"'),
    ('kind = "anomaly"\nmeasure = "leads"\nsigma = -1', "[[rule]] number 1: sigma = -1: not allowed; must be a number > 0"),
    ('kind = "pace"\nmetric = "revenue"\npct = 5',  # a key of another kind: would be silently ignored
     '[[rule]] number 1 (kind "pace"): pct = 5: not allowed; a pace rule reads only kind, metric, behind_pct'),
])  # fmt: skip
def test_alert_rule_typos_are_refused_naming_the_rule(setup, revenue_db, rule, said, capsys):
    (setup / "alerts.toml").write_text(f"[[rule]]\n{rule}\n", encoding="utf-8")
    assert main(["alerts", "--db", str(revenue_db)]) == 2
    assert said in capsys.readouterr().err


def test_target_metric_names_are_normalised_and_unknown_ones_rejected(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "targets.csv").write_text(
        "month,metric,segment,value\n2026-10,revnue,all,40000\n2026-10,Revenue ,all,41000\n"
        "2026-10,New Pipeline,all,30000\n2026-10,MQLs,all,4\n", encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    load([folder / "targets.csv"], tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.execute("select metric, value from targets order by metric").fetchall()
        rejected = con.execute("select file_name, line_number, reason from rejected_rows").fetchall()
    assert loaded == [("mqls", 4.0), ("new_pipeline", 30000.0), ("revenue", 41000.0)]
    [(file, line, reason)] = rejected
    assert (file, line) == ("targets.csv", 2) and reason.startswith("unknown metric: a target is for revenue")


def test_target_metrics_are_the_ones_the_queries_read():
    """The contract's list of target metrics is every targets.metric the query layer reads: a name the
    load accepts is used, a name the queries read is accepted."""
    contract = (REPO / "etl" / "contracts" / "targets.toml").read_text(encoding="utf-8")
    listed = set(re.findall(r"'([a-z_]+)'", contract.split("not in (", 1)[1].split(")", 1)[0]))
    read = {n for f in (REPO / "queries").rglob("*.sql") for n in re.findall(r"metric = '([a-z_]+)'", f.read_text())}
    assert listed == read and {"revenue", "forecast"} <= read
