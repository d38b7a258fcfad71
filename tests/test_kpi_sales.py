"""Golden tests for sales KPIs on the October fixture.

Deals: 501 won 10,000 (created Oct 8, closed Oct 20, Dana); 502 lost 4,000 (Tom); 503 open 6,000
(Dana, expected Oct 30); 504 won 20,000 (created Sep 1, closed Oct 15, Tom). Target revenue 40,000.
"""

from __future__ import annotations

import pytest

from queries.runner import run
from tests.conftest import OCTOBER

AS_OF = {"as_of": "2026-10-31 23:00:00"}


def perf(db, by):
    out = run("sales/performance", db=db, **OCTOBER, **AS_OF, by=by, channel=None, owner=None, platform=None, campaign=None)
    return {r["segment"]: r for r in out.iter_rows(named=True)}


def test_team_sales_kpis(revenue_db):
    t = perf(revenue_db, "total")["all"]
    assert (t["won"], t["lost"]) == (2, 1)
    assert t["win_rate"] == pytest.approx(2 / 3)  # won / (won + lost), closed in October
    assert t["created"] == 3 and t["close_rate"] == pytest.approx(1 / 3)  # of 501-503, 501 won
    assert float(t["won_amount"]) == 30000.0
    assert t["avg_deal_size"] == pytest.approx(15000.0)  # 30,000 / 2
    assert float(t["median_deal_size"]) == 15000.0
    # cycle: created times are EDT wall clock (10:00 = 14:00 UTC); close dates are calendar dates
    # (midnight UTC): 501 Oct 8 14:00 -> Oct 20 00:00 = 11 d 10 h; 504 Sep 1 14:00 -> Oct 15 = 43 d 10 h
    cycle = (11 + 10 / 24 + 43 + 10 / 24) / 2  # median of two = mean = 27.42 days
    assert t["sales_cycle_days"] == pytest.approx(cycle)
    assert (t["open_deals"], float(t["open_pipeline"])) == (1, 6000.0)
    # velocity: 1 open x 15,000 x 2/3 / average cycle days
    assert t["pipeline_velocity"] == pytest.approx(1 * 15000 * (2 / 3) / cycle)
    assert t["quota"] == pytest.approx(40000.0) and t["quota_attainment"] == pytest.approx(0.75)


def test_per_rep(revenue_db):
    r = perf(revenue_db, "owner")
    assert float(r["Dana Whitfield"]["won_amount"]) == 10000.0 and r["Dana Whitfield"]["win_rate"] == 1.0
    assert r["Tom Becker"]["win_rate"] == pytest.approx(1 / 2)  # 504 won, 502 lost
    assert r["Tom Becker"]["quota_attainment"] is None  # no per-rep target in targets.csv


def test_pipeline_by_stage(revenue_db):
    out = run("sales/pipeline", db=revenue_db, **OCTOBER, **AS_OF, by="total", channel=None, owner=None, platform=None, campaign=None)
    assert out.select("stage", "deals").rows() == [("Contract Sent", 1)]
    assert float(out["closing_in_range"][0]) == 6000.0


def test_deal_reopened_after_close(tmp_path):
    """502 was Closed Lost in the first export; a later export shows it open again: the newer
    export wins, so October has 2 won and 0 lost, and 502 is back in the open pipeline."""
    from tests.kpi_fixtures import DEALS_HEADER, _quoted, build, write_revenue_exports

    files = write_revenue_exports(tmp_path / "exports")
    later = tmp_path / "exports" / "hubspot-crm-exports-all-deals-2026-11-02.csv"
    later.write_text(
        DEALS_HEADER + "\r\n"
        + _quoted("502", "L3 deal", "Contract Sent", "4000", "2026-11-20", "2026-10-09 10:00", "Tom Becker", "false", "3")
        + "\r\n",
        encoding="utf-8",
    )
    db = build(tmp_path, [*files, later])
    t = perf(db, "total")["all"]
    assert (t["won"], t["lost"], t["win_rate"]) == (2, 0, 1.0)  # 2 / (2 + 0)
    assert t["open_deals"] == 2 and float(t["open_pipeline"]) == 10000.0  # 503 6,000 + 502 4,000
