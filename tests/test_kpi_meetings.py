"""Golden test: per-rep meetings follow the view's filters (tests/kpi_fixtures.py
write_meetings_exports, November 2026).

Leads: Q1 paid search / Google (converted to O1), Q2 paid social / Meta / spring_sale, Q3 organic
search. Deals: O1 (Priya, lead Q1), O2 (Tom, no lead, paid social by its own Lead Source).
Meetings: M1 Priya on O1; M2 Priya on Q3; M3 Tom on Q2; M4 Tom on O2; M5 Priya on Q3 and O1 (the
deal decides); M6 Tom on nothing. A meeting is cut by its deal, else its lead.
"""

from __future__ import annotations

from queries.runner import run

NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30", "as_of": "2026-11-30 23:00:00"}


def meetings(db, by: str = "owner", **dims) -> dict[str, int]:
    view = {"channel": None, "owner": None, "platform": None, "campaign": None} | dims
    out = run("sales/performance", db=db, **NOVEMBER, by=by, **view)
    return {r["segment"]: r["meetings"] for r in out.iter_rows(named=True)}


def test_meetings_unfiltered(meetings_db):
    # Priya M1 + M2 + M5 = 3; Tom M3 + M4 + M6 = 3; the call is no meeting
    assert meetings(meetings_db) == {"Priya Raman": 3, "Tom Becker": 3}
    assert meetings(meetings_db, by="total") == {"all": 6}


def test_meetings_by_channel(meetings_db):
    # paid search: M1 and M5 (both about O1, whose lead Q1 is paid search): Priya 2, Tom 0
    assert meetings(meetings_db, channel=["paid_search"]) == {"Priya Raman": 2}
    # paid social: M3 (lead Q2) + M4 (deal O2's own channel): Tom 2
    assert meetings(meetings_db, channel=["paid_social"]) == {"Tom Becker": 2}
    # organic search: M2 (lead Q3); M5 is about Q3 too but its deal O1 decides
    assert meetings(meetings_db, channel=["organic_search"]) == {"Priya Raman": 1}
    # the channels partition the meetings about something: 2 + 2 + 1 = 6 - M6
    assert meetings(meetings_db, by="total", channel=["paid_search", "paid_social", "organic_search"]) == {"all": 5}


def test_meetings_by_platform_and_campaign(meetings_db):
    # Meta: M3 only (O2 has no lead, so no platform); Google: M1 + M5 through O1's lead Q1
    assert meetings(meetings_db, platform=["meta"]) == {"Tom Becker": 1}
    assert meetings(meetings_db, platform=["google_ads"]) == {"Priya Raman": 2}
    assert meetings(meetings_db, campaign=["spring_sale"]) == {"Tom Becker": 1}


def test_meetings_by_owner(meetings_db):
    # the rep who held the meeting, within the channel cut: Priya's paid-search meetings M1 + M5
    assert meetings(meetings_db, by="total", owner=["Priya Raman"], channel=["paid_search"]) == {"all": 2}
    assert meetings(meetings_db, by="total", owner=["Tom Becker"], channel=["paid_search"]) == {}  # no row
