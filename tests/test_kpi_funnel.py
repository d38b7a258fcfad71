"""Golden tests for the funnel on the October fixture: L1 lead->MQL->SQL->opp->customer, L2 to MQL,
L3 to SQL, L4 lead only (tests/kpi_fixtures.py)."""

from __future__ import annotations

import pytest

from queries.runner import run
from tests.conftest import OCTOBER

FILTERS = {"channel": None, "platform": None, "campaign": None, "owner": None}


def stages(db, **kw):
    out = run("funnel/stages", db=db, **FILTERS, **kw)
    return {(r["segment"], r["stage"]): r for r in out.iter_rows(named=True)}


def test_cohort_funnel_intermediate_rows(revenue_db):
    s = stages(revenue_db, **OCTOBER, mode="cohort", by="total")
    assert [s[("all", st)]["records"] for st in ("lead", "mql", "sql", "opportunity", "customer")] == [4, 3, 2, 1, 1]
    assert s[("all", "mql")]["step_rate"] == pytest.approx(3 / 4)  # mql / lead
    assert s[("all", "sql")]["step_rate"] == pytest.approx(2 / 3)  # sql / mql
    assert s[("all", "sql")]["top_rate"] == pytest.approx(2 / 4)  # sql / lead
    assert s[("all", "opportunity")]["drop_off"] == 1  # 2 SQLs - 1 opportunity
    assert s[("all", "lead")]["step_rate"] is None and s[("all", "lead")]["drop_off"] is None


def test_flow_counts_events_in_range_not_cohorts(revenue_db):
    # only October 7-31: L1's SQL (7th), opportunity (8th) and customer (20th) happened; no lead was created
    s = stages(revenue_db, start_date="2026-10-07", end_date="2026-10-31", mode="flow", by="total")
    assert [s[("all", st)]["records"] for st in ("lead", "mql", "sql", "opportunity", "customer")] == [0, 0, 1, 1, 1]
    assert s[("all", "mql")]["step_rate"] is None  # 0 / 0 is null, not an error
    cohort = stages(revenue_db, start_date="2026-10-07", end_date="2026-10-31", mode="cohort", by="total")
    assert cohort[("all", "lead")]["records"] == 0


def test_funnel_by_channel(revenue_db):
    s = stages(revenue_db, **OCTOBER, mode="cohort", by="channel")
    assert s[("paid_social", "mql")]["records"] == 2 and s[("paid_social", "sql")]["step_rate"] == pytest.approx(1 / 2)
    assert s[("organic_search", "mql")]["step_rate"] == 0.0


def test_time_in_stage_median_and_p90(revenue_db):
    out = run("funnel/time_in_stage", db=revenue_db, **OCTOBER, by="total", **FILTERS)
    r = {row["transition"]: row for row in out.iter_rows(named=True)}
    # lead -> mql: L1 1 h, L2 4 h, L3 0.5 h -> median 1 h; P90 = 1 + 0.8 x (4 - 1) = 3.4 h (in days)
    assert (r["lead -> mql"]["entered"], r["lead -> mql"]["moved"]) == (4, 3)
    assert r["lead -> mql"]["median_days"] == pytest.approx(1 / 24)
    assert r["lead -> mql"]["p90_days"] == pytest.approx(3.4 / 24)
    # mql -> sql: L1 47 h, L3 24 h -> median 35.5 h
    assert r["mql -> sql"]["median_days"] == pytest.approx(35.5 / 24)
    # opportunity -> customer: L1 Oct 8 -> Oct 20 = 12 days
    assert r["opportunity -> customer"]["median_days"] == pytest.approx(12.0)


def test_cohort_maturity_shows_only_reached_ages(revenue_db):
    out = run("funnel/cohort_maturity", db=revenue_db, **OCTOBER, cohort_grain="month", stage="sql",
              max_weeks=8, as_of="2026-10-20 00:00:00", **FILTERS)  # fmt: skip
    # the October cohort (4 leads) is 19 days old on Oct 20: ages 0, 1 and 2 weeks only
    assert out["age_weeks"].to_list() == [0, 1, 2]
    # within 0 days nobody is an SQL; within 7 days L1 (2 days) and L3 (1 day) are
    assert out["converted"].to_list() == [0, 2, 2]
    assert out["rate"].to_list() == [0.0, 0.5, 0.5]
