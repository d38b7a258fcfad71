"""Accepted rows enter staging once per file, unless identical to the row currently winning for
their key (loading the same rows again changes nothing)."""

from __future__ import annotations

from etl.contracts import Contract
from etl.db import one, run


def _q(name: str) -> str:
    return f'"{name}"'


def accept(con, c: Contract, first: bool) -> None:
    """Collect the batch's accepted rows: the file is deduplicated against staging once, at its end
    (per batch, each would probe all of staging again: quadratic in the file's size)."""
    cols = ", ".join(["load_id", "source_line", *(_q(col.name) for col in c.columns)])
    select = f"select {cols} from _typed where _reason is null"
    # a table of the warehouse file, not a temp table: DuckDB can evict its blocks (30M activities at
    # 10M leads would otherwise sit in memory); dropped once the file is staged
    run(con, f"create or replace table _load_accepted as {select}" if first else f"insert into _load_accepted {select}")


def insert_stg(con, c: Contract) -> int:
    """Insert accepted rows unless identical to the row currently winning for their key."""
    cols = ", ".join(_q(col.name) for col in c.columns)
    key = ", ".join(_q(k) for k in c.key)
    join = " and ".join(f"cur.{_q(k)} is not distinct from n1.{_q(k)}" for k in c.key)
    semi = " and ".join(f"s.{_q(k)} is not distinct from n1.{_q(k)}" for k in c.key)
    hash_expr = f"hash({', '.join(_q(col.name) for col in c.columns)})::varchar"  # 64-bit, per key
    before = one(con, f"select count(*) from {c.stg_table}")[0]
    run(
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
            qualify row_number() over (partition by {key} order by load_id desc, source_line desc) = 1
        )
        select load_id, source_line, {cols}, row_hash from n1
        where not exists (select 1 from cur where {join} and cur.row_hash = n1.row_hash)""",
    )
    return one(con, f"select count(*) from {c.stg_table}")[0] - before
