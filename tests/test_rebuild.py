"""A warehouse built by an older Revline lacks the newer marts: the app says so and names the
command, and `python -m etl rebuild` rebuilds the tables from what is loaded without losing or
re-reading anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl.cli import main as etl_main
from queries.connection import missing_models


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ("ad_spend", "leads", "deals", "activities", "load_log", "rejected_rows", "stg_hubspot__contacts")
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_an_older_warehouse_is_named_and_rebuilt(demo_warehouse, tmp_path, app):
    _, source, _ = demo_warehouse
    db = tmp_path / "w.duckdb"
    shutil.copy(source, db)
    before = counts(db)
    con = duckdb.connect(str(db))
    con.execute("drop table mart_filter_options").fetchall()
    con.close()
    assert missing_models(db) == ["mart_filter_options"]

    at = app(db)
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "mart_filter_options" in message and "python -m etl rebuild" in message

    assert etl_main(["rebuild", "--db", str(db)]) == 0
    assert missing_models(db) == []
    assert counts(db) == before  # nothing lost, nothing loaded twice
    at = app(db)
    assert not at.exception and not at.error
    assert at.title[0].value == "Overview"


def test_rebuild_of_a_missing_warehouse_is_an_error(tmp_path, capsys):
    assert etl_main(["rebuild", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such warehouse" in capsys.readouterr().err
