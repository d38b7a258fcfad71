"""The grain of a staged file: ad exports must hold one row per day (or finer), and every file's
counts and ad totals must add up (the per-file invariant stored in load_log).

rows_read = rows_loaded + rows_rejected + rows_duplicate + rows_merged. For ad exports, rows_loaded
counts campaign x day rows and rows_merged the rows summed into one of them (a row per ad, age,
placement...); the spend, impressions and clicks of the file's accepted rows (a repeated line once)
must equal, per campaign and day, what staging keeps for the file. A file breaking either is refused
and loads nothing. docs/decisions/0028-each-ad-files-totals-are-checked-after-staging.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from etl.contracts import Contract, norm_header
from etl.db import one
from etl.dedupe import VERSION_ORDER, day_column
from etl.errors import LoadError
from etl.read import RawFile
from etl.sniff import HEAD_BYTES, head_lines
from etl.unified import CHECKED, ad_contracts, ad_rows_sql


class InvariantError(LoadError):
    """A file whose counts or totals do not add up; carries both sides for load_log."""

    def __init__(self, file_name: str, problem: str, counts) -> None:
        super().__init__(file_name, problem, "")
        self.counts = counts


def check_daily(con, c: Contract, raw: RawFile) -> None:
    """Refuse an ad export without a breakdown by day, naming where the vendor UI sets one."""
    name, expected = raw.path.name, f"the report exported with {c.daily_breakdown}."
    if _date_from_reporting_starts(c, raw):  # Meta without a Day column: every row one day?
        n = one(con, "select count(*) from _load_accepted where date is distinct from reporting_ends")[0]  # date: Reporting starts
        if n:
            raise LoadError(name, f"is a {c.label} without a breakdown by day ({n} rows cover a date range).", expected)
    span = _report_span(c, raw)
    if span and span[1] > span[0]:  # LinkedIn: a row per ad for the whole range is dated its first day
        first, last, n = one(con, f'select min("{day_column(c)}"), max("{day_column(c)}"), count(*) from _load_accepted')
        if n and first == last == span[0]:
            raise LoadError(
                name,
                f"is a {c.label} without a breakdown by day: all {n} rows are dated {span[0]}, the report "
                f"start, though the report covers {span[0]} to {span[1]} (one row per ad for the whole range).",
                expected,
            )


def settle(con, c: Contract, load_id: int, out, file_name: str) -> None:
    """Count what became of the file's records from the tables themselves, and check the invariant."""
    rejected = one(con, "select count(*) from rejected_rows where load_id = ?", [load_id])[0]
    accepted = one(con, "select count(*) from _load_accepted")[0]
    inserted = one(con, f"select count(*) from {c.stg_table} where load_id = ?", [load_id])[0]
    key = ", ".join(f'"{k}"' for k in c.key)
    groups = (
        one(con, f"select count(*) from (select distinct {key} from {c.stg_table} where load_id = ?)", [load_id])[0]
        if c.breakdowns
        else inserted
    )
    out.rows_loaded, out.rows_merged, out.rows_duplicate = groups, inserted - groups, accepted - inserted
    problems = []
    if out.rows_read != rejected + accepted or out.rows_duplicate < 0:
        problems.append(
            f"{out.rows_read} rows read but {out.rows_loaded} loaded + {rejected} rejected + "
            f"{out.rows_duplicate} duplicate + {out.rows_merged} merged"
        )
    if c in ad_contracts():
        problems += _check_totals(con, c, load_id, out)
    out.invariant_ok = not problems
    if problems:
        raise InvariantError(file_name, "does not add up, so nothing was loaded: " + "; ".join(problems) + ".", out)


def _check_totals(con, c: Contract, load_id: int, out) -> list[str]:
    """Per campaign and day: the file's accepted rows against the staged rows that stand for the file
    (its own, or the identical current version of a day it left unchanged)."""
    cols = ", ".join(f'"{col.name}"' for col in c.columns)
    day = f'"{day_column(c)}"'
    file_rows = ad_rows_sql(
        c, f"(select load_id, min(source_line) as source_line, {cols} from _load_accepted group by all)"
    )
    kept_rows = ad_rows_sql(
        c,
        f"""(select * from {c.stg_table} where load_id <= $load_id
              and {day} in (select distinct {day} from _load_accepted)
            qualify load_id = first_value(load_id) over (partition by {day} order by {VERSION_ORDER}))""",
    )
    sums = ", ".join(f"coalesce(sum({m}), 0) as {m}" for m in CHECKED)  # a missing column: 0, as in ad_spend
    keys = "account_id, campaign_id, campaign_name, date"
    diff = " or ".join(f"f.{m} is distinct from k.{m}" for m in CHECKED)
    join = " and ".join(f"f.{k} is not distinct from k.{k}" for k in keys.split(", "))
    row = one(
        con,
        f"""with f as (select {keys}, {sums} from ({file_rows}) group by all),
                 k as (select {keys}, {sums} from ({kept_rows}) group by all)
            select (select coalesce(sum(spend), 0) from f), (select coalesce(sum(impressions), 0) from f), (select coalesce(sum(clicks), 0) from f),
                   (select coalesce(sum(spend), 0) from k), (select coalesce(sum(impressions), 0) from k), (select coalesce(sum(clicks), 0) from k),
                   (select count(*) from f full join k on {join} where {diff})""",
        {"load_id": load_id},
    )
    (out.file_spend, out.file_impressions, out.file_clicks,
     out.stored_spend, out.stored_impressions, out.stored_clicks, mismatched) = row  # fmt: skip
    if not mismatched:
        return []
    return [
        f"{mismatched} campaign days differ between the file (spend {out.file_spend}, {out.file_impressions} "
        f"impressions, {out.file_clicks} clicks) and the warehouse (spend {out.stored_spend}, "
        f"{out.stored_impressions} impressions, {out.stored_clicks} clicks)"
    ]


def _date_from_reporting_starts(c: Contract, raw: RawFile) -> bool:
    names = {col.name for col in c.columns}
    if not {"reporting_starts", "reporting_ends"} <= names or "date" not in raw.sniffed.match.positions:
        return False
    starts = next(col for col in c.columns if col.name == "reporting_starts")
    return norm_header(raw.sniffed.match.headers["date"]) in {norm_header(h) for h in starts.headers}


DATE_TEXT = (
    (re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})"), "{0} {1} {2}", ("%B %d %Y", "%b %d %Y")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "{0}/{1}/{2}", ("%m/%d/%Y",)),
)
# "23 september 2026", "23. September 2026", "23 de septiembre de 2026": the localised UIs' preambles
LOCAL_DATE = re.compile(r"(\d{1,2})\.? (?:de )?([^\W\d_]+)\.? (?:de )?(\d{4})")
MONTHS = {
    name: i + 1
    for names in (
        "januari februari maart april mei juni juli augustus september oktober november december",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    )
    for i, name in enumerate(names.split())
}


def _report_span(c: Contract, raw: RawFile) -> tuple[date, date] | None:
    """(first day, last day) from the preamble's report start and end lines, when both read."""
    if not (c.report_start and c.report_end) or raw.sniffed.kind != "csv" or not raw.sniffed.header_index:
        return None
    with raw.path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    preamble = " ".join(head_lines(raw.path, head, raw.sniffed.encoding)[: raw.sniffed.header_index])
    start, end = _date_after(preamble, c.report_start), _date_after(preamble, c.report_end)
    return (start, end) if start and end else None


def _date_after(text: str, labels: tuple[str, ...]) -> date | None:
    for label in labels:
        at = text.lower().find(label.lower())
        if at >= 0:
            return _date_text(text[at + len(label) :].strip())
    return None


def _date_text(rest: str) -> date | None:
    for pattern, shape, formats in DATE_TEXT:
        m = pattern.match(rest)
        for fmt in formats if m else ():
            try:
                return datetime.strptime(shape.format(*m.groups()), fmt).date()
            except ValueError:
                continue
    m = LOCAL_DATE.match(rest)
    if m and m.group(2).lower() in MONTHS:
        try:
            return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    return None
