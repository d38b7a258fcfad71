"""Golden test: HubSpot's first sales touch comes from the earliest human activity when activity
exports are loaded, the contact's `First outreach date` staying the fallback (issue 27 point 2;
docs/decisions/0132-hubspot-first-touch-from-human-activities.md). Worked by hand below.

Tuesday 3 March 2026, America/New_York (EST, UTC-5): local 09:00 = 14:00 UTC. Every MQL at 09:00.
  601  property 12:00. A workflow task created 09:01 (a reminder, no touch), an inbound call 09:05
       that did not connect (no touch), an outbound call 09:12 with no answer (an attempt: the touch).
       -> 09:12 from activities (the property's 12:00 loses): 12 minutes.
  602  property 10:30, no activity -> 10:30 from the contact property: 90 minutes.
  603  a call 09:30 with status Canceled (never dialled: no touch); a meeting booked 09:20 for 11:00,
       held, with 603 and 604 -> 11:00 from activities: 120 minutes. 604 (no MQL) is touched at 11:00 too.
  605  a meeting at 10:00, no show (a meeting that did not take place touched no one) -> untouched.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from queries.runner import run

CONTACTS = ["Record ID", "Email", "Contact owner", "Create Date", "Lifecycle Stage",
            "Became a Marketing Qualified Lead Date", "First outreach date"]  # fmt: skip
CALLS = ["Record ID", "Activity date", "Call outcome", "Call direction", "Call status", "Call duration",
         "Activity assigned to", "Create Date", "Associated Contact IDs"]  # fmt: skip
MEETINGS = ["Record ID", "Meeting start time", "Meeting outcome", "Activity assigned to", "Create Date",
            "Associated Contact IDs"]  # fmt: skip
TASKS = ["Record ID", "Task Status", "Task Type", "Due date", "Assigned to", "Create Date", "Associated Contact IDs"]
NO_ANSWER = "73a0d17f-1163-4015-bdd5-ec830791da20"  # HubSpot's default "No answer" outcome
PARAMS = dict(
    start_date="2026-03-01", end_date="2026-03-31", channel=None, owner=None, platform=None, campaign=None,
    sla_hours=4.0, clock_start="mql", biz_tz="America/New_York", biz_days=[1, 2, 3, 4, 5], biz_start_min=540,
    biz_end_min=1020, owner_tz_names=[""], owner_tz_zones=["UTC"],
)  # fmt: skip


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def exports(folder: Path, with_activities: bool = True) -> list[Path]:
    day = "2026-03-03 "
    contacts = [
        ["601", "h1@example.com", "Dana Whitfield", day + "08:00", "Marketing Qualified Lead", day + "09:00", day + "12:00"],
        ["602", "h2@example.com", "Dana Whitfield", day + "08:00", "Marketing Qualified Lead", day + "09:00", day + "10:30"],
        ["603", "h3@example.com", "Tom Becker", day + "08:00", "Marketing Qualified Lead", day + "09:00", ""],
        ["604", "h4@example.com", "Tom Becker", day + "08:00", "Lead", "", ""],
        ["605", "h5@example.com", "Tom Becker", day + "08:00", "Marketing Qualified Lead", day + "09:00", ""],
    ]  # fmt: skip
    files = [write(folder / "hubspot-crm-exports-all-contacts-2026-03-04.csv", CONTACTS, contacts)]
    if not with_activities:
        return files
    calls = [
        ["701", day + "09:05", "No answer", "Inbound", "Completed", "", "Dana Whitfield", day + "09:05", "601"],
        ["702", day + "09:12", NO_ANSWER, "Outbound", "Completed", "0", "Dana Whitfield", day + "09:12", "601"],
        ["703", day + "09:30", "", "Outbound", "Canceled", "", "Tom Becker", day + "09:30", "603"],
    ]  # fmt: skip
    meetings = [
        ["801", day + "11:00", "Completed", "Tom Becker", day + "09:20", "603;604"],
        ["802", day + "10:00", "No show", "Tom Becker", day + "08:30", "605"],
    ]
    tasks = [["901", "Not started", "Call", day + "10:00", "Dana Whitfield", day + "09:01", "601"]]
    return [*files, write(folder / "hubspot-crm-exports-all-calls-2026-03-04.csv", CALLS, calls),
            write(folder / "hubspot-crm-exports-all-meetings-2026-03-04.csv", MEETINGS, meetings),
            write(folder / "hubspot-crm-exports-all-tasks-2026-03-04.csv", TASKS, tasks)]  # fmt: skip


def utc(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-03 {hhmm}")


def test_first_touch_from_activities_with_the_property_as_fallback(load_files, tmp_path):
    w = load_files(*exports(tmp_path))
    assert w.q("select lead_id, first_touch_at, first_touch_source from leads order by lead_id") == [
        ("601", utc("14:12"), "activities"),  # 09:12 EST: the outbound attempt, not the 12:00 property
        ("602", utc("15:30"), "contact property"),  # no activity: First outreach date 10:30 EST
        ("603", utc("16:00"), "activities"),  # the held meeting at 11:00 EST
        ("604", utc("16:00"), "activities"),  # its second contact
        ("605", None, None),  # a no-show touches no one
    ]
    # the handoff's first touch at or after the MQL (09:00 EST = 14:00 UTC)
    assert w.q("select lead_id, after_mql_at from mart_first_touch order by lead_id") == [
        ("601", utc("14:12")), ("603", utc("16:00"))]  # fmt: skip
    out = run("handoff/mql_response", db=w.db, clock="calendar", as_of="2026-03-10 00:00:00", **PARAMS)
    minutes = {r["lead_id"]: r["response_minutes"] for r in out.iter_rows(named=True)}
    # 601: 09:00 -> 09:12 = 12; 602: 09:00 -> 10:30 = 90; 603: 09:00 -> 11:00 = 120; 605 never
    assert minutes == {"601": 12.0, "602": 90.0, "603": 120.0, "605": None}


def test_without_activity_exports_the_contact_property_decides(load_files, tmp_path):
    """The same contacts alone: every touch is the property (601 at 12:00 = 180 minutes)."""
    w = load_files(*exports(tmp_path, with_activities=False))
    assert w.q("select lead_id, first_touch_source from leads where first_touch_at is not null order by 1") == [
        ("601", "contact property"), ("602", "contact property")]  # fmt: skip
    out = run("handoff/mql_response", db=w.db, clock="calendar", as_of="2026-03-10 00:00:00", **PARAMS)
    minutes = {r["lead_id"]: r["response_minutes"] for r in out.iter_rows(named=True)}
    assert minutes == {"601": 180.0, "602": 90.0, "603": None, "605": None}
