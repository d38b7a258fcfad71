"""Which staged row is a record's current version: the newest by the export's own time, never by
load order (docs/decisions/0022-newest-export-wins-by-the-exports-own-time.md).

Per key of a contract, rows rank by (the record's `modified_at` where the export has it, else the
export time of its file (load_log.exported_at, etl/export_time.py); then the export time; load_id;
source_line), newest first. Not "rows with `modified_at` first": a record exported at E without
changes since its last modification M is the same at any time between M and E, so a later export
without the column (a default view after an "all properties" export) must still win. `latest_<source>__<entity>` views hold the winners; the SQL models read them
instead of repeating the ranking per table.
"""

from __future__ import annotations

import duckdb

from etl.contracts import Contract, all_contracts
from etl.db import execute, one, quoted


def latest_view(c: Contract) -> str:
    return f"latest_{c.source}__{c.entity}"


def newest_first(c: Contract, row: str = "s", exported: str = "l.exported_at",
                 downloaded: str = "l.downloaded_at") -> str:
    """The ORDER BY of a window over a contract's key that puts the current version first. Exports
    dated by their newest timestamp (Stripe) tie on it when nothing changed between them: then the
    later download wins (etl/export_time.py newest_in_rows)."""
    first = exported
    if any(col.name == "modified_at" for col in c.columns):
        first = f"coalesce({row}.modified_at, {exported})"
    tie = [f"{downloaded} desc nulls last"] if c.export_time_from else []
    return ", ".join([f"{first} desc nulls last", f"{exported} desc nulls last", *tie, f"{row}.load_id desc",
                      f"{row}.source_line desc"])  # fmt: skip


def create_latest_views(con: duckdb.DuckDBPyConnection) -> None:
    """One `latest_<source>__<entity>` view per contract (the staging tables must exist)."""
    for c in all_contracts():
        execute(con, latest_view_sql(c))


def latest_view_sql(c: Contract) -> str:
    """The statement creating one `latest_<source>__<entity>` view (also run on Spark, etl/engine.py)."""
    key = ", ".join(f"s.{quoted(k)}" for k in c.key)
    return f"""create or replace view {latest_view(c)} as
            select s.* from {c.stg_table} s left join load_log l on l.load_id = s.load_id
            qualify row_number() over (partition by {key} order by {newest_first(c)}) = 1"""


def winners_cte(c: Contract) -> str:
    """`winners(load_id, source_line)`: the current version of each key the load `$load_id` staged.
    Used before the load is logged, so its export time is the parameter `$exported_at`."""
    keys = ", ".join(quoted(k) for k in c.key)
    same = " and ".join(f"s.{quoted(k)} is not distinct from n.{quoted(k)}" for k in c.key)
    exported = "case when s.load_id = $load_id then $exported_at else l.exported_at end"
    downloaded = "case when s.load_id = $load_id then $downloaded_at::timestamp else l.downloaded_at end"
    return f"""n as (select distinct {keys} from {c.stg_table} where load_id = $load_id),
        winners as (
            select s.load_id, s.source_line from {c.stg_table} s left join load_log l on l.load_id = s.load_id
            where exists (select 1 from n where {same})
            qualify row_number() over (partition by {", ".join(f"s.{quoted(k)}" for k in c.key)}
                                       order by {newest_first(c, exported=exported, downloaded=downloaded)}) = 1
        )"""


def older_rows(con: duckdb.DuckDBPyConnection, c: Contract, load_id: int, exported_at, downloaded_at=None) -> int:
    """Rows this load staged that lose to a version the warehouse already holds (an older export
    loaded after a newer one)."""
    return one(
        con,
        f"with {winners_cte(c)} select count(*) from winners where load_id <> $load_id",
        {"load_id": load_id, "exported_at": exported_at, **({"downloaded_at": downloaded_at} if c.export_time_from else {})},
    )[0]


def backfill_export_times(con: duckdb.DuckDBPyConnection, timezones: dict[str, str]) -> None:
    """Loads logged before export times were recorded get one: from the file if it is still where it
    was loaded from, else from its name, else the load's start (an upper bound: the export existed)."""
    from pathlib import Path

    from etl.export_time import ExportTime, export_time, from_name

    rows = con.execute(
        """select load_id, file_name, file_path, encoding, header_line, started_at from load_log
           where exported_at is null and status like 'loaded%'"""
    ).fetchall()
    for load_id, name, path, encoding, header_line, started in rows:
        p = Path(path or "")
        if path and p.is_file():
            found = export_time(p, encoding, (header_line or 1) - 1, timezones)
        else:
            found = from_name(name or "", timezones) or ExportTime(started, "load time (loaded before export times were recorded)")
        execute(con, "update load_log set exported_at = ?, exported_at_source = ? where load_id = ?",
            [found.at, found.source, load_id])  # fmt: skip
