"""The app's first start: with no warehouse it builds the demo warehouse and shows what it holds."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")


def test_first_start_builds_the_demo_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("REVLINE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    assert db.exists() and (tmp_path / "demo" / "targets.csv").exists()
    counts = at.dataframe[0].value
    assert dict(zip(counts["table_name"], counts["row_count"], strict=True))["leads"] > 5000
    history = at.dataframe[1].value
    assert len(history) == 14 and set(history["status"]) <= {"loaded", "loaded_with_rejects"}
