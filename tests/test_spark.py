"""Equal answers on both engines (issue #28, phase 1): a golden KPI warehouse is built by the real
DuckDB ETL; its model inputs (staging, config, load_log, snapshot_rows: what etl/sql/*.sql reads) are
copied to Parquet; Spark (local[2], one session per worker) runs the same model files from those
Parquet files through etl/engine.py; every contract table and mart, and the KPI queries, must equal
DuckDB's. Numbers are compared at 6 decimal places: money is DECIMAL(18,2) on DuckDB and a wider
decimal or a double on Spark after arithmetic, and doubles summed in another order differ in the last
bits; anything coarser than a millionth is a real difference."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import duckdb
import pytest

from etl import engine
from etl.models import SQL_DIR, VERSION_ORDER, model_tables, prelude

WAREHOUSES = ("revenue_db", "pipeline_db")  # ads, leads, deals, targets; deal snapshots (the ASOF joins)


def model_inputs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables the models read: every table of the warehouse but the models' own and raw_*."""
    models = set(model_tables())
    names = [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = current_database()").fetchall()]
    return [n for n in names if n not in models and not n.startswith("raw_")]


def spark_models(spark, db: Path, folder: Path) -> None:
    """The models of `db` rebuilt on Spark from its inputs as Parquet under `folder`."""
    with duckdb.connect(str(db), read_only=True) as con:
        for name in model_inputs(con):
            con.execute(f"copy (select * from \"{name}\") to '{folder / name}.parquet' (format parquet)")
            spark.read.parquet(str(folder / f"{name}.parquet")).createOrReplaceTempView(name)
    engine.run_models_spark(spark, sorted(SQL_DIR.glob("*.sql")), {"{version_order}": VERSION_ORDER}, prelude())


def _value(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int | float | decimal.Decimal):
        return round(float(v), 6)
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(v, list | tuple):
        return tuple(_value(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _value(x)) for k, x in v.items()))
    return v


def rows(table) -> tuple[list[str], list[tuple]]:
    """Column names and rows (order-free: sorted) of an Arrow table, values normalised (_value)."""
    data = [tuple(_value(r[c]) for c in table.column_names) for r in table.to_pylist()]
    return table.column_names, sorted(data, key=repr)


@pytest.fixture(scope="module", params=WAREHOUSES)
def both(request, spark, tmp_path_factory):
    db = request.getfixturevalue(request.param)
    folder = tmp_path_factory.mktemp(f"parquet_{request.param}")
    spark_models(spark, db, folder)
    return db


def test_every_contract_table_and_mart_equals_duckdbs(both, spark):
    differ = {}
    with duckdb.connect(str(both), read_only=True) as con:
        for table in model_tables():
            ours = rows(con.execute(f"select * from {table}").to_arrow_table())
            theirs = rows(spark.table(table).toArrow())
            if ours != theirs:
                differ[table] = (ours[0], theirs[0], [r for r in ours[1] if r not in theirs[1]][:3],
                                 [r for r in theirs[1] if r not in ours[1]][:3])
    assert differ == {}
