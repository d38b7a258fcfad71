"""Rebuild the unified contract tables (ad_spend, leads, deals, activities, targets) and the marts
from staging.

The models are SQL files in etl/sql/, run in name order. They only read stg_* and config_* tables
and the `latest_<source>__<entity>` views of each record's newest version (etl/newest.py), so every
source may be absent: staging tables are created empty from the contracts first. The ad platforms'
union and the sources coverage reports on are written from the contracts (etl/unified.py) before
the files run.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb

from etl.contracts import all_contracts
from etl.db import execute
from etl.newest import create_latest_views, latest_view_sql
from etl.staging import ensure_tables
from etl.unified import ad_rows_view, coverage_sources_view, web_rows_view

SQL_DIR = Path(__file__).parent / "sql"
# which file's rows of a campaign and day win: the newest export by its own time (as etl/newest.py
# ranks records without a modified column), then the later load and line. SQL files write
# `{version_order}` where they pick a version (docs/decisions/0022-newest-export-wins-by-the-exports-own-time.md).
VERSION_ORDER = "lg.exported_at desc nulls last, v.load_id desc, v.source_line desc"


def build_models(con: duckdb.DuckDBPyConnection) -> None:
    ensure_tables(con, *all_contracts())
    execute(con, ad_rows_view())
    execute(con, web_rows_view())
    execute(con, coverage_sources_view())
    create_latest_views(con)
    for path in sorted(SQL_DIR.glob("*.sql")):
        execute(con, path.read_text(encoding="utf-8").replace("{version_order}", VERSION_ORDER))


def prelude() -> list[str]:
    """The views the SQL files read besides staging and config, as DuckDB statements: the ad and web
    unions and the sources coverage reports on (etl/unified.py), each record's newest version
    (etl/newest.py). The Spark engine runs them before the files (etl/engine.run_models_spark)."""
    return [ad_rows_view(), web_rows_view(), coverage_sources_view(), *(latest_view_sql(c) for c in all_contracts())]


@functools.cache  # the app checks on every run; the SQL files do not change while it runs
def model_tables() -> tuple[str, ...]:
    """The tables the models create. A warehouse built by an older Revline lacks the newer ones
    until its models are rebuilt (`python -m etl rebuild`)."""
    names: list[str] = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        names += re.findall(r"(?im)^create or replace table (\w+)", path.read_text(encoding="utf-8"))
    return tuple(names)
