"""Golden tests for paid media and cost per stage on the October fixture (tests/kpi_fixtures.py).

Spend: Meta Spring Sale 100 + 200, Meta No Leads Campaign 50, Google Brand Search 1,000 = 1,350.
Leads: L1, L2 (Spring Sale), L3 (Brand Search), L4 (organic). MQLs L1-L3; SQLs L1, L3.
"""

from __future__ import annotations

import pytest

from queries.runner import run
from tests.conftest import NO_FILTERS, OCTOBER


def perf(db, **kw):
    return run("paid_media/performance", db=db, **OCTOBER, **NO_FILTERS, **kw)


def cost(db, **kw):
    return run("paid_media/cost_per_stage", db=db, **OCTOBER, **NO_FILTERS, **kw)


def test_platform_ratios_are_ratios_of_sums(revenue_db):
    r = perf(revenue_db, grain="total", by="total").row(0, named=True)
    assert float(r["spend"]) == 1350.0
    assert (r["impressions"], r["clicks"], r["conversions"]) == (75000, 2410, 15.0)
    assert r["ctr"] == pytest.approx(2410 / 75000)  # clicks / impressions
    assert r["cpc"] == pytest.approx(1350 / 2410)  # spend / clicks
    assert r["cpm"] == pytest.approx(1350 / 75000 * 1000)  # = 18.0
    assert r["platform_cpa"] == pytest.approx(1350 / 15)  # spend / conversions = 90
    assert r["platform_roas"] == pytest.approx((500 + 700 + 3000) / 1350)  # value / spend


def test_per_platform_and_per_day(revenue_db):
    by_platform = {r["segment"]: r for r in perf(revenue_db, grain="total", by="platform").iter_rows(named=True)}
    assert float(by_platform["meta"]["spend"]) == 350.0 and float(by_platform["google_ads"]["spend"]) == 1000.0
    # Meta CTR: (100 + 300 + 10) / (10,000 + 20,000 + 5,000)
    assert by_platform["meta"]["ctr"] == pytest.approx(410 / 35000)
    days = perf(revenue_db, grain="day", by="total")
    assert [(str(d), float(s)) for d, s in days.select("period", "spend").iter_rows()] == [
        ("2026-10-05", 1150.0), ("2026-10-06", 200.0)]  # fmt: skip


def test_cpl_per_campaign_with_a_campaign_without_leads(revenue_db):
    rows = {r["segment"]: r for r in cost(revenue_db, grain="total", by="campaign").iter_rows(named=True)}
    # Spring Sale: 300 spend / 2 leads (utm "spring+sale" and "Spring%20Sale" both link) = 150
    assert rows["Spring Sale"]["leads"] == 2 and rows["Spring Sale"]["cpl"] == pytest.approx(150.0)
    # Brand Search: 1,000 / 1 lead ("brand_search")
    assert rows["Brand Search"]["cpl"] == pytest.approx(1000.0)
    # spend and no leads: CPL is null, not 0 and not an error
    assert rows["No Leads Campaign"]["leads"] == 0 and rows["No Leads Campaign"]["cpl"] is None
    assert float(rows["No Leads Campaign"]["spend"]) == 50.0


def test_blended_cpl_and_cost_per_stage(revenue_db):
    r = cost(revenue_db, grain="total", by="total").row(0, named=True)
    # blended: all spend (incl. the campaign without leads) / all leads incl. organic = 1,350 / 4
    assert (r["leads"], r["mqls"], r["sqls"], r["opportunities"], r["customers"]) == (4, 3, 2, 1, 1)
    assert r["cpl"] == pytest.approx(1350 / 4)
    assert r["cost_per_mql"] == pytest.approx(1350 / 3)
    assert r["cost_per_sql"] == pytest.approx(1350 / 2)
    assert r["cost_per_opportunity"] == pytest.approx(1350.0)
    assert r["cost_per_customer"] == pytest.approx(1350.0)
    # pipeline: deals created in October from attributed leads: 501 (L1) 10,000 + 502 (L3) 4,000
    assert r["pipeline_roas"] == pytest.approx(14000 / 1350)
    # revenue: 501 won 10,000 (504 has no lead, so it is not attributed to spend)
    assert r["revenue_roas"] == pytest.approx(10000 / 1350)


def test_channels_without_spend_have_null_costs(revenue_db):
    rows = {r["segment"]: r for r in cost(revenue_db, grain="total", by="channel").iter_rows(named=True)}
    assert rows["organic_search"]["leads"] == 1
    assert rows["organic_search"]["cpl"] is None  # no cost data is not zero cost
    assert rows["organic_search"]["spend"] is None  # no ad spend rows: no spend figure, not $0
    assert float(rows["paid_social"]["spend"]) == 350.0  # Meta 100 + 200 + 50
    # paid_social: Meta spend 350 / 2 leads
    assert rows["paid_social"]["cpl"] == pytest.approx(175.0)
    assert rows["paid_social"]["revenue_roas"] == pytest.approx(10000 / 350)


def test_platform_filter_and_zero_denominators(revenue_db):
    empty = run("paid_media/performance", db=revenue_db, start_date="2026-01-01", end_date="2026-01-31",
                grain="total", by="total", **NO_FILTERS)  # fmt: skip
    assert empty.height == 0  # no spend rows in January: nothing, not a division error
    google = run("paid_media/cost_per_stage", db=revenue_db, **OCTOBER, grain="total", by="platform",
                 channel=None, platform="google_ads", campaign=None)  # fmt: skip
    assert google["segment"].to_list() == ["google_ads"]
    assert google.row(0, named=True)["cost_per_opportunity"] is None  # 0 opportunities: null
