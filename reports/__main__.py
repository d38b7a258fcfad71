"""`python -m reports digest --out DIR [--role R] [--start D --end D] [--compare previous|yoy] [--send]`
(reports/digest.py) and `python -m reports alerts [--send] [--now T] [--only KINDS]` (reports/alerts.py:
exit 1 when an alert fired). Both read the warehouse through the query layer (queries/)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from etl.config_check import ConfigError
from queries.cli import warehouse
from queries.connection import WarehouseUnreadable, snapshot, version
from queries.coverage import days
from queries.runner import run
from queries.view import COMPARE
from reports.alerts import AlertConfigError, evaluate, load_alert_config
from reports.alerts import text as alert_text
from reports.config import KINDS, check_config
from reports.delivery import DeliveryError, archive, post_slack, send_email, slack_webhook
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
    a = sub.add_parser("alerts", help="evaluate config/alerts.toml; exit 1 when an alert fired")
    a.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    a.add_argument("--send", action="store_true", help="e-mail the recipients (and reps) and post to Slack")
    a.add_argument("--now", type=datetime.fromisoformat, help="'now' in UTC, YYYY-MM-DD HH:MM (default: the clock)")
    a.add_argument("--only", help="only rules of these kinds, comma-separated (e.g. sla for a frequent job)")


def run_command(ap: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "digest" and (args.start is None) != (args.end is None):
        ap.error("--start and --end go together (neither: the data's last complete week)")
    if args.command == "digest" and args.start and args.end < args.start:
        ap.error("--end is before --start")
    try:
        check_config()  # every config file, before anything runs: one line naming file, key, value, what is allowed
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db = warehouse(args.db)
    if db is None:
        return 2
    try:
        return digest(args, db) if args.command == "digest" else alerts(args, db)
    except (WarehouseUnreadable, FileNotFoundError, DigestError, DeliveryError, AlertConfigError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def warehouse_version(db: Path) -> dict:
    """What the archive records of the version a digest showed: the file's identity and its last load."""
    with snapshot(db):
        last = run("data/load_history", db=db).head(1).to_dicts()
        v = version(db)
    return {"file": str(db), "version": list(v) if v else None,
            "last_load_id": last[0]["load_id"] if last else None,
            "last_loaded_at": last[0]["finished_at"] if last else None}  # fmt: skip


def digest(args: argparse.Namespace, db: Path) -> int:
    config = load_digest_config()
    d = build(db, args.role, args.start, args.end, args.compare, config=config)
    html, pdf = write(d, args.out)
    print(f"{html}\n{pdf}")
    if not args.send:
        return 0
    to = list(config.roles[args.role].get("recipients", []))
    webhook = slack_webhook()
    if not to and not webhook:
        raise DigestError(f"nothing to send to: add recipients to [roles.{args.role}] in config/digests.toml "
                          "or a [slack] webhook_url to the secrets file")  # fmt: skip
    body = text(d)
    subject = f"{d.title}: {days((d.start, d.end))}"
    if to:
        send_email(to, subject, body, html.read_text(encoding="utf-8"), [pdf])
    if webhook:
        post_slack(f"*{subject}*\n{body}", webhook)
    folder = archive(db, [html, pdf], {
        "name": args.role, "role": args.role, "period": [d.start, d.end], "compare": d.compare,
        "as_of": d.as_of, "data_through": d.summary["coverage"]["data_through"], "warehouse": warehouse_version(db),
        "recipients": to, "slack": bool(webhook)})  # fmt: skip
    print(f"sent to {', '.join(to) or 'no e-mail recipients'}{' and Slack' if webhook else ''}; archived in {folder}")
    return 0


def alerts(args: argparse.Namespace, db: Path) -> int:
    config = load_alert_config()
    if args.only:
        kinds = {k.strip() for k in args.only.split(",")}
        if unknown := kinds - set(KINDS):
            raise AlertConfigError(f"--only: no rule kind {', '.join(sorted(unknown))}; kinds: {', '.join(KINDS)}")
        config = replace(config, rules=[r for r in config.rules if r["kind"] in kinds])
    fired = evaluate(db, args.now, config)
    print(alert_text(fired) if fired else "No alert fired.")
    if args.send and fired:
        webhook = slack_webhook()
        if not (config.recipients or webhook or any(a.to for a in fired)):
            print("warning: --send: no recipients in config/alerts.toml and no [slack] webhook_url in the secrets",
                  file=sys.stderr)  # fmt: skip
        if config.recipients:
            send_email(config.recipients, f"Revline: {len(fired)} alert(s)", alert_text(fired))
        for rep in sorted({to for a in fired for to in a.to}):
            mine = [a for a in fired if rep in a.to]
            send_email([rep], f"Revline: {len(mine)} alert(s) for you", alert_text(mine))
        if webhook:
            post_slack(f"*Revline: {len(fired)} alert(s)*\n{alert_text(fired)}", webhook)
    return 1 if fired else 0


if __name__ == "__main__":
    raise SystemExit(main())
