"""The warehouse file and how a load replaces it without ever locking out readers.

DuckDB locks a file across processes both ways, so a load never writes the live file: it copies
the live warehouse to `<db>.next`, loads into the copy, checkpoints, closes, and `os.replace`s it
onto the live path (atomic on POSIX). A load killed at any point leaves the live file untouched;
the next load starts from a fresh copy. One load at a time is enforced with an flock on `<db>.lock`.
See docs/DECISIONS.md "Serving while loading".
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.config import CHANNELS, RULE_FIELDS, Config
from etl.db import many, run

DEFAULT_DB = Path("data/warehouse.duckdb")

SCHEMA = """
create table if not exists load_log (
    load_id integer primary key, file_name varchar, file_sha256 varchar, adapter varchar,
    started_at timestamp, finished_at timestamp, rows_read bigint, rows_loaded bigint,
    rows_rejected bigint, rows_duplicate bigint, rows_skipped bigint, status varchar,
    message varchar, file_path varchar, encoding varchar, delimiter varchar, header_line integer,
    date_order varchar, exported_at timestamp, exported_at_source varchar, rows_older bigint
);
-- warehouses from before export times were recorded (etl/export_time.py)
alter table load_log add column if not exists exported_at timestamp;
alter table load_log add column if not exists exported_at_source varchar;
alter table load_log add column if not exists rows_older bigint;
create table if not exists rejected_rows (
    load_id integer, file_name varchar, line_number integer, raw_line varchar, reason varchar
);
create table if not exists channels (channel varchar primary key);
"""


def memory_limit(env: str, default: str) -> str:
    """DuckDB's buffer limit for a process: beyond it joins, sorts and windows spill to disk
    (`<db>.tmp`) instead of growing RSS; DuckDB's own default is 80% of the machine."""
    return os.environ.get(env) or default


def db_path(arg: str | Path | None = None) -> Path:
    return Path(arg or os.environ.get("REVLINE_DB") or DEFAULT_DB)


@contextlib.contextmanager
def next_version(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a copy of `db`; on success swap it in atomically."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tmp = db.with_name(db.name + ".next")
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        if db.exists():
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp), config={"memory_limit": memory_limit("REVLINE_ETL_MEMORY", "2GB")})
        try:
            run(con, SCHEMA)
            yield con
            run(con, "checkpoint")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db)
        dir_fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_config_tables(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Config the SQL models read, as small tables (values bound, never formatted into SQL)."""
    run(con, "create or replace table config_fx (currency varchar, rate double)")
    many(con, "insert into config_fx values (?, ?)", list(cfg.fx.items()))
    run(con, "create or replace table config_platform_sources (platform varchar, utm_source varchar)")
    many(
        con,
        "insert into config_platform_sources values (?, ?)",
        [(p, s) for p, sources in cfg.platform_sources.items() for s in sources],
    )
    fields = ", ".join(f"{f} varchar[]" for f in RULE_FIELDS)
    run(con, f"create or replace table config_channel_rules (rule_no integer, channel varchar, {fields})")
    many(
        con,
        f"insert into config_channel_rules values (?, ?, {', '.join('?' for _ in RULE_FIELDS)})",
        [
            (i, r.channel, *[list(r.conditions[f]) if f in r.conditions else None for f in RULE_FIELDS])
            for i, r in enumerate(cfg.channel_rules)
        ],
    )
    run(con, "create or replace table config_automation (kind varchar, pattern varchar)")
    many(
        con,
        "insert into config_automation values (?, ?)",
        [("assignee", a) for a in cfg.automated_assignees] + [("subject", s) for s in cfg.automated_subjects],
    )
    run(con, "create or replace table config_stages (source_system varchar, pipeline varchar, stage varchar, outcome varchar)")
    many(con, "insert into config_stages values (?, ?, ?, ?)", list(cfg.stages))  # lower-cased; pipeline '' = any
    run(con, "create or replace table config_reporting (reporting_currency varchar)")
    run(con, "insert into config_reporting values (?)", [cfg.reporting_currency])
    run(con, "delete from channels")
    many(con, "insert into channels values (?)", [(c,) for c in CHANNELS])
