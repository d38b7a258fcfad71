"""Weekly HubSpot deals exports of the demo: the pipeline's history, so the Sales page's waterfall,
slippage and projections have snapshots to read (docs/decisions/0133-deal-snapshots-are-exports-deletions-only-from-full-ones.md).

Every Monday of the 20 weeks before the main export, an "All deals" export as HubSpot writes it,
each deal cut at that day: open deals climb the stages as time passes, at the stage's probability;
some start smaller and grow, some start larger and shrink; a deal that will be lost stalls in the
first stage. The story: Marcus Oyelaran's deals keep
slipping (his close date is always ten days out until the deal really closes), while the other
reps' dates mostly hold, so the weighted projection calls their months well.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from etl.demo_data.exports import HUBSPOT_DEALS, CsvOut, hs_time
from etl.demo_data.world import Lead

WEEKS = 20
SLIPPING_REP = "Marcus Oyelaran"
STAGES = (("Appointment Scheduled", 0.2), ("Qualified To Buy", 0.4), ("Presentation Scheduled", 0.6),
          ("Decision Maker Bought-In", 0.8), ("Contract Sent", 0.9))  # fmt: skip
HEADER = (*HUBSPOT_DEALS, "Deal probability")


def weekly_deal_exports(out: Path, leads: list[Lead], end: datetime) -> list[tuple[Path, datetime]]:
    """The weekly exports (path, export time), oldest first; `leads` are the HubSpot leads with a deal."""
    last_monday = (end - timedelta(days=end.weekday() or 7)).date()
    written = []
    for k in range(WEEKS, 0, -1):
        day = last_monday - timedelta(weeks=k - 1)
        at = datetime.combine(day, datetime.min.time())
        path = out / "hubspot" / "history" / f"hubspot-crm-exports-all-deals-{day.isoformat()}.csv"
        csv = CsvOut(path, HEADER, quote_all=True, crlf=True)
        for lead in leads:
            if lead.opp is not None and lead.opp <= at:
                csv.row(_row(lead, at, day))
        written.append((csv.close(), at))
    return written


def _row(lead: Lead, at: datetime, day: date) -> list:
    closed = lead.closed is not None and lead.closed <= at
    amount = lead.amount or 0.0
    if not closed and at < lead.opp + timedelta(days=21):  # first weeks: a first guess at the amount
        amount *= 0.8 if lead.n % 3 == 0 else 1.2 if lead.n % 7 == 0 else 1.0
    if closed:
        stage, probability = ("Closed Won", 1.0) if lead.won else ("Closed Lost", 0.0)
        close = lead.closed.date()
    else:
        elapsed = (at - lead.opp) / (lead.closed - lead.opp)
        # a deal that will be won climbs the stages; one that will be lost stalls in the first
        stage, probability = STAGES[min(len(STAGES) - 1, int(elapsed * len(STAGES))) if lead.won else 0]
        close = _expected(lead, day)
    forecast = ("Closed won" if lead.won else "Omitted") if closed else ("Commit" if probability >= 0.8 else "Pipeline")
    return [str(90000000 + lead.n), f"{lead.company} - New Business", stage, "Sales Pipeline",
            "" if lead.n % 53 == 0 else f"{amount:.0f}", "USD", close.isoformat(), hs_time(lead.opp), lead.owner,
            "true" if closed and lead.won else "false", forecast, str(51234000 + lead.n), lead.company,
            f"{probability:g}"]  # fmt: skip


def _expected(lead: Lead, day: date) -> date:
    """The close date an open deal shows on `day`: the slipping rep's is always ten days out; a fifth of
    the others' starts two weeks early and is pushed once, three weeks before the real date."""
    real = lead.closed.date()
    if lead.owner == SLIPPING_REP:
        return min(real, day + timedelta(days=10))
    if lead.n % 5 == 0 and day < real - timedelta(days=21):
        return real - timedelta(days=14)
    return real
