"""Accepted rows enter staging once per file, unless identical to the row currently winning for
their key (loading the same rows again changes nothing).

Ad exports (contracts with breakdown columns) can hold several rows per key, one per ad, age or
placement; ad_spend sums the newest file's rows of each campaign and day. So there a file's rows of
one day are one version: inserted together, or skipped together when they are exactly the rows of
the day's current version. The day, not the campaign, because a campaign's key can change once an
export with IDs names it (etl/sql/10_ad_spend.sql): a version unit coarser than any campaign key
never skips a day whose newest rows differ. docs/decisions/0025-ad-row-versions-are-days-of-a-file.md.
"""

from __future__ import annotations

from etl.contracts import Contract
from etl.db import execute, one, quoted

# Which staged version of a key is the one a new file is compared with (identical rows are not staged
# again) and which rows stand for a file in the invariant: the last loaded, then its last row. Which
# version the warehouse *shows* is the newest export by its own time (etl/newest.py, etl/models.py).
VERSION_ORDER = "load_id desc, source_line desc"



def accept(con, c: Contract, first: bool) -> None:
    """Collect the batch's accepted rows: the file is deduplicated against staging once, at its end
    (per batch, each would probe all of staging again: quadratic in the file's size)."""
    cols = ", ".join(["load_id", "source_line", *(quoted(col.name) for col in c.columns)])
    select = f"select {cols} from _typed where _reason is null"
    # a table of the warehouse file, not a temp table: DuckDB can evict its blocks (30M activities at
    # 10M leads would otherwise sit in memory); dropped once the file is staged
    execute(con, f"create or replace table _load_accepted as {select}" if first else f"insert into _load_accepted {select}")


def insert_stg(con, c: Contract) -> int:
    """Insert accepted rows unless identical to the row currently winning for their key."""
    if c.breakdowns:
        return _insert_days(con, c)
    cols = ", ".join(quoted(col.name) for col in c.columns)
    key = ", ".join(quoted(k) for k in c.key)
    join = " and ".join(f"cur.{quoted(k)} is not distinct from n1.{quoted(k)}" for k in c.key)
    semi = " and ".join(f"s.{quoted(k)} is not distinct from n1.{quoted(k)}" for k in c.key)
    hash_expr = f"hash({', '.join(quoted(col.name) for col in c.columns)})::varchar"  # 64-bit, per key
    before = one(con, f"select count(*) from {c.stg_table}")[0]
    if dict(c.unified).get("table") == "deals":  # every deals export is a snapshot (etl/sql/77_mart_deal_snapshots.sql)
        execute(con, f"""insert into snapshot_rows select any_value(load_id), {key}::varchar, arg_min({hash_expr}, source_line)
            from _load_accepted group by {key}""")
    execute(
        con,
        f"""insert into {c.stg_table} (load_id, source_line, {cols}, row_hash)
        with n as (
            select *, {hash_expr} as row_hash from _load_accepted
        ), n1 as (
            -- a row repeated within the file counts once (its first line); an aggregate, not a window
            select * from n where source_line in (select min(source_line) from n group by {key}, row_hash)
        ), cur as (  -- the current row of each key this file brings, not of every key staged
            select {key}, row_hash from {c.stg_table} s
            where exists (select 1 from n1 where {semi})
            qualify row_number() over (partition by {key} order by {VERSION_ORDER}) = 1
        )
        select load_id, source_line, {cols}, row_hash from n1
        where not exists (select 1 from cur where {join} and cur.row_hash = n1.row_hash)""",
    )
    return one(con, f"select count(*) from {c.stg_table}")[0] - before


def day_column(c: Contract) -> str:
    return next(k for k in c.key if next(col for col in c.columns if col.name == k).type == "date")


def _insert_days(con, c: Contract) -> int:
    """Insert the file's rows day by day, skipping a day identical to its current version."""
    cols = ", ".join(quoted(col.name) for col in c.columns)
    day = quoted(day_column(c))
    before = one(con, f"select count(*) from {c.stg_table}")[0]
    execute(
        con,
        f"""insert into {c.stg_table} (load_id, source_line, {cols}, row_hash)
        with n as (
            select *, hash({cols})::varchar as row_hash from _load_accepted
        ), n1 as (  -- a line repeated within the file counts once (its first line)
            select * from n where source_line in (select min(source_line) from n group by row_hash)
        ), cur as (  -- the rows of the current version of each day the file brings
            select {day}, row_hash from {c.stg_table}
            where {day} in (select distinct {day} from n1)
            qualify load_id = first_value(load_id) over (partition by {day} order by {VERSION_ORDER})
        ), matched as (
            select n1.{day}, count(*) as rows, count(cur.row_hash) as same
            from n1 left join cur on cur.{day} = n1.{day} and cur.row_hash = n1.row_hash
            group by n1.{day}
        ), unchanged as (
            select m.{day} from matched m
            join (select {day}, count(*) as rows from cur group by {day}) k on k.{day} = m.{day}
            where m.same = m.rows and k.rows = m.rows
        )
        select load_id, source_line, {cols}, row_hash from n1
        where {day} not in (select {day} from unchanged)""",
    )
    return one(con, f"select count(*) from {c.stg_table}")[0] - before
