"""Shared test setup: a fixed email-hash key so hashes are reproducible across a test run."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _hash_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")


@pytest.fixture(scope="session")
def revenue_db(tmp_path_factory: pytest.TempPathFactory):
    """The October 2026 golden warehouse of tests/kpi_fixtures.py, built by the real ETL."""
    from tests.kpi_fixtures import build, write_revenue_exports

    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = tmp_path_factory.mktemp("revenue")
    yield build(folder, write_revenue_exports(folder / "exports"))
    mp.undo()


OCTOBER = {"start_date": "2026-10-01", "end_date": "2026-10-31"}
NO_FILTERS = {"channel": None, "platform": None, "campaign": None}


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """The demo exports (scale 1) and the warehouse the real ETL builds from them."""
    from etl.demo_data import write_demo
    from etl.loader import load

    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    root = tmp_path_factory.mktemp("demo")
    write_demo(root / "exports")
    db = root / "w.duckdb"
    results = load([root / "exports"], db)
    yield root / "exports", db, results
    mp.undo()
