"""Golden tests for the remaining queries behind numbers on screen: the weekly trend, targets pro
rata, the filter options, and the Data page's load history, freshness and rejected rows."""

from __future__ import annotations

from datetime import date

import pytest

from queries.runner import run


def test_weekly_trend(revenue_db):
    out = run("shared/trend", db=revenue_db, start_date="2026-10-05", end_date="2026-10-25", grain="week",
              channel=None, platform=None, campaign=None, owner=None)  # fmt: skip
    rows = {str(r["period"]): r for r in out.iter_rows(named=True)}
    assert list(rows) == ["2026-10-05", "2026-10-12", "2026-10-19"]  # every week, empty ones included
    # week of Oct 5: leads L1-L4 created, MQLs L1-L3, SQLs L1 (Oct 7) and L3 (Oct 6); deals 501 (Oct 8,
    # 10,000), 502 (Oct 9, 4,000), 503 (Oct 10, 6,000) created; spend 100 + 50 + 1,000 + 200
    w1 = rows["2026-10-05"]
    assert (w1["leads"], w1["mqls"], w1["sqls"]) == (4, 3, 2)
    assert float(w1["new_pipeline"]) == 20000.0 and float(w1["spend"]) == 1350.0 and float(w1["revenue"]) == 0.0
    # week of Oct 12: 504 won Oct 15 (20,000); week of Oct 19: 501 won Oct 20 (10,000)
    assert float(rows["2026-10-12"]["revenue"]) == 20000.0 and float(rows["2026-10-19"]["revenue"]) == 10000.0


def test_targets_pro_rata(revenue_db):
    out = run("shared/targets_in_range", db=revenue_db, start_date="2026-10-01", end_date="2026-10-10")
    t = {(r["metric"], r["segment"]): r["target"] for r in out.iter_rows(named=True)}
    assert t[("revenue", "all")] == pytest.approx(40000 * 10 / 31)  # 10 of October's 31 days
    assert t[("mqls", "all")] == pytest.approx(4 * 10 / 31)


def test_filter_options_and_date_range(revenue_db):
    opts = run("filters/options", db=revenue_db)
    by_kind: dict[str, list[str]] = {}
    for kind, value in opts.iter_rows():
        by_kind.setdefault(kind, []).append(value)
    assert by_kind["platform"] == ["google_ads", "meta"]
    assert by_kind["owner"] == ["Dana Whitfield", "Tom Becker"]
    assert "No Leads Campaign" in by_kind["campaign"]
    span = run("filters/date_range", db=revenue_db).row(0, named=True)
    assert span["first_date"] == date(2026, 9, 1) and span["last_date"] == date(2026, 10, 25)


def test_data_page_queries(revenue_db):
    history = run("data/load_history", db=revenue_db)
    assert history.height == 5 and set(history["status"]) == {"loaded"}
    assert (
        history["rows_read"]
        == history["rows_loaded"] + history["rows_merged"] + history["rows_rejected"] + history["rows_duplicate"]
    ).all()
    fresh = {r["adapter"]: r for r in run("data/freshness", db=revenue_db).iter_rows(named=True)}
    assert set(fresh) == {"meta_ads", "google_ads", "hubspot_contacts", "hubspot_deals", "targets"}
    assert fresh["hubspot_contacts"]["rows_loaded"] == 4
    assert run("data/rejected_rows", db=revenue_db).height == 0
    counts = dict(run("data/table_counts", db=revenue_db).select("table_name", "row_count").iter_rows())
    assert counts == {"ad_spend": 4, "leads": 4, "deals": 4, "activities": 0, "targets": 4}
