"""`python -m reports digest --out DIR [--role R] [--start D --end D] [--compare previous|yoy] [--send]`
(reports/digest.py) and `python -m reports alerts [--send] [--now T] [--only KINDS]` (reports/alerts.py).
Both read the warehouse through the query layer (queries/). Exit codes: 0 ok, 1 an alert fired
(alerts), 2 could not evaluate or deliver (docs/decisions/0123-delivery-says-what-went-out-with-three-exit-codes.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from etl.config_check import ConfigError
from queries.cli import DEMO_TAG, shows_demo, warehouse
from queries.connection import WarehouseUnreadable, snapshot, version
from queries.coverage import days
from queries.runner import run
from queries.view import COMPARE
from reports.alerts import AlertConfigError, alert_key, alert_state, evaluate, load_alert_config
from reports.alerts import text as alert_text
from reports.config import KINDS, check_config
from reports.delivery import (
    Deadline,
    DeliveryError,
    Ledger,
    Refused,
    archive,
    post_slack,
    send_email,
    slack_webhook,
)
from reports.digest import DigestError, build, load_digest_config
from reports.pdf import write
from reports.render import text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports", description="Revline reports: the digest and alerts")
    sub = ap.add_subparsers(dest="command", required=True)
    add_commands(sub)
    return run_command(ap, ap.parse_args(argv))


def add_commands(sub) -> None:
    d = sub.add_parser("digest", help="the weekly digest as HTML and PDF; --send mails and posts it")
    d.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    d.add_argument("--start", type=date.fromisoformat, help="first day (default: the data's last complete week)")
    d.add_argument("--end", type=date.fromisoformat, help="last day, with --start")
    d.add_argument("--compare", choices=tuple(COMPARE), default="previous")
    d.add_argument("--role", default="leadership", help="a role of config/digests.toml (leadership, marketing, sales)")
    d.add_argument("--out", required=True, type=Path, help="folder for the .html and .pdf")
    d.add_argument("--send", action="store_true", help="e-mail the role's recipients, post to Slack, archive")
    a = sub.add_parser("alerts", help="evaluate config/alerts.toml; exit 0 none fired, 1 an alert fired, "
                       "2 could not evaluate or deliver")
    a.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    a.add_argument("--send", action="store_true", help="e-mail the recipients (and reps) and post to Slack")
    a.add_argument("--now", type=datetime.fromisoformat, help="'now' in UTC, YYYY-MM-DD HH:MM (default: the clock)")
    a.add_argument("--only", help="only rules of these kinds, comma-separated (e.g. sla for a frequent job)")


OK, FIRED, FAILED = 0, 1, 2  # exit codes: ok; an alert fired (alerts); could not evaluate or deliver


def run_command(ap: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "digest" and (args.start is None) != (args.end is None):
        ap.error("--start and --end go together (neither: the data's last complete week)")
    if args.command == "digest" and args.start and args.end < args.start:
        ap.error("--end is before --start")
    try:
        check_config()  # every config file, before anything runs: one line naming file, key, value, what is allowed
        slack_webhook()  # and the secrets' [smtp] and [slack] (values never shown)
    except (ConfigError, DeliveryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    db = warehouse(args.db)
    if db is None:
        return FAILED
    try:
        return digest(args, db) if args.command == "digest" else alerts(args, db)
    except (WarehouseUnreadable, FileNotFoundError, DigestError, DeliveryError, AlertConfigError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    except Exception as exc:  # a bug: never exit 1 ("an alert fired"), never a traceback that may hold a secret
        print(f"error: unexpected {type(exc).__name__} (a bug in Revline: please report it; set REVLINE_DEBUG=1 "
              "for the traceback)", file=sys.stderr)  # fmt: skip
        if os.environ.get("REVLINE_DEBUG"):
            traceback.print_exc()
        return FAILED


def warehouse_version(db: Path) -> dict:
    """What the archive records of the version a digest showed: the file's identity and its last load."""
    with snapshot(db):
        last = run("data/load_history", db=db).head(1).to_dicts()
        v = version(db)
    return {"file": str(db), "version": list(v) if v else None,
            "last_load_id": last[0]["load_id"] if last else None,
            "last_loaded_at": last[0]["finished_at"] if last else None}  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def digest(args: argparse.Namespace, db: Path) -> int:
    config = load_digest_config()
    d = build(db, args.role, args.start, args.end, args.compare, config=config)
    html, pdf = write(d, args.out)
    print(f"{html}\n{pdf}")
    if not args.send:
        return OK
    to = list(config.roles[args.role].get("recipients", []))
    webhook = slack_webhook()
    if not to and not webhook:
        raise DigestError(f"nothing to send to: add recipients to [roles.{args.role}] in config/digests.toml "
                          "or a [slack] webhook_url to the secrets file")  # fmt: skip
    body = text(d)
    subject = f"{DEMO_TAG if d.demo else ''}{d.title}: {days((d.start, d.end))}"
    wv = warehouse_version(db)
    # one digest: the role's range and comparison on one warehouse version; a retry of it sends only
    # to the channels it has not reached (docs/decisions/0124-a-ledger-of-deliveries-makes-retries-safe.md)
    key = json.dumps([args.role, d.start, d.end, d.compare, wv["version"], wv["last_load_id"]], default=str)
    ledger = Ledger(db)
    done = dict(ledger.digest(key)["channels"])
    command = Deadline(config.command_seconds, "the command ([delivery] command_seconds)")
    problems: list[str] = []
    due = [a for a in to if f"email:{a}" not in done]
    if due:
        accepted = _mailed(problems, due, subject, body, html.read_text(encoding="utf-8"), [pdf],
                           deadline=command.within(config.send_seconds, "the e-mail ([delivery] send_seconds)"))
        for a in accepted:
            ledger.delivered(key, f"email:{a}", _now())
    if webhook and "slack" not in done:
        try:
            post_slack(f"*{subject}*\n{body}", webhook,
                       deadline=command.within(config.send_seconds, "the Slack post ([delivery] send_seconds)"))
            ledger.delivered(key, "slack", _now())
        except DeliveryError as exc:
            problems.append(str(exc))
    entry = ledger.digest(key)
    reached = entry["channels"]
    sent = [a for a in to if f"email:{a}" in reached]
    missing = [a for a in to if f"email:{a}" not in reached] + (["Slack"] if webhook and "slack" not in reached else [])
    before = [a for a in to if f"email:{a}" in done] + (["Slack"] if "slack" in done else [])
    if before:
        print(f"already sent to {', '.join(before)} (this digest, this warehouse version): not sent again")
    if reached:  # the archive says what went out, channel by channel (and is updated by a retry)
        folder = archive(db, [html, pdf], {
            "name": args.role, "role": args.role, "period": [d.start, d.end], "compare": d.compare,
            "as_of": d.as_of, "data_through": d.summary["coverage"]["data_through"], "warehouse": wv,
            "demo": d.demo, "recipients": sent, "slack": "slack" in reached, "delivered": reached,
            "not_delivered": missing}, Path(entry["folder"]) if entry["folder"] else None)  # fmt: skip
        entry["folder"] = str(folder)
        ledger.save()
        print(f"sent to {', '.join(sent) or 'no e-mail recipients'}{' and Slack' if 'slack' in reached else ''}; "
              f"archived in {folder}")  # fmt: skip
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if missing:
        print(f"error: not delivered to {', '.join(missing)}; run the same command again to send only to them",
              file=sys.stderr)  # fmt: skip
        return FAILED
    return OK


def alerts(args: argparse.Namespace, db: Path) -> int:
    config = load_alert_config()
    kinds = set(KINDS)
    if args.only:
        kinds = {k.strip() for k in args.only.split(",")}
        if unknown := kinds - set(KINDS):
            raise AlertConfigError(f"--only: no rule kind {', '.join(sorted(unknown))}; kinds: {', '.join(KINDS)}")
        config = replace(config, rules=[r for r in config.rules if r["kind"] in kinds])
    now = args.now or datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    fired = evaluate(db, now, config)
    demo = shows_demo(db)
    said = alert_text(fired, demo) if fired else "No alert fired."
    print(said)
    if args.send:
        forget(db, fired, kinds)
    if args.send and fired and send_alerts(db, fired, config, now, demo):
        return FAILED
    return FIRED if fired else OK


def forget(db: Path, fired: list, kinds: set[str]) -> None:
    """Alerts of the evaluated kinds that stopped firing leave the ledger: when one fires again, it is news."""
    ledger, firing = Ledger(db), {alert_key(a) for a in fired}
    if not any(ledger.data["alerts"].values()):
        return
    for seen in ledger.data["alerts"].values():
        for k in [k for k in seen if k.split("|", 1)[0] in kinds and k not in firing]:
            del seen[k]
    ledger.save()


def send_alerts(db: Path, fired: list, config, now: datetime, demo: bool) -> list[str]:
    """Each address and Slack get the alerts due to them: new, changed, or last sent `repeat_hours`
    ago or more (the ledger, reports/delivery.py). The problems, one sentence each (printed)."""
    webhook = slack_webhook()
    if not (config.recipients or webhook or any(a.to for a in fired)):
        print("warning: --send: no recipients in config/alerts.toml and no [slack] webhook_url in the secrets",
              file=sys.stderr)  # fmt: skip
    ledger, repeat = Ledger(db), timedelta(hours=config.repeat_hours)
    dconfig = load_digest_config()
    command = Deadline(dconfig.command_seconds, "the command ([delivery] command_seconds)")

    def due(channel: str, alerts: list) -> list:
        seen = ledger.alerts(channel)
        out = []
        for a in alerts:
            last = seen.get(alert_key(a))
            if last is None or last["state"] != alert_state(a) or now - datetime.fromisoformat(last["sent_at"]) >= repeat:
                out.append(a)
        return out

    def mark(channel: str, alerts: list) -> None:
        for a in alerts:
            ledger.alerts(channel)[alert_key(a)] = {"state": alert_state(a), "sent_at": now.isoformat()}
        ledger.save()

    wanted: dict[str, list] = {}
    for a in fired:
        for addr in dict.fromkeys([*config.recipients, *a.to]):
            if addr in config.recipients or addr in a.to:
                wanted.setdefault(addr, []).append(a)
    groups: dict[tuple[bool, tuple[int, ...], str], list[str]] = {}  # one mail to the recipients, one to each rep
    for addr, alerts in wanted.items():
        if mine := due(f"email:{addr}", alerts):
            everyone = addr in config.recipients
            groups.setdefault((everyone, tuple(fired.index(a) for a in mine), "" if everyone else addr), []).append(addr)
    problems, held = [], sum(len(v) for v in wanted.values())
    tag = DEMO_TAG if demo else ""
    for (everyone, idx, _), to in groups.items():
        mine = [fired[i] for i in idx]
        held -= len(mine) * len(to)
        accepted = _mailed(problems, to, f"{tag}Revline: {len(mine)} alert(s){'' if everyone else ' for you'}",
                           alert_text(mine, demo),
                           deadline=command.within(dconfig.send_seconds, "the e-mail ([delivery] send_seconds)"))
        for addr in accepted:
            mark(f"email:{addr}", mine)
    if webhook:
        if mine := due("slack", fired):
            try:
                post_slack(f"*{tag}Revline: {len(mine)} alert(s)*\n{alert_text(mine, demo)}", webhook,
                           deadline=command.within(dconfig.send_seconds, "the Slack post ([delivery] send_seconds)"))
                mark("slack", mine)
            except DeliveryError as exc:
                problems.append(str(exc))
        held += len(fired) - len(mine)
    ledger.save()
    if held:
        print(f"{held} alert message(s) not re-sent: unchanged since sent less than {config.repeat_hours:g} h ago "
              "([repeat_hours] in config/alerts.toml)")  # fmt: skip
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return problems


def _mailed(problems: list[str], *args, **kwargs) -> list[str]:
    """`send_email`, a refusal or failure added to `problems` in its words: the addresses that took it."""
    try:
        return send_email(*args, **kwargs)
    except Refused as exc:
        problems.append(str(exc))
        return exc.accepted
    except DeliveryError as exc:
        problems.append(str(exc))
        return []


if __name__ == "__main__":
    raise SystemExit(main())

