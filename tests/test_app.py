"""The app's first start: with no warehouse it builds the demo warehouse, lands on the Overview and
the Data page shows what was loaded."""

from __future__ import annotations

import zipfile
from pathlib import Path


def demo_loads(folder: Path) -> int:
    """One load per export the demo wrote, a Search Console zip's member files each (etl/bundle.py)."""
    return sum(len([i for i in zipfile.ZipFile(p).infolist() if not i.is_dir()]) if p.suffix == ".zip" else 1
               for p in folder.rglob("*") if p.is_file())  # fmt: skip


def test_first_start_builds_the_demo_warehouse(tmp_path, monkeypatch, app):
    db = tmp_path / "data" / "warehouse.duckdb"  # nothing configured: the default location, here
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    at = app(timeout=180, range="custom", start="2026-10-01", end="2026-11-22")
    assert db.exists() and (tmp_path / "data" / "demo" / "targets.csv").exists()
    assert any(t.value == "Overview" for t in at.title)
    assert {m.label for m in at.metric} >= {"Revenue", "SLA compliance"}
    at.switch_page("pages/data.py")
    at.run()
    history = at.dataframe[1].value
    assert len(history) == demo_loads(tmp_path / "data" / "demo")
    # every export loads; the monthly Search Console zips carry the same Filters.csv ("Date, Custom"),
    # which is said to be already loaded after the first month
    again = history[history["status"] == "Already loaded"]
    assert set(history["status"]) <= {"Loaded", "Loaded, some rows rejected", "Already loaded"}, set(history["status"])
    assert all(str(name).endswith("Filters.csv") for name in again["file_name"]), list(again["file_name"])
    counts = at.dataframe[3].value
    assert dict(zip(counts["table_name"], counts["row_count"], strict=True))["Leads"] > 5000


def test_sessions_starting_together_build_the_demo_once(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from etl.bootstrap import build_demo_warehouse

    db = tmp_path / "warehouse.duckdb"
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: build_demo_warehouse(db), range(2)))
    assert sorted(len(r) for r in results) == [0, demo_loads(db.parent / "demo")]  # one built it, the other found it
    assert all(r.ok for r in results[0] + results[1])
