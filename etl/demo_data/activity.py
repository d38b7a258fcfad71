"""The demo's sales activity and lead scores (issue 27): HubSpot Meetings and Calls exports, the
`HubSpot Score` of each contact and the `Rating` of each Salesforce lead.

The story: the score predicts conversion (Hot leads become SQLs far more often than Cold ones), but
Hot leads wait longest for a first touch: the score also rises with signals that come with slow
follow-up (Tom Becker's enterprise accounts, MQLs that arrive after hours), so the Handoff page's
routing check finds the best band answered last. Calls and meetings follow each HubSpot lead's own
first touch and extra touches (etl/demo_data/world.py simulate), so the first touch read from the
activities is the contact's `First outreach date`: the Handoff numbers stay the demo's.

No draw from the demo's random stream (that would change every other number): the noise is a hash
of the lead's number, and the activity writer has its own generator.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.demo_data.exports import CsvOut, hs_time
from etl.demo_data.world import REPS, SLOW_REP, Lead

HUBSPOT_MEETINGS = (
    "Record ID", "Meeting name", "Activity date", "Meeting start time", "Meeting end time", "Meeting outcome",
    "Meeting source", "Activity assigned to", "Create Date", "Associated Contact IDs", "Associated Deal IDs",
)  # fmt: skip
HUBSPOT_CALLS = (
    "Record ID", "Call Title", "Activity date", "Call outcome", "Call direction", "Call status", "Call duration",
    "Activity assigned to", "Create Date", "Associated Contact IDs",
)  # fmt: skip
SLOW_HOURS = 4  # a first touch later than this after the MQL (or none) is slow follow-up
CALL_OUTCOMES = (("Connected", 0.45), ("No answer", 0.8), ("Left voicemail", 1.0))  # cumulative shares
MEETING_OUTCOMES = (("Completed", 0.76), ("No show", 0.88), ("Canceled", 0.95), ("Rescheduled", 1.0))


def _noise(n: int) -> float:
    """A deterministic, roughly normal draw (mean 0, sd ~1) from the lead's number."""
    u = [((n * k * 2654435761) >> 7) % 10007 / 10007 for k in (1, 3, 7)]
    return (sum(u) - 1.5) * 2


def score(lead: Lead) -> int:
    """0-100: conversion signals (MQL, SQL, opportunity) and, the story's flaw, slow follow-up."""
    raw = 14 + 12 * (lead.mql is not None) + 25 * (lead.sql is not None) + 8 * (lead.opp is not None) + 30 * _slow(lead)
    return max(0, min(100, round(raw + 6 * _noise(lead.n))))


def _slow(lead: Lead) -> bool:
    """An MQL that waits on the working clock: never touched, Tom Becker's, arrived at a weekend, or
    arrived in working hours and touched more than SLOW_HOURS later (an evening MQL answered the next
    morning waits minutes of working time, not hours)."""
    mql, touch = lead.mql, lead.touch
    if mql is None:
        return False
    working = mql.weekday() < 5 and 9 <= mql.hour < 17
    return (touch is None or lead.owner == SLOW_REP or mql.weekday() >= 5
            or (working and touch - mql > timedelta(hours=SLOW_HOURS)))  # fmt: skip


def wall_clock(t: datetime) -> datetime:
    """`t` as a New York clock can show it: a time in the spring-forward gap (02:43 on Mar 8, 2026)
    moves on by the hour the clocks skip, as the instant it stands for reads after the change."""
    zone = ZoneInfo("America/New_York")
    return datetime.fromtimestamp(t.replace(tzinfo=zone).timestamp(), zone).replace(tzinfo=None)


def rating(lead: Lead) -> str:
    """Salesforce's Rating from the same score (config/revline.toml's default bands: Hot >= 75, Warm >= 50)."""
    s = score(lead)
    return "Hot" if s >= 75 else "Warm" if s >= 50 else "Cold"


class ActivityWriter:
    """HubSpot meetings and calls of the demo's HubSpot leads, up to the export moment."""

    def __init__(self, out: Path, export_at: datetime) -> None:
        self.at = export_at
        self.rng = random.Random(27)
        day = export_at.date().isoformat()
        self.meetings = CsvOut(out / "hubspot" / f"hubspot-crm-exports-all-meetings-{day}.csv", HUBSPOT_MEETINGS,
                               quote_all=True, crlf=True)  # fmt: skip
        self.calls = CsvOut(out / "hubspot" / f"hubspot-crm-exports-all-calls-{day}.csv", HUBSPOT_CALLS,
                            quote_all=True, crlf=True)  # fmt: skip
        self.n = 0
        self.internal_weeks: set[datetime] = set()

    def _id(self) -> str:
        self.n += 1
        return str(70000000 + self.n)

    def add(self, lead: Lead, contact_id: str, deal_id: str) -> None:
        """The lead's calls (its first touch and extra call touches) and meetings (its extra meeting
        touches, and a discovery meeting before it became an SQL)."""
        if lead.touch is None or lead.touch > self.at:
            return
        self._call(lead, lead.touch, contact_id)
        for t, kind in lead.extra_touches:
            if t > self.at:
                continue
            if kind == "Call":
                self._call(lead, t, contact_id)
            elif kind == "Meeting":
                self._meeting(lead, t - timedelta(days=2), t, contact_id, deal_id if lead.opp and lead.opp <= t else "")
        if lead.sql is not None:  # the discovery call that qualified it: booked at the first touch, held
            self._meeting(lead, lead.touch + timedelta(minutes=5), lead.sql - timedelta(hours=1), contact_id, "",
                          held=True)  # fmt: skip
        self._internal(lead.touch)

    def _call(self, lead: Lead, t: datetime, contact_id: str) -> None:
        r = self.rng.random()
        outcome = next(o for o, share in CALL_OUTCOMES if r <= share)
        seconds = self.rng.randrange(120, 1500) if outcome == "Connected" else self.rng.randrange(5, 40)
        duration = (f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}" if self.n % 2
                    else str(seconds * 1000))  # both of HubSpot's formats: H:MM:SS and milliseconds  # fmt: skip
        self.calls.row([self._id(), f"Call with {lead.first} {lead.last}", hs_time(t), outcome, "Outbound",
                        "Completed", duration, lead.owner, hs_time(t), contact_id])  # fmt: skip

    def _meeting(self, lead: Lead, booked: datetime, start: datetime, contact_id: str, deal_id: str,
                 held: bool = False) -> None:  # fmt: skip
        booked = min(booked, start)
        if booked > self.at:
            return
        r = self.rng.random()
        outcome = ("Scheduled" if start > self.at else "Completed" if held
                   else next(o for o, share in MEETING_OUTCOMES if r <= share))  # fmt: skip
        source = "Meetings link" if self.rng.random() < 0.6 else "CRM UI"
        self._meeting_row(f"{lead.company} intro", booked, start, outcome, source, lead.owner, contact_id, deal_id)
        if outcome == "Rescheduled":  # the replacement, booked the next day for a week later
            again = start + timedelta(days=7)
            self._meeting_row(f"{lead.company} intro (rescheduled)", booked + timedelta(days=1), again,
                              "Scheduled" if again > self.at else "Completed", source, lead.owner, contact_id,
                              deal_id)  # fmt: skip

    def _meeting_row(self, name: str, booked: datetime, start: datetime, outcome: str, source: str, owner: str,
                     contacts: str, deals: str) -> None:  # fmt: skip
        start = wall_clock(start)  # a start the clocks skip (spring forward) is one HubSpot never shows
        self.meetings.row([self._id(), name, hs_time(start), hs_time(start), hs_time(start + timedelta(minutes=30)),
                           outcome, source, owner, hs_time(booked), contacts, deals])  # fmt: skip

    def _internal(self, t: datetime) -> None:
        """A weekly pipeline review per rep: internal (no contact), never a sales meeting."""
        monday = (t - timedelta(days=t.weekday())).replace(hour=9, minute=0, second=0, microsecond=0)
        if monday in self.internal_weeks or monday > self.at:
            return
        self.internal_weeks.add(monday)
        for rep in REPS:
            self._meeting_row("Pipeline review", monday - timedelta(days=3), monday, "Completed", "CRM UI", rep, "", "")

    def close(self) -> list[tuple[Path, datetime]]:
        return [(self.meetings.close(), self.at), (self.calls.close(), self.at)]
