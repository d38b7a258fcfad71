"""Golden tests for the handoff: speed-to-lead, bands, SLA met / pending / breached on the business
and the calendar clock. Expected values are worked out by hand from tests/kpi_fixtures.py.

Business hours: Mon-Fri 09:00-17:00 America/New_York (EST, UTC-5 in November 2026), SLA 4 h.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from queries.runner import run
from tests.kpi_fixtures import build, write_handoff_exports

PARAMS = dict(
    start_date="2026-11-01", end_date="2026-11-30", channel=None, owner=None, sla_hours=4.0,
    clock_start="mql", biz_tz="America/New_York", biz_days=[1, 2, 3, 4, 5], biz_start_min=540,
    biz_end_min=1020, owner_tz_names=[""], owner_tz_zones=["UTC"],
)  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = tmp_path_factory.mktemp("handoff")
    yield build(folder, write_handoff_exports(folder / "exports"))
    mp.undo()


def responses(db: Path, clock: str, as_of: str) -> dict[str, dict]:
    out = run("handoff/mql_response", db=db, clock=clock, as_of=as_of, **PARAMS)
    return {r["lead_id"]: r for r in out.iter_rows(named=True)}


def test_business_clock_intermediate_rows(db):
    r = responses(db, "business", "2026-11-03 16:00:00")
    # the lead that never became an MQL is not in the handoff
    assert set(r) == {"101", "102", "103", "104", "00Q000000000001AAA"}
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
