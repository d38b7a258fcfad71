"""After a load the app warms its default view in the background: the per-MQL handoff bases of the
default period and its comparison period are ready before anyone opens the dashboard, and the
watcher does this once per warehouse version."""

from __future__ import annotations

import shutil
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from queries.connection import cursor
from queries.registry import DIMENSIONS
from queries.summary import summarize
from ui import prewarm
from ui.periods import resolve

TODAY = date(2026, 11, 22)  # the demo data's last day
# bases the default view shares between queries, each for the period and for its comparison period:
# the per-MQL handoff rows, the targets in range, the billing MRR (shared/headline's LTV), the pipeline
# moves and slippage, the sales activity and the forecast's stage rates (queries/runner.py keeps
# MEMO_TABLES of them: all of these)
WARMED = 12


def shared_tables(db: Path) -> set[str]:
    cur = cursor(db)
    try:
        rows = cur.execute(
            "select table_name from duckdb_tables() where database_name = 'memory' and table_name like '\\_shared\\_%' escape '\\'"
        ).fetchall()
    finally:
        cur.close()
    return {r[0] for r in rows}


@pytest.fixture
def db(demo_warehouse, tmp_path: Path) -> Path:
    _, source, _ = demo_warehouse
    copy = tmp_path / "w.duckdb"
    shutil.copy(source, copy)  # a file of its own: a new warehouse version, an empty memo
    return copy


def test_warm_leaves_the_default_views_bases_ready(db):
    assert shared_tables(db) == set()
    warmed = prewarm.warm(db, TODAY)
    assert warmed["metrics"]["mqls"]["value"] > 0
    ready = shared_tables(db)
    assert len(ready) == WARMED
    # the page's own summary for the sidebar's defaults (last 30 days vs previous) finds them
    start, end = resolve("last_30", TODAY)
    as_of = datetime.combine(end, datetime.max.time()).replace(microsecond=0)
    page = summarize(start, end, "previous", as_of, {d: None for d in DIMENSIONS},
                     db=db, names=["speed_to_lead_median", "sla_compliance"])  # fmt: skip
    assert shared_tables(db) == ready
    assert page["metrics"]["sla_compliance"]["value"] == warmed["metrics"]["sla_compliance"]["value"]


def test_the_watcher_warms_each_new_version_once(db, monkeypatch):
    monkeypatch.setenv("REVLINE_DB", str(db))
    monkeypatch.setenv("REVLINE_PREWARM", "0")
    assert prewarm.start() is None  # turned off: no thread
    monkeypatch.setenv("REVLINE_PREWARM", "1")
    monkeypatch.setattr(prewarm, "_started", type(prewarm._started)())
    monkeypatch.setattr(prewarm, "_stop", type(prewarm._stop)())
    calls: list[Path] = []
    real_warm = prewarm.warm
    monkeypatch.setattr(prewarm, "warm", lambda d, today: calls.append(d) or real_warm(d, TODAY))
    thread = prewarm.start()
    assert thread is not None and prewarm.start() is None  # once per process
    try:
        deadline = time.monotonic() + 60
        while len(shared_tables(db)) < WARMED and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(shared_tables(db)) == WARMED
    finally:
        prewarm._stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert calls == [db]  # one version, warmed once
