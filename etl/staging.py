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
from etl.db import execute, one, quoted
from etl.dedupe import accept, insert_stg
from etl.errors import LoadError
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
    note: str | None = None  # the day/month order came from config, not from the file


def ensure_tables(con: duckdb.DuckDBPyConnection, *contracts: Contract) -> None:
    """Create each contract's raw_ and stg_ tables if missing, with the columns its contract has."""
    for c in contracts:
        raw_cols = ", ".join(f'"{col.name}" varchar' for col in c.columns)
        execute(con, f"create table if not exists {c.raw_table} (load_id integer, source_line integer, {raw_cols})")
        stg_cols = ", ".join(f'"{col.name}" {SQL_TYPES[col.type]}' for col in c.columns)
        execute(
            con,
            f"create table if not exists {c.stg_table} (load_id integer, source_line integer, "
            f"{stg_cols}, row_hash varchar)",
        )
    _add_new_columns(con, contracts)


def _add_new_columns(con: duckdb.DuckDBPyConnection, contracts: tuple[Contract, ...]) -> None:
    """A warehouse staged by an older Revline lacks the columns contracts gained since: add them (NULL).
    One look at the catalogue for all of them (each look reads every table's columns: ~8 ms)."""
    tables = [t for c in contracts for t in (c.raw_table, c.stg_table)]
    have: dict[str, set[str]] = {t: set() for t in tables}
    for table, column in con.execute(
        "select table_name, column_name from duckdb_columns() where list_contains(?, table_name)", [tables]
    ).fetchall():
        have[table].add(column)
    for c in contracts:
        for table, types in ((c.raw_table, None), (c.stg_table, SQL_TYPES)):
            for col in c.columns:
                if col.name not in have[table]:
                    execute(con, f'alter table {table} add column "{col.name}" {types[col.type] if types else "varchar"}')


def stage(con: duckdb.DuckDBPyConnection, raw: RawFile, load_id: int, cfg: Config, hash_key: str) -> Staged:
    """Stage the file batch by batch (etl/read.py); if it fails, the caller `discard`s what it staged.

    Two passes, memory flat in both: every record goes into raw_ first, so that the day/month order
    and the decimal separators are decided from the whole file (etl/typecast.py `decide`), then
    each batch is typed from raw_ and accepted. Only a batch with a row to reject needs its text
    cells again (the raw line of rejected_rows, ragged rows): the file is then read a second time,
    up to that batch."""
    c = raw.sniffed.match.contract
    out = Staged()
    ensure_tables(con, c)
    batches: list[tuple[int, int, bool]] = []  # (first line, last line, may be ragged)
    for records in _records(raw, out):
        out.rows_read += records.height
        batches.append((int(records["_line"][0]), int(records["_line"][-1]), _may_be_ragged(raw, records)))
        con.register("_file", records)
        try:
            _insert_raw(con, c, raw.sniffed.match.positions, load_id, hash_key, raw.given)
        finally:
            con.unregister("_file")
    conv = decide(con, c, load_id, cfg)
    out.date_order, out.number_format, out.note = conv.date_order, conv.number_format, conv.note
    again: RawFile | None = None
    rereads: Iterator[tuple[int, pl.DataFrame]] = iter(())
    try:
        for i, (first, last, ragged) in enumerate(batches):
            type_batch(con, raw, load_id, (first, last), cfg, conv)
            if ragged or one(con, "select count(*) from _typed where _reason is not null")[0]:
                if again is None:
                    again = read_export(raw.path, cfg.max_field_bytes)
                    rereads = enumerate(_records(again, Staged()))
                out.rows_rejected += reject(con, again, _batch(rereads, i, first, raw.path.name), load_id)
            accept(con, c, first=i == 0)
    finally:
        if again:
            again.batches.close()
    if out.rows_read:
        check_daily(con, c, raw)
        insert_stg(con, c)
        settle(con, c, load_id, out, raw.path.name)
        execute(con, "drop table _load_accepted")
    return out


def _records(raw: RawFile, out: Staged) -> Iterator[pl.DataFrame]:
    """The file's batches of records (blank, total and footer rows counted in `out`, not yielded)."""
    for frame in classified(raw.batches):
        skip = frame["_skip"].is_not_null()
        out.rows_skipped += int(skip.sum())
        records = frame.filter(~skip).drop("_skip")
        if records.height:
            _refuse_a_second_header(raw, records)
            yield records


def _refuse_a_second_header(raw: RawFile, records: pl.DataFrame) -> None:
    """A record that repeats the header (half or more of the header's labels, at least two, in any
    order) means two downloads were pasted into one file: their rows would be added up as if they
    were one export's breakdown, so the file is refused, naming the line
    (docs/decisions/0112-two-downloads-in-one-file-are-refused.md)."""
    labels = {h.strip().lower() for h in raw.sniffed.header if h and h.strip()}
    if len(labels) < 2:
        return
    cells = [c for c in records.columns if c.startswith("c")]
    hits = pl.sum_horizontal(
        pl.col(c).str.strip_chars().str.to_lowercase().is_in(list(labels)).fill_null(False).cast(pl.Int32)
        for c in cells
    )
    found = records.filter(hits >= max(2, (len(labels) + 1) // 2))
    if found.height:
        line, header_line = int(found["_line"][0]), raw.sniffed.header_index + 1
        raise LoadError(
            raw.path.name,
            f"line {line} repeats the header of line {header_line}: the file holds two downloads pasted "
            "together, and their rows would be added up.",
            f"each download as its own file: cut this one before line {line} (and the report title lines "
            "just above it, if any), save both parts and load them; the newer export wins.",
        )


def _batch(rereads: Iterator[tuple[int, pl.DataFrame]], i: int, first_line: int, name: str) -> pl.DataFrame:
    """Batch `i` of the file read again: reading is deterministic, so the batches line up."""
    for j, records in rereads:
        if j == i:
            if int(records["_line"][0]) == first_line:
                return records
            break
    raise LoadError(name, "changed while it was being loaded.", "the file as it is now: load it again.")


def _may_be_ragged(raw: RawFile, records: pl.DataFrame) -> bool:
    """A cell beyond the header's width or an empty last cell: etl/reject.py may reject a row of
    the batch as ragged, from its text cells."""
    extra = [cell(i) for i in range(raw.width, len(records.columns) - 1)]
    last = records[cell(raw.width - 1)].is_null().any() if raw.width else False
    return bool(last or any(records[col].is_not_null().any() for col in extra))


def discard(con: duckdb.DuckDBPyConnection, c: Contract, load_id: int) -> None:
    """Remove what a failed file had staged, so the file loads nothing."""
    ensure_tables(con, c)
    for table in (c.raw_table, c.stg_table, "rejected_rows", "snapshot_rows"):
        execute(con, f"delete from {table} where load_id = ?", [load_id])
    execute(con, "drop table if exists _load_accepted")



def _insert_raw(con, c: Contract, positions: dict[str, int], load_id: int, hash_key: str,
                given: dict[str, str] | None = None) -> None:
    exprs = []
    given = given or {}
    for col in c.columns:
        if col.name in given and col.name not in positions:  # the same text on every row (etl/bundle.py)
            exprs.append(f"${quoted('given_' + col.name)[1:-1]}")
            continue
        if col.name not in positions:
            exprs.append("null")
            continue
        src = cell(positions[col.name])
        if col.type == "email_hash":  # personal data never lands in clear, not even in raw
            exprs.append(f"case when {is_blank(src)} then null else sha256($key || lower(trim({src}))) end")
        else:
            exprs.append(src)
    names = ", ".join(quoted(col.name) for col in c.columns)
    execute(
        con,
        f"insert into {c.raw_table} (load_id, source_line, {names}) select $load_id, _line, {', '.join(exprs)} from _file",
        {
            "load_id": load_id,
            **{f"given_{k}": v for k, v in given.items() if k not in positions},
            **(
                {"key": hash_key}
                if any(col.type == "email_hash" and col.name in positions for col in c.columns)
                else {}
            ),
        },
    )

