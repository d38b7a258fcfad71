"""The app's first start: with no warehouse it builds the demo warehouse, lands on the Overview and
the Data page shows what was loaded."""

from __future__ import annotations


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
    assert len(history) == 16 and set(history["status"]) <= {"Loaded", "Loaded, some rows rejected"}  # labels
    counts = at.dataframe[3].value
    assert dict(zip(counts["table_name"], counts["row_count"], strict=True))["Leads"] > 5000


def test_sessions_starting_together_build_the_demo_once(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from etl.bootstrap import build_demo_warehouse

    db = tmp_path / "warehouse.duckdb"
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: build_demo_warehouse(db), range(2)))
    assert sorted(len(r) for r in results) == [0, 16]  # one built it, the other found it built
    assert all(r.ok for r in results[0] + results[1])
