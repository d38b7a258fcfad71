"""Golden tests for the handoff: speed-to-lead, bands, SLA met / pending / breached on the business
and the calendar clock. Expected values are worked out by hand from tests/kpi_fixtures.py.

Business hours: Mon-Fri 09:00-17:00 America/New_York (EST, UTC-5 in November 2026), SLA 4 h.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from queries.runner import run

PARAMS = dict(
    start_date="2026-11-01", end_date="2026-11-30", channel=None, owner=None, platform=None, campaign=None, sla_hours=4.0,
    clock_start="mql", biz_tz="America/New_York", biz_days=[1, 2, 3, 4, 5], biz_start_min=540,
    biz_end_min=1020, owner_tz_names=[""], owner_tz_zones=["UTC"],
)  # fmt: skip


@pytest.fixture(scope="module")
def db(handoff_db: Path) -> Path:
    return handoff_db


def responses(db: Path, clock: str, as_of: str) -> dict[str, dict]:
    out = run("handoff/mql_response", db=db, clock=clock, as_of=as_of, **PARAMS)
    return {r["lead_id"]: r for r in out.iter_rows(named=True)}


def test_business_clock_intermediate_rows(db):
    r = responses(db, "business", "2026-11-03 16:00:00")
    # the lead that never became an MQL is not in the handoff
    assert set(r) == {"101", "102", "103", "104", "106", "00Q000000000001AAA"}
    # A: 10:00 -> 10:03 local = 3 business minutes
    assert r["101"]["response_minutes"] == 3.0 and r["101"]["band"] == "0-5 min"
    assert r["101"]["sla_status"] == "met"
    # B: Fri 18:30 is after hours; the clock starts Mon 09:00; touched 09:30 -> 30 minutes
    assert r["102"]["response_minutes"] == 30.0 and r["102"]["band"] == "15-60 min"
    # ... and its deadline is Mon 09:00 + 4 h = 13:00 EST = 18:00 UTC
    assert r["102"]["deadline_at"] == datetime(2026, 11, 9, 18, 0)
    assert r["102"]["local_weekday"] == 5 and r["102"]["local_hour"] == 18
    # C: MQL Tue 09:00, untouched; at 11:00 EST (16:00 UTC) its window (to 13:00) is open: pending
    assert r["103"]["touch_at"] is None and r["103"]["band"] == "never"
    assert r["103"]["sla_status"] == "pending" and r["103"]["age_hours"] == 2.0
    # D: Wed 16:00 -> 17:00 (1 h) + Thu 09:00 -> 11:00 (2 h) = 180 business minutes, within 4 h
    assert r["104"]["response_minutes"] == 180.0 and r["104"]["band"] == "1-4 h"
    assert r["104"]["deadline_at"] == datetime(2026, 11, 5, 17, 0)  # Thu 12:00 EST
    assert r["104"]["sla_status"] == "met"
    # F (Salesforce): MQL 2:00 PM; the automated Pardot email at 2:01 PM is not a touch; call 2:20 PM
    assert r["00Q000000000001AAA"]["response_minutes"] == 20.0
    # 14:00 + 3 h to close, + 1 h Tuesday -> Tue 10:00 EST = 15:00 UTC
    assert r["00Q000000000001AAA"]["deadline_at"] == datetime(2026, 11, 3, 15, 0)


def test_untouched_mql_breaches_when_its_window_closes(db):
    # C's window closes Tue 13:00 EST = 18:00 UTC
    assert responses(db, "business", "2026-11-03 17:59:00")["103"]["sla_status"] == "pending"
    assert responses(db, "business", "2026-11-03 18:01:00")["103"]["sla_status"] == "breached"


def test_calendar_clock(db):
    r = responses(db, "calendar", "2026-11-10 00:00:00")
    # B: Fri 18:30 -> Mon 09:30 = 63 h = 3780 min > 24 h, and past its 4 h window: breached
    assert r["102"]["response_minutes"] == 3780.0 and r["102"]["band"] == "> 24 h"
    assert r["102"]["sla_status"] == "breached"
    # D: Wed 16:00 -> Thu 11:00 = 19 h = 1140 min, breached on the calendar clock
    assert r["104"]["response_minutes"] == 1140.0 and r["104"]["sla_status"] == "breached"
    assert r["101"]["sla_status"] == "met"


AGG = dict(PARAMS, clock="business", as_of="2026-11-03 16:00:00")


def test_speed_to_lead_per_rep(db):
    out = run("handoff/speed_and_sla", db=db, grain="total", by="owner", **AGG)
    r = {row["segment"]: row for row in out.iter_rows(named=True)}
    # Dana: A 3 min, D 180 min, G 10 min -> median 10; P90 (continuous) = 10 + 0.8 x (180 - 10) = 146
    assert r["Dana Whitfield"]["mqls"] == 3 and r["Dana Whitfield"]["median_minutes"] == 10.0
    assert r["Dana Whitfield"]["p90_minutes"] == pytest.approx(146.0)
    # within 5 minutes: only A -> 1 / 3
    assert r["Dana Whitfield"]["within_5_min_rate"] == pytest.approx(1 / 3)
    # Tom: B 30 min, C never -> median 30, one never touched
    assert (r["Tom Becker"]["median_minutes"], r["Tom Becker"]["never_touched"]) == (30.0, 1)
    total = run("handoff/speed_and_sla", db=db, grain="total", by="total", **AGG).row(0, named=True)
    # all touched: 3, 10, 20, 30, 180 -> median 20
    assert (total["mqls"], total["touched"], total["median_minutes"]) == (6, 5, 20.0)


def test_response_bands_and_conversion(db):
    out = run("handoff/response_bands", db=db, **AGG)
    bands = {r["band"]: (r["mqls"], r["sqls"]) for r in out.iter_rows(named=True)}
    # 0-5: A; 5-15: G; 15-60: B, F; 1-4 h: D (reached SQL); never: C; empty bands are listed with 0
    assert bands == {"0-5 min": (1, 0), "5-15 min": (1, 0), "15-60 min": (2, 0), "1-4 h": (1, 1),
                     "4-24 h": (0, 0), "> 24 h": (0, 0), "never": (1, 0)}  # fmt: skip
    rate = {r["band"]: r["sql_rate"] for r in out.iter_rows(named=True)}
    assert rate["1-4 h"] == 1.0 and rate["4-24 h"] is None  # empty band: null, not 0


def test_sla_compliance_excludes_pending(db):
    total = run("handoff/speed_and_sla", db=db, grain="total", by="total", **AGG).row(0, named=True)
    # met: A, B, D, F, G = 5; pending: C; compliance = 5 / (5 + 0) = 1.0
    assert (total["met"], total["breached"], total["pending"], total["compliance"]) == (5, 0, 1, 1.0)
    later = dict(AGG, as_of="2026-11-04 00:00:00")
    total = run("handoff/speed_and_sla", db=db, grain="total", by="total", **later).row(0, named=True)
    # C breached once its window closed: 5 / (5 + 1)
    assert total["compliance"] == pytest.approx(5 / 6)
    by_owner = run("handoff/speed_and_sla", db=db, grain="total", by="owner", **later)
    assert dict(by_owner.select("segment", "compliance").iter_rows()) == {
        "Dana Whitfield": 1.0, "Tom Becker": 0.5, "Priya Raman": 1.0}  # fmt: skip
    heat = run("handoff/speed_and_sla", db=db, grain="total", by="hour_weekday", **later)
    friday = heat.filter(heat["weekday"] == 5).row(0, named=True)
    assert (friday["hour"], friday["mqls"], friday["met"]) == (18, 1, 1)


def test_unworked_queue_and_about_to_breach(db):
    out = run("handoff/unworked_queue", db=db, warn_hours=3.0, **AGG)
    # only C is untouched: 2 h old, deadline in 2 h (< 3 h warning) -> about to breach
    assert out.select("lead_id", "age_band", "status").rows() == [("103", "1-4 h", "about_to_breach")]
    calm = run("handoff/unworked_queue", db=db, warn_hours=1.0, **AGG)
    assert calm["status"].to_list() == ["pending"]


def test_recycled_mqls_with_reasons(db):
    out = run("handoff/recycled_rejected", db=db, **AGG)
    # G was recycled for "No budget": 1 of 6 MQLs
    assert out.rows() == [("recycled", "No budget", 1, pytest.approx(1 / 6))]
