"""Stage one export: text cells -> raw_<source>__<entity> -> typed stg_<source>__<entity>.

Rows are classified first (etl/classify.py): blank, total and footer rows are skipped (counted,
not rejected). Every other row is a record: typed (etl/typecast.py), then loaded, rejected with a
reason (etl/reject.py), or a duplicate of the row already current for its key (etl/dedupe.py), or,
in ad exports, merged into its campaign and day (etl/grain.py, which checks that the counts add up):
rows_read = rows_loaded + rows_rejected + rows_duplicate + rows_merged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from etl.classify import classified
from etl.config import Config
from etl.contracts import Contract
from etl.db import run
from etl.dedupe import accept, insert_stg
from etl.grain import check_daily, settle
from etl.parse_sql import SQL_TYPES, is_blank
from etl.read import RawFile, cell, read_export
from etl.reject import reject
from etl.typecast import decide, type_batch


@dataclass
class Staged:
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    rows_skipped: int = 0
    date_order: str | None = None
    number_format: str | None = None  # decimal separator: point | comma | mixed (etl/typecast.py)
    rows_merged: int = 0  # ad rows summed into another row of their campaign and day
    # the per-file invariant (etl/grain.py): ad totals of the file's accepted rows and of what is kept
    file_spend: Decimal | None = None
    file_impressions: int | None = None
    file_clicks: int | None = None
    stored_spend: Decimal | None = None
    stored_impressions: int | None = None
    stored_clicks: int | None = None
    invariant_ok: bool | None = None


def ensure_tables(con: duckdb.DuckDBPyConnection, c: Contract) -> None:
    raw_cols = ", ".join(f'"{col.name}" varchar' for col in c.columns)
    run(con, f"create table if not exists {c.raw_table} (load_id integer, source_line integer, {raw_cols})")
    stg_cols = ", ".join(f'"{col.name}" {SQL_TYPES[col.type]}' for col in c.columns)
    run(
        con,
        f"create table if not exists {c.stg_table} (load_id integer, source_line integer, "
        f"{stg_cols}, row_hash varchar)",
    )
    _add_new_columns(con, c)


def _add_new_columns(con: duckdb.DuckDBPyConnection, c: Contract) -> None:
    """A warehouse staged by an older Revline lacks the columns contracts gained since: add them (NULL)."""
    for table, types in ((c.raw_table, None), (c.stg_table, SQL_TYPES)):
        have = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = ?", [table]).fetchall()}
        for col in c.columns:
            if col.name not in have:
                run(con, f'alter table {table} add column "{col.name}" {types[col.type] if types else "varchar"}')


def stage(con: duckdb.DuckDBPyConnection, raw: RawFile, load_id: int, cfg: Config, hash_key: str) -> Staged:
    """Stage the file batch by batch (etl/read.py); if it fails, the caller `discard`s what it staged.

    Two passes, memory flat in both: every record goes into raw_ first, so that the day/month order
    and the decimal separators are decided from the whole file (etl/typecast.py `decide`), then the
    file is read again and each batch typed, rejected (the rejected rows keep their raw line) and
    accepted."""
    c = raw.sniffed.match.contract
    out = Staged()
    ensure_tables(con, c)
    for records in _records(raw, out):
        out.rows_read += records.height
        con.register("_file", records)
        try:
            _insert_raw(con, c, raw.sniffed.match.positions, load_id, hash_key)
        finally:
            con.unregister("_file")
    conv = decide(con, c, load_id, cfg)
    out.date_order, out.number_format = conv.date_order, conv.number_format
    again = read_export(raw.path) if out.rows_read else None
    try:
        first = True
        for records in _records(again, Staged()) if again else ():
            lines = (int(records["_line"][0]), int(records["_line"][-1]))
            type_batch(con, again, load_id, lines, cfg, conv)
            out.rows_rejected += reject(con, again, records, load_id)
            accept(con, c, first=first)
            first = False
    finally:
        if again:
            again.batches.close()
    if out.rows_read:
        check_daily(con, c, raw)
        insert_stg(con, c)
        settle(con, c, load_id, out, raw.path.name)
        run(con, "drop table _load_accepted")
    return out


def _records(raw: RawFile, out: Staged) -> Iterator[pl.DataFrame]:
    """The file's batches of records (blank, total and footer rows counted in `out`, not yielded)."""
    for frame in classified(raw.batches):
        skip = frame["_skip"].is_not_null()
        out.rows_skipped += int(skip.sum())
        records = frame.filter(~skip).drop("_skip")
        if records.height:
            yield records


def discard(con: duckdb.DuckDBPyConnection, c: Contract, load_id: int) -> None:
    """Remove what a failed file had staged, so the file loads nothing."""
    ensure_tables(con, c)
    for table in (c.raw_table, c.stg_table, "rejected_rows"):
        run(con, f"delete from {table} where load_id = ?", [load_id])
    run(con, "drop table if exists _load_accepted")


def _q(name: str) -> str:
    return f'"{name}"'


def _insert_raw(con, c: Contract, positions: dict[str, int], load_id: int, hash_key: str) -> None:
    exprs = []
    for col in c.columns:
        if col.name not in positions:
            exprs.append("null")
            continue
        src = cell(positions[col.name])
        if col.type == "email_hash":  # personal data never lands in clear, not even in raw
            exprs.append(f"case when {is_blank(src)} then null else sha256($key || lower(trim({src}))) end")
        else:
            exprs.append(src)
    names = ", ".join(_q(col.name) for col in c.columns)
    run(
        con,
        f"insert into {c.raw_table} (load_id, source_line, {names}) select $load_id, _line, {', '.join(exprs)} from _file",
        {
            "load_id": load_id,
            **(
                {"key": hash_key}
                if any(col.type == "email_hash" and col.name in positions for col in c.columns)
                else {}
            ),
        },
    )

