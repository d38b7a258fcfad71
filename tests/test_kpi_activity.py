"""Golden test: the sales-activity metrics of queries/sales/activity.sql (issue 27 point 3) on the
HubSpot warehouse of tests/kpi_fixtures.py write_activity_exports, September 2026, worked by hand.

Contacts (lead owner, channel / platform / campaign, created): C1 Dana paid social / Meta /
spring_sale Sep 2; C2 Tom paid search / Google / brand_search Sep 3; C3 Dana organic Sep 4
(lifecycle opportunity Sep 6, no deal); C4 Tom paid social / Meta / spring_sale Sep 5; C5 Tom paid
search / Google / brand_search Sep 25. Deals: D1 C1 Sep 10 (8 days); D2 C2 Oct 20 (47 days); D3 C4
Sep 20 (15 days); D4 C5 Oct 23 (28 days, after a Sep 30 as-of).
Meetings (rep, lead, booked -> starts, outcome): M1 Dana C1 + deal D1 Sep 3 -> Sep 5 completed;
M2 Dana C3 Sep 6 -> Sep 9 no show; M3 Tom C2 Sep 4 -> Sep 6 canceled; M4 Tom C4 Sep 10 -> Sep 12
rescheduled, replaced by M5 Tom C4 Sep 11 -> Oct 2 scheduled; M6 Dana, no contact (internal)
Sep 12 -> Sep 13 completed; M7 Dana C1 + C3 Aug 28 -> Sep 16 completed; M8 Tom C2 Sep 20 -> Sep 24
no show. Calls: K1 Dana C1 Sep 2 connected (00:03:12); K2 Dana C3 Sep 4 no answer (45000 ms);
K3 Tom C2 Sep 3 connected (300000 ms); K4 Tom C4 Sep 5 busy; K5 Tom C4 Aug 30 connected.
A workflow task "Call C3" a minute after C3 was created: a reminder, never a call or a touch.
"""

from __future__ import annotations

import json

import pytest

from queries.runner import run
from tests.test_summary import summary

SEPTEMBER = {"start_date": "2026-09-01", "end_date": "2026-09-30", "as_of": "2026-09-30 23:00:00"}
NO_CUT = {"channel": None, "owner": None, "platform": None, "campaign": None}


def activity(db, by: str = "total", window: int = 30, **over) -> dict[str, dict]:
    args = SEPTEMBER | NO_CUT | {"by": by, "opportunity_window_days": window} | over
    out = run("sales/activity", db=db, **args)
    return {r["segment"]: r for r in out.iter_rows(named=True)}


def test_meetings_booked_held_and_no_shows(activity_db):
    team = activity(activity_db)["all"]
    # booked in September: M1, M2, M3 (canceled: still booked), M5 (M4 rescheduled: replaced by M5,
    # counted once), M8 (no show: still booked) = 5; M6 internal, M7 booked in August
    assert team["meetings_booked"] == 5
    # held: outcome completed, starting in September: M1 + M7 = 2 (M6 internal)
    assert team["meetings_held"] == 2
    # no-show rate = no-shows / (held + no-shows) = (M2 + M8) / (2 + 2) = 0.5
    assert team["meetings_no_show"] == 2
    assert team["meeting_no_show_rate"] == pytest.approx(0.5)


def test_calls_and_connected_calls_tasks_are_no_calls(activity_db):
    team = activity(activity_db)["all"]
    # calls in September: K1..K4 = 4 (K5 is August; the task "Call C3" is a reminder, not a call)
    assert team["calls"] == 4
    # connected: K1 + K3 = 2
    assert team["connected_calls"] == 2


def test_per_rep_by_the_activitys_owner_and_the_leads_owner(activity_db):
    reps = activity(activity_db, by="owner")
    dana, tom = reps["Dana Whitfield"], reps["Tom Becker"]
    # Dana: booked M1 + M2 = 2; held M1 + M7 = 2; no-show M2: 1 / (2 + 1) = 1/3; calls K1 + K2, connected K1
    assert (dana["meetings_booked"], dana["meetings_held"], dana["calls"], dana["connected_calls"]) == (2, 2, 2, 1)
    assert dana["meeting_no_show_rate"] == pytest.approx(1 / 3)
    # Tom: booked M3 + M5 + M8 = 3; held 0; no-show M8: 1 / (0 + 1) = 1; calls K3 + K4, connected K3
    assert (tom["meetings_booked"], tom["meetings_held"], tom["calls"], tom["connected_calls"]) == (3, 0, 2, 1)
    assert tom["meeting_no_show_rate"] == pytest.approx(1.0)
    # leads by their owner: Dana C1, C3 (both an opportunity: D1, C3's lifecycle date; both met) -> 2/2
    assert (dana["leads"], dana["opportunity_rate"], dana["lead_to_meeting_rate"]) == (2, 1.0, 1.0)
    # Tom C2, C4, C5: opportunity C4 only (D2 47 days, D4 after the as-of) = 1/3; met C2, C4 = 2/3
    assert tom["leads"] == 3
    assert tom["opportunity_rate"] == pytest.approx(1 / 3) and tom["lead_to_meeting_rate"] == pytest.approx(2 / 3)


def test_opportunity_rate_window_and_as_of(activity_db):
    # opportunity_rate = leads with a deal or opportunity within 30 days, by the as-of / leads created
    # C1 (D1, 8 days) + C3 (lifecycle opportunity, 2 days) + C4 (D3, 15 days) = 3 of 5
    assert activity(activity_db)["all"]["opportunity_rate"] == pytest.approx(3 / 5)
    # judged at Oct 31: C5's D4 (Oct 23, 28 days) has happened: 4 of 5; C2's D2 (47 days) still outside
    assert activity(activity_db, as_of="2026-10-31 23:00:00")["all"]["opportunity_rate"] == pytest.approx(4 / 5)
    # [kpi] opportunity_window_days = 60: D2 counts too: 5 of 5
    assert activity(activity_db, window=60, as_of="2026-10-31 23:00:00")["all"]["opportunity_rate"] == 1.0
    # a window of 5 days: only C3 (2 days) = 1 of 5
    assert activity(activity_db, window=5)["all"]["opportunity_rate"] == pytest.approx(1 / 5)


def test_lead_to_meeting_rate(activity_db):
    # leads created in September with a sales meeting booked by the as-of: C1 (M1, M7), C2 (M3, M8),
    # C3 (M2, and M7's second contact), C4 (M5) = 4 of 5 (C5 none)
    team = activity(activity_db)["all"]
    assert (team["leads"], team["leads_with_meeting"]) == (5, 4)
    assert team["lead_to_meeting_rate"] == pytest.approx(4 / 5)


def test_cut_by_channel_platform_and_campaign(activity_db):
    # paid social: meetings about C1 / D1 / C4: booked M1 + M5 = 2; held M1 + M7 (its first contact
    # C1) = 2; no no-show: rate 0; calls K1 + K4 = 2, connected K1; leads C1, C4: opportunity 2/2, met 2/2
    social = activity(activity_db, channel=["paid_social"])["all"]
    assert (social["meetings_booked"], social["meetings_held"], social["meeting_no_show_rate"]) == (2, 2, 0.0)
    assert (social["calls"], social["connected_calls"], social["leads"], social["opportunity_rate"]) == (2, 1, 2, 1.0)
    # Google (paid search): M3 + M8 booked, M8 no-show: 1 / (0 + 1); K3 connected; C2, C5: no opportunity
    google = activity(activity_db, platform=["google_ads"])["all"]
    assert (google["meetings_booked"], google["meeting_no_show_rate"], google["calls"]) == (2, 1.0, 1)
    assert (google["leads"], google["opportunity_rate"], google["lead_to_meeting_rate"]) == (2, 0.0, 0.5)
    # campaign brand_search: the same leads and activities as Google here
    assert activity(activity_db, campaign=["brand_search"])["all"] == google
    # Tom's paid-social activity: M5 booked, K4 (busy)
    tom = activity(activity_db, owner=["Tom Becker"], channel=["paid_social"])["all"]
    assert (tom["meetings_booked"], tom["calls"], tom["connected_calls"]) == (1, 1, 0)


NAMES = ["meetings_booked", "meetings_held", "meeting_no_show_rate", "calls", "connected_calls",
         "opportunity_rate", "lead_to_meeting_rate"]  # fmt: skip


def test_summary_reports_the_metrics_by_name(activity_db):
    p = summary(activity_db, "--start", "2026-09-01", "--end", "2026-09-30", "--as-of", "2026-09-30 23:00",
                "--format", "json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    m = json.loads(p.stdout)["metrics"]
    got = {n: m[n]["value"] for n in NAMES}
    assert got == pytest.approx({"meetings_booked": 5, "meetings_held": 2, "meeting_no_show_rate": 0.5, "calls": 4,
                                 "connected_calls": 2, "opportunity_rate": 0.6, "lead_to_meeting_rate": 0.8})


def test_without_activity_exports_activity_metrics_read_no_data(revenue_db):
    """The October warehouse has contacts and deals but no activity export: its meeting and call
    counts are unknown ("no data"), never 0; the opportunity rate, from leads and deals, has a value."""
    p = summary(revenue_db, "--start", "2026-10-01", "--end", "2026-10-31", "--as-of", "2026-10-31 23:00")
    assert p.returncode == 0, p.stderr
    m = json.loads(p.stdout)["metrics"]
    for name in ("meetings_booked", "meetings_held", "meeting_no_show_rate", "calls", "connected_calls",
                 "lead_to_meeting_rate"):
        assert m[name]["value"] is None and m[name]["coverage"]["status"] == "no_data", name
    # L1's deal 501 (Oct 8, 3 days after the lead) and L3's 502 (4 days) of 4 leads created in October
    assert m["opportunity_rate"]["value"] == pytest.approx(2 / 4)


def test_opportunity_rate_is_compared_at_the_same_age(activity_db):
    """October against September: September's leads are judged at the as-of moved back by the gap
    (30 days: Oct 1 23:00), when neither D2 (Oct 20) nor D4 (Oct 23) existed: 3 of 5, not the 4 of 5
    they reached by Oct 31 (decision 0117)."""
    p = summary(activity_db, "--start", "2026-10-01", "--end", "2026-10-31", "--as-of", "2026-10-31 23:00")
    assert p.returncode == 0, p.stderr
    m = json.loads(p.stdout)["metrics"]
    assert m["opportunity_rate"]["comparison"] == pytest.approx(3 / 5)
    assert m["lead_to_meeting_rate"]["comparison"] == pytest.approx(4 / 5)  # every meeting booked by Sep 20
