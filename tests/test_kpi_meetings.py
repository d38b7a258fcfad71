"""Golden test: per-rep meetings follow the view's filters (tests/kpi_fixtures.py
write_meetings_exports, November 2026).

Leads: Q1 paid search / Google (converted to O1), Q2 paid social / Meta / spring_sale, Q3 organic
search. Deals: O1 (Priya, lead Q1), O2 (Tom, no lead, paid social by its own Lead Source).
Meetings (the meetings_booked metric: sales meetings, a lead or contact attached, by booking date):
M1 Priya on O1 only; M2 Priya on Q3; M3 Tom on Q2; M4 Tom on O2 only; M5 Priya on Q3 and O1 (the deal
decides); M6 Tom on nothing. M1, M4 and M6 have no lead or contact: internal, not sales meetings
(etl/sql/45_sales_activities.sql). A meeting is cut by its deal, else its lead.
"""

from __future__ import annotations

from queries.runner import run

NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30", "as_of": "2026-11-30 23:00:00"}


def meetings(db, by: str = "owner", **dims) -> dict[str, int]:
    view = {"channel": None, "owner": None, "platform": None, "campaign": None} | dims
    out = run("sales/performance", db=db, **NOVEMBER, by=by, **view)
    return {r["segment"]: r["meetings"] for r in out.iter_rows(named=True)}


def test_meetings_unfiltered(meetings_db):
    # Priya M2 + M5 = 2; Tom M3 = 1 (M1, M4, M6 internal); the call is no meeting
    assert meetings(meetings_db) == {"Priya Raman": 2, "Tom Becker": 1}
    assert meetings(meetings_db, by="total") == {"all": 3}


def test_meetings_by_channel(meetings_db):
    # paid search: M5 (about O1, whose lead Q1 is paid search): Priya 1, Tom 0
    assert meetings(meetings_db, channel=["paid_search"]) == {"Priya Raman": 1}
    # paid social: M3 (lead Q2): Tom 1
    assert meetings(meetings_db, channel=["paid_social"]) == {"Tom Becker": 1}
    # organic search: M2 (lead Q3); M5 is about Q3 too but its deal O1 decides
    assert meetings(meetings_db, channel=["organic_search"]) == {"Priya Raman": 1}
    # the channels partition the sales meetings: 1 + 1 + 1 = 3
    assert meetings(meetings_db, by="total", channel=["paid_search", "paid_social", "organic_search"]) == {"all": 3}


def test_meetings_by_platform_and_campaign(meetings_db):
    # Meta: M3 only; Google: M5 through O1's lead Q1
    assert meetings(meetings_db, platform=["meta"]) == {"Tom Becker": 1}
    assert meetings(meetings_db, platform=["google_ads"]) == {"Priya Raman": 1}
    assert meetings(meetings_db, campaign=["spring_sale"]) == {"Tom Becker": 1}


def test_meetings_by_owner(meetings_db):
    # the rep who held the meeting, within the channel cut: Priya's paid-search meeting M5
    assert meetings(meetings_db, by="total", owner=["Priya Raman"], channel=["paid_search"]) == {"all": 1}
    assert meetings(meetings_db, by="total", owner=["Tom Becker"], channel=["paid_search"]) == {}  # no row
