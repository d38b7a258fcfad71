"""Golden tests for the shared headline KPIs on the October fixture (see test_kpi_sales.py)."""

from __future__ import annotations

import pytest

from queries.runner import run
from tests.conftest import OCTOBER

CONFIG = {"monthly_sales_cost": 60000.0, "gross_margin": 0.8, "monthly_churn": 0.02, "contract_months": 12.0}


def headline(db, as_of="2026-10-31 23:00:00", **dates):
    return run("shared/headline", db=db, **(dates or OCTOBER), as_of=as_of, channel=None, platform=None, campaign=None, owner=None, **CONFIG).row(0, named=True)


def test_revenue_pipeline_and_cac(revenue_db):
    h = headline(revenue_db)
    assert (float(h["revenue"]), float(h["new_pipeline"]), h["new_customers"]) == (30000.0, 20000.0, 2)
    # blended CAC = (spend 1,350 + 60,000 x 31 days / (365.25 / 12)) / 2 customers
    cac = (1350 + 60000 * 31 / (365.25 / 12)) / 2
    assert h["cac_blended"] == pytest.approx(cac)
    # paid CAC: only 501 came from a paid channel -> 1,350 / 1
    assert h["cac_paid"] == pytest.approx(1350.0)
    # monthly revenue per new customer = 30,000 / 2 / 12 = 1,250; x 0.8 margin = 1,000
    assert h["cac_payback_months"] == pytest.approx(cac / 1000)
    assert h["ltv"] == pytest.approx(1000 / 0.02)  # = 50,000
    assert h["ltv_cac"] == pytest.approx(50000 / cac)


def test_targets_pace_forecast_and_coverage(revenue_db):
    h = headline(revenue_db)
    assert h["revenue_target"] == pytest.approx(40000.0)
    assert h["revenue_pace"] == pytest.approx(30000 / 40000)  # whole month elapsed
    assert h["mqls_target"] == pytest.approx(4.0) and h["mqls_pace"] == pytest.approx(3 / 4)
    assert h["forecast_target_accuracy"] == pytest.approx(1 - 2000 / 30000)  # forecast 32,000
    # coverage: open 6,000 expected Oct 30 / (40,000 - 30,000)
    assert h["pipeline_coverage"] == pytest.approx(0.6)
    assert h["spend_target"] is None and h["spend_pace"] is None  # no spend target set


def test_pace_uses_elapsed_days(revenue_db):
    # half-way: Oct 1-16 elapsed of 31 days; revenue so far 20,000 (504 closed Oct 15)
    h = headline(revenue_db, as_of="2026-10-16 12:00:00")
    assert h["elapsed_days"] == 16
    assert h["revenue_pace"] == pytest.approx(30000 / (40000 * 16 / 31))


def test_empty_period_gives_nulls_not_errors(revenue_db):
    h = headline(revenue_db, start_date="2026-01-01", end_date="2026-01-31")
    assert float(h["revenue"]) == 0.0 and h["new_customers"] == 0
    assert h["cac_blended"] is None and h["ltv"] is None and h["forecast_target_accuracy"] is None
