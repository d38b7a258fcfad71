"""Hand-built deal snapshot sequences for the pipeline waterfall, slippage and forecast golden tests
(tests/test_kpi_pipeline.py, tests/test_pipeline_page.py), in the CRMs' exact export shapes.

Period: November 2026. HubSpot exports of the "All deals" view on Oct 30 (S0), Nov 6 (S1) and
Nov 13 (S2), plus a filtered "my open deals" view on Nov 10 (F). HubSpot names carry the export
day (etl/export_time.py), read as 00:00 UTC. Salesforce: two reports whose footers say when they
were generated; the file names sort the other way round, and the later one is written first.

Deal  story                                   S0 (Oct 30)            S2 (Nov 13)
601   pushed out (twice: Nov 20 -> 28 -> Dec 15) open 10,000 Nov 20   open 10,000 Dec 15
602   pulled in                               open 5,000 Dec 10      open 5,000 Nov 25
603   amount up (probability hand-set 0.6)    open 8,000 Nov 15      open 12,000 Nov 15
604   amount down                             open 6,000 Nov 18      open 4,000 Nov 18
605   won (at 7,500 in S1)                    open 7,000 Nov 20      won 7,500 Nov 5
606   lost                                    open 3,000 Nov 22      lost 3,000 Nov 22
607   deleted (absent from S1 and S2)         open 2,000 Nov 25      (deleted)
608   new (created Nov 3)                     -                      open 9,000 Nov 29
609   re-opened                               lost 4,000 Oct 28      open 4,000 Nov 30
610   blank amount, no probability, a stage config does not list (open: unmapped)                           open (blank) Nov 10    open (blank) Nov 10
611   EUR 1,000 (1,080 at the config rate)    open 1,000 EUR Nov 12  open 1,000 EUR Nov 12
612   back-dated close date, won              open 2,500 Nov 10      won 2,500 Oct 31
701   Salesforce, pushed out                  open 20,000 Nov 20     open 20,000 Dec 20   (SF Oct 29 / Nov 12)
702   Salesforce, unchanged, no probability   open 3,000 Nov 5       open 3,000 Nov 5     (config: Qualification 0.1)
A last all-deals export on Dec 1 (S3) has 603, 604 and 608 won in November; targets.csv: November
revenue 30,000.
"""

from __future__ import annotations

import os
from pathlib import Path

HS_HEADER = ('"Record ID","Deal Name","Deal Stage","Amount","Deal currency code","Close Date","Create Date",'
             '"Deal owner","Deal probability","Forecast category","Original Traffic Source"')  # fmt: skip
SF_HEADER = ('"Opportunity Owner","Opportunity Name","Opportunity ID","Stage","Amount","Probability (%)",'
             '"Forecast Category","Close Date","Created Date"')  # fmt: skip


def _q(*cells: str) -> str:
    return ",".join(f'"{c}"' for c in cells)


def hs(deal: int, stage: str, amount: str, close: str, owner: str = "Dana Whitfield", currency: str = "USD",
       probability: str = "", category: str = "Pipeline", created: str = "2026-10-01 10:00") -> str:  # fmt: skip
    source = "Organic search" if owner == "Tom Becker" else "Paid search"  # the deal's channel
    return _q(str(deal), f"Deal {deal}", stage, amount, currency, close, created, owner, probability, category, source)


OPEN, WON, LOST = "Contract Sent", "Closed Won", "Closed Lost"

S0 = [
    hs(601, OPEN, "10000", "2026-11-20", owner="Tom Becker", probability="0.5"),
    hs(602, OPEN, "5000", "2026-12-10", probability="0.5"),
    hs(603, OPEN, "8000", "2026-11-15", probability="0.5"),
    hs(604, OPEN, "6000", "2026-11-18", probability="0.5"),
    hs(605, OPEN, "7000", "2026-11-20", probability="0.5"),
    hs(606, OPEN, "3000", "2026-11-22", owner="Tom Becker", probability="0.5"),
    hs(607, OPEN, "2000", "2026-11-25", probability="0.5"),
    hs(609, LOST, "4000", "2026-10-28", probability="0"),
    hs(610, "Verbal Agreement", "", "2026-11-10"),
    hs(611, OPEN, "1000", "2026-11-12", currency="EUR", probability="0.5"),
    hs(612, OPEN, "2500", "2026-11-10", probability="0.5"),
]
S1 = [
    hs(601, OPEN, "10000", "2026-11-28", owner="Tom Becker", probability="0.5"),
    hs(602, OPEN, "5000", "2026-12-10", probability="0.5"),
    hs(603, OPEN, "8000", "2026-11-15", probability="0.5"),
    hs(604, OPEN, "6000", "2026-11-18", probability="0.5"),
    hs(605, WON, "7500", "2026-11-05", probability="1"),
    hs(606, OPEN, "3000", "2026-11-22", owner="Tom Becker", probability="0.5"),
    hs(608, OPEN, "9000", "2026-11-29", probability="0.5", created="2026-11-03 10:00"),
    hs(609, LOST, "4000", "2026-10-28", probability="0"),
    hs(610, "Verbal Agreement", "", "2026-11-10"),
    hs(611, OPEN, "1000", "2026-11-12", currency="EUR", probability="0.5"),
    hs(612, OPEN, "2500", "2026-11-10", probability="0.5"),
]
FILTERED = [hs(603, OPEN, "11000", "2026-11-15", probability="0.5")]  # a rep's own view: 603 only
S2 = [
    hs(601, OPEN, "10000", "2026-12-15", owner="Tom Becker", probability="0.5"),
    hs(602, OPEN, "5000", "2026-11-25", probability="0.5"),
    hs(603, OPEN, "12000", "2026-11-15", probability="0.6", category="Commit"),  # hand-set probability
    hs(604, OPEN, "4000", "2026-11-18", probability="0.5"),
    hs(605, WON, "7500", "2026-11-05", probability="1"),
    hs(606, LOST, "3000", "2026-11-22", owner="Tom Becker", probability="0"),
    hs(608, OPEN, "9000", "2026-11-29", probability="0.5", created="2026-11-03 10:00"),
    hs(609, OPEN, "4000", "2026-11-30", probability="0.25"),
    hs(610, "Verbal Agreement", "", "2026-11-10"),
    hs(611, OPEN, "1000", "2026-11-12", currency="EUR", probability="0.5"),
    hs(612, WON, "2500", "2026-10-31", probability="1"),
]


S3 = [  # Dec 1, after the month: 603, 604 and 608 were won in November
    *[r for r in S2 if not r.startswith(('"603"', '"604"', '"608"'))],
    hs(603, WON, "12000", "2026-11-15", probability="1"),
    hs(604, WON, "4000", "2026-11-18", probability="1"),
    hs(608, WON, "9000", "2026-11-29", probability="1", created="2026-11-03 10:00"),
]


def sf(opp: str, amount: str, close: str, probability: str = "40") -> str:
    return _q("Sam Ortiz", f"Opp {opp}", opp, "Qualification", amount, probability, "Pipeline", close, "10/1/2026")


def _sf_report(path: Path, rows: list[str], generated: str) -> Path:
    footer = ('\n"All Opportunities"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
              f'"Confidential Information - Do Not Distribute"\n"Generated By:  Test User  {generated}"\n"Test Org"\n')  # fmt: skip
    path.write_text(SF_HEADER + "\n" + "\n".join(rows) + "\n" + footer, encoding="utf-8")
    return path


def write_snapshot_exports(folder: Path) -> list[Path]:
    """The files of the module docstring, in an order that is neither export time nor name."""
    folder.mkdir(parents=True, exist_ok=True)

    def deals(name: str, rows: list[str]) -> Path:
        p = folder / name
        p.write_text(HS_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
        return p

    # Salesforce: "all-opportunities-a" is the LATER report (Nov 12), written and loaded first
    sf_late = _sf_report(folder / "all-opportunities-a.csv",
                         [sf("006A00000000701", "20000", "12/20/2026"), sf("006A00000000702", "3000", "11/5/2026", probability="")],
                         "11/12/2026 9:00 AM")  # fmt: skip
    sf_early = _sf_report(folder / "all-opportunities-b.csv",
                          [sf("006A00000000701", "20000", "11/20/2026"), sf("006A00000000702", "3000", "11/5/2026", probability="")],
                          "10/29/2026 9:00 AM")  # fmt: skip
    targets = folder / "targets.csv"
    targets.write_text("month,metric,segment,value\n2026-11,revenue,all,30000\n", encoding="utf-8")
    files = [
        sf_late, sf_early,
        deals("hubspot-crm-exports-all-deals-2026-11-13.csv", S2),
        deals("hubspot-crm-exports-all-deals-2026-10-30.csv", S0),
        deals("hubspot-crm-exports-my-open-deals-2026-11-10.csv", FILTERED),
        deals("hubspot-crm-exports-all-deals-2026-11-06.csv", S1),
        deals("hubspot-crm-exports-all-deals-2026-12-01.csv", S3),
        targets,
    ]  # fmt: skip
    for i, f in enumerate(files):  # load order = this order (etl/loader.py found_files: mtime, then name)
        os.utime(f, (1_700_000_000 + i, 1_700_000_000 + i))
    return files
