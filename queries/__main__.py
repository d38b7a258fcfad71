"""`python -m queries summary --db FILE --start YYYY-MM-DD --end YYYY-MM-DD
[--compare previous|yoy] [--format json|markdown] [--as-of "YYYY-MM-DD HH:MM"]
[--channel|--platform|--campaign|--owner VALUE ...]` (a filter repeated or comma-separated: any of them).

The digest and alerts commands live with the reports (`python -m reports digest|alerts`, reports/);
asked for here, they answer with one line saying where they moved (exit 2)."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import date, datetime

from etl.config import check_load_config
from etl.config_check import ConfigError
from queries.cli import DEMO_NOTE, shows_demo, warehouse
from queries.connection import WarehouseUnreadable
from queries.notes import metric_notes, shown_label
from queries.registry import DIMENSIONS, format_value, metric
from queries.runner import run
from queries.selection import split_values
from queries.settings import load_settings
from queries.summary import summarize
from queries.view import COMPARE

MOVED = ("digest", "alerts")  # commands that moved to `python -m reports`


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in MOVED:
        print(f"revline: `{argv[0]}` moved: run `{shlex.join(['python', '-m', 'reports', *argv])}`", file=sys.stderr)
        return 2
    ap = argparse.ArgumentParser(prog="python -m queries", description="Revline KPI layer (the digest and alerts: python -m reports)")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="every headline KPI with comparison, change, target and pace")
    s.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    s.add_argument("--start", required=True, type=date.fromisoformat, help="first day, YYYY-MM-DD")
    s.add_argument("--end", required=True, type=date.fromisoformat, help="last day, YYYY-MM-DD")
    s.add_argument("--compare", choices=tuple(COMPARE), default="previous")
    s.add_argument("--format", choices=("json", "markdown"), default="json")
    s.add_argument("--as-of", type=datetime.fromisoformat,
                   help="'now' for pending SLAs, pace and open pipeline (default: the end of the data's last "
                        "day, or now if earlier: the app's rule)")
    for f in DIMENSIONS:
        s.add_argument(f"--{f}", action="append", metavar=f.upper(),
                       help=f"only this {f}; repeat it or separate values with commas for several")
    args = ap.parse_args(argv)
    if args.end < args.start:
        ap.error("--end is before --start")
    try:
        check_load_config()  # the config files the query layer reads, before anything runs
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db = warehouse(args.db)
    if db is None:
        return 2
    try:
        filters = {f: _values(getattr(args, f), f, db) for f in DIMENSIONS}
        result = summarize(args.start, args.end, args.compare, args.as_of, filters, db)
    except (WarehouseUnreadable, FileNotFoundError) as exc:  # damaged or missing: the way on, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if shows_demo(db):  # on stdout too: a summary pasted or piped elsewhere still says it
        result = {"demo": DEMO_NOTE, **result}
    if args.format == "json":
        print(json.dumps(result, indent=2, default=str))
    else:
        print(summary_table(result))
    return 0


def _values(given: list[str] | None, dim: str, db) -> list[str] | None:
    """A filter's values, repeated or comma-separated; a known value that holds a comma stays whole."""
    if not given:
        return None
    known = [r[1] for r in run("filters/options", db=db).iter_rows() if r[0] == dim]
    return split_values(given, known) or None


def summary_table(result: dict) -> str:
    currency = load_settings().reporting_currency
    lines = [
        *([f"**{result['demo']}**", ""] if result.get("demo") else []),
        f"# Revline summary {result['period']['start']} to {result['period']['end']}",
        f"Compared with {result['comparison']['start']} to {result['comparison']['end']} "
        f"({result['comparison']['mode']}); as of {result['as_of']}"
        + "".join(f"; {d} {' or '.join(v)}" for d, v in result.get("filters", {}).items()) + ".",
        "",
        *[f"> {note}" for note in result["coverage"]["notes"]],
        "",
        "| metric | value | comparison | change | target | pace | coverage |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in result["metrics"].items():
        m = metric(name)
        change = "–" if r["change"] is None else f"{r['change']:+.1%}"
        target = format_value(m, r["target"], currency) if r["target"] is not None else "–"
        pace = "–" if r["pace"] is None else f"{r['pace']:.0%}"
        lines.append(
            f"| {shown_label(m.label, r)} | {format_value(m, r['value'], currency)} | "
            f"{format_value(m, r['comparison'], currency)} | {change} | {target} | {pace} | {coverage_cell(r, result['comparison'])} |"
        )
    return "\n".join(lines)


def coverage_cell(r: dict, comparison: dict) -> str:
    """Why a value is missing or to be read with care, and why there is no change (queries/notes.py)."""
    return "; ".join(n.text.removesuffix(".") for n in metric_notes(r, comparison)).replace("|", "/")


if __name__ == "__main__":
    raise SystemExit(main())
