"""Golden tests for deal snapshots, the pipeline waterfall and slippage (#25), on the hand-built
snapshot sequence of tests/pipeline_fixtures.py (its docstring tabulates every deal), loaded by the
real ETL into a real warehouse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from queries.runner import run
from tests.kpi_fixtures import rows

REPO = Path(__file__).resolve().parent.parent
NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30", "channel": None, "owner": None}
AS_OF = "2026-11-14 23:00:00"
FLOWS = ("pipeline_start", "pipeline_created", "pipeline_pulled_in", "pipeline_increased", "pipeline_decreased",
         "pipeline_pushed_out", "pipeline_lost", "pipeline_won", "pipeline_end")  # fmt: skip


@pytest.fixture(scope="module")
def snap_db(pipeline_db):
    return pipeline_db


def waterfall(db, by="total", as_of=AS_OF, **kw):
    out = run("pipeline/waterfall", db=db, **{**NOVEMBER, **kw}, as_of=as_of, by=by)
    return {r["segment"]: {k: (float(v) if k in FLOWS or k in ("reopened", "deleted") else v) for k, v in r.items()}
            for r in out.iter_rows(named=True)}  # fmt: skip


def identity(r) -> float:
    return (r["pipeline_start"] + r["pipeline_created"] + r["pipeline_pulled_in"] + r["pipeline_increased"]
            - r["pipeline_decreased"] - r["pipeline_pushed_out"] - r["pipeline_lost"] - r["pipeline_won"])  # fmt: skip


def test_every_export_is_a_snapshot_ordered_by_its_own_time(snap_db):
    # Salesforce: "-a" was written and loaded first and sorts first by name, but its footer says Nov 12
    got = rows(snap_db, "select source_system, file_name, snapshot_seq, is_full from deal_snapshots order by 1, 3")
    assert got == [
        ("hubspot", "hubspot-crm-exports-all-deals-2026-10-30.csv", 1, True),
        ("hubspot", "hubspot-crm-exports-all-deals-2026-11-06.csv", 2, True),
        ("hubspot", "hubspot-crm-exports-my-open-deals-2026-11-10.csv", 3, False),  # a filtered view
        ("hubspot", "hubspot-crm-exports-all-deals-2026-11-13.csv", 4, True),
        ("hubspot", "hubspot-crm-exports-all-deals-2026-12-01.csv", 5, True),
        ("salesforce", "all-opportunities-b.csv", 1, True),
        ("salesforce", "all-opportunities-a.csv", 2, True),
    ]


def test_deal_states_per_snapshot(snap_db):
    state = {(seq, d): (inx, st, float(a) if a is not None else None) for seq, d, inx, st, a in rows(
        snap_db, "select snapshot_seq, deal_id, in_export, status, amount from mart_deal_snapshots where source_system = 'hubspot'")}
    # 607 is gone from the full export of Nov 6: deleted from then on
    assert state[(1, "607")] == (True, "open", 2000.0) and state[(2, "607")][1] == "deleted"
    # the filtered view of Nov 10 holds 603 only: 601 is not deleted by it, it keeps its Nov 6 state
    assert state[(3, "601")] == (False, "open", 10000.0) and state[(3, "603")] == (True, "open", 11000.0)
    # unchanged rows are not staged again, yet each export holds them: 611 is in all three full exports
    assert [state[(s, "611")] for s in (1, 2, 4)] == [(True, "open", 1080.0)] * 3  # EUR 1,000 x 1.08
    assert state[(1, "610")] == (True, "open", None)  # a blank amount stays blank in the mart
    assert state[(1, "609")][1] == "lost" and state[(4, "609")][1] == "open"  # re-opened


def test_waterfall_golden_and_identity(snap_db):
    t = waterfall(snap_db)["all"]
    # start (open at d0 with close date in November): HubSpot S0 601 10,000 + 603 8,000 + 604 6,000
    # + 605 7,000 + 606 3,000 + 607 2,000 + 610 0 (blank) + 611 1,080 (EUR) + 612 2,500 = 39,580;
    # Salesforce (report of Oct 29 by its footer) 701 20,000 + 702 3,000 = 23,000
    assert t["pipeline_start"] == 62580.0
    assert t["pipeline_created"] == 13000.0 and t["reopened"] == 4000.0  # 608 new 9,000 + 609 re-opened 4,000
    assert t["pipeline_pulled_in"] == 5000.0  # 602: Dec 10 -> Nov 25
    assert t["pipeline_increased"] == 4500.0  # 603 8,000 -> 12,000; 605 7,000 -> 7,500 before it was won
    assert t["pipeline_decreased"] == 2000.0  # 604 6,000 -> 4,000
    # 601 Nov 20 -> Dec 15 (10,000); 701 Nov 20 -> Dec 20 (20,000): ordered by file name it would
    # have been pulled in instead
    assert t["pipeline_pushed_out"] == 30000.0
    assert t["pipeline_lost"] == 5000.0 and t["deleted"] == 2000.0  # 606 lost 3,000; 607 deleted at d0's 2,000
    assert t["pipeline_won"] == 10000.0  # 605 7,500; 612 2,500 (won with a close date back-dated to Oct 31)
    # end: 602 5,000 + 603 12,000 + 604 4,000 + 608 9,000 + 609 4,000 + 610 0 + 611 1,080 + 702 3,000
    assert t["pipeline_end"] == 38080.0
    assert identity(t) == t["pipeline_end"]


def test_waterfall_per_owner_adds_up(snap_db):
    by = waterfall(snap_db, by="owner")
    assert set(by) == {"Dana Whitfield", "Tom Becker", "Sam Ortiz"}
    for r in by.values():
        assert identity(r) == pytest.approx(r["pipeline_end"])
    tom = by["Tom Becker"]  # 601 pushed out, 606 lost
    assert (tom["pipeline_start"], tom["pipeline_pushed_out"], tom["pipeline_lost"], tom["pipeline_end"]) == (13000.0, 10000.0, 3000.0, 0.0)
    total = waterfall(snap_db)["all"]
    for k in FLOWS:
        assert sum(r[k] for r in by.values()) == pytest.approx(total[k])
    only = waterfall(snap_db, owner=["Tom Becker"])["all"]  # the sidebar's rep filter
    assert only["pipeline_start"] == 13000.0


def test_the_as_of_picks_the_snapshot(snap_db):
    # as of Nov 7 noon: d1 = HubSpot's Nov 6 export; Salesforce's latest by then is Oct 29's (d0 = d1)
    t = waterfall(snap_db, as_of="2026-11-07 12:00:00")["all"]
    # HubSpot: 608 created 9,000; 605 +500 then won 7,500; 607 deleted 2,000; 601 moved to Nov 28, still in
    assert (t["pipeline_created"], t["pipeline_increased"], t["pipeline_won"], t["pipeline_lost"]) == (9000.0, 500.0, 7500.0, 2000.0)
    assert t["pipeline_pushed_out"] == 0.0 and t["pipeline_end"] == 62580.0 == identity(t)


def test_slippage_counts_pushes_between_consecutive_snapshots(snap_db):
    out = run("pipeline/slippage", db=snap_db, **NOVEMBER, as_of=AS_OF)
    got = {r["deal_id"]: (r["pushes"], int(r["days_pushed"]), r["slipping"]) for r in out.iter_rows(named=True)}
    # 601: Nov 20 -> Nov 28 (8 days, Nov 6 export) -> Dec 15 (17 days, Nov 13): twice, 25 days;
    # 701 once (30 days); 602 was pulled in (no push); 612's back-dated close date is earlier (no push)
    assert got == {"601": (2, 25, True), "006A00000000701": (1, 30, False)}
    assert waterfall(snap_db)["all"]["slipping_deals"] == 1
    assert waterfall(snap_db, by="owner")["Tom Becker"]["slipping_deals"] == 1


def test_summary_reports_the_waterfall_by_name(snap_db):
    def summary(as_of: str) -> dict:
        p = subprocess.run([sys.executable, "-m", "queries", "summary", "--db", str(snap_db), "--start", "2026-11-01",
                            "--end", "2026-11-30", "--as-of", as_of, "--format", "json"],
                           cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)["metrics"]

    m = summary("2026-11-14 23:00")
    assert {k: m[k]["value"] for k in FLOWS} == {
        "pipeline_start": 62580.0, "pipeline_created": 13000.0, "pipeline_pulled_in": 5000.0,
        "pipeline_increased": 4500.0, "pipeline_decreased": 2000.0, "pipeline_pushed_out": 30000.0,
        "pipeline_lost": 5000.0, "pipeline_won": 10000.0, "pipeline_end": 38080.0,
    }  # fmt: skip
    assert m["slipping_deals"]["value"] == 1
    assert m["weighted_pipeline"]["value"] == pytest.approx(18040.0)
    assert m["projected_revenue"]["value"] == pytest.approx(25540.0)
    assert m["projected_revenue_stage_rates"]["value"] == pytest.approx(25040.0)
    assert m["forecast_accuracy"]["value"] is None  # November has not closed by Nov 14
    assert summary("2026-12-02 23:00")["forecast_accuracy"]["value"] == pytest.approx(1 - 4410 / 32500)
    earlier = summary("2026-11-07 12:00")  # --as-of picks the snapshot: d1 is the Nov 6 export
    assert earlier["pipeline_created"]["value"] == 9000.0 and earlier["pipeline_end"]["value"] == 62580.0


def forecast(db, by="total", as_of=AS_OF, **kw):
    out = run("pipeline/forecast", db=db, **{**NOVEMBER, **kw}, as_of=as_of, by=by)
    return {r["segment"]: r for r in out.iter_rows(named=True)}


def test_weighted_pipeline_and_projections(snap_db):
    f = forecast(snap_db)["all"]
    # d1: HubSpot Nov 13, Salesforce Nov 12. Won with a close date in November: 605 7,500 (612 was
    # back-dated to October, so it is not November's)
    assert float(f["won_so_far"]) == 7500.0
    # open closing in November x the export's probability: 602 5,000 x .5 + 603 12,000 x .6 (hand-set)
    # + 604 4,000 x .5 + 608 9,000 x .5 + 609 4,000 x .25 + 610 blank (no probability, a stage with none
    # in config: unweighted) + 611 1,080 x .5 + 702 3,000 x .1 (no probability exported: config's for
    # Qualification) = 2,500 + 7,200 + 2,000 + 4,500 + 1,000 + 540 + 300 = 18,040
    assert f["weighted_pipeline"] == pytest.approx(18040.0) and f["unweighted_deals"] == 1
    assert f["projected_revenue"] == pytest.approx(7500.0 + 18040.0)
    # stage rates over the 365 days to d1: HubSpot "Contract Sent" deals closed by d1: 605 won, 606 lost,
    # 607 deleted, 612 won -> 1/2; Salesforce has none closed -> 0. HubSpot open in November
    # 5,000 + 12,000 + 4,000 + 9,000 + 4,000 + 0 + 1,080 = 35,080 x .5 = 17,540
    assert f["projected_revenue_stage_rates"] == pytest.approx(7500.0 + 17540.0)
    assert float(f["commit"]) == 7500.0 + 12000.0  # 603 is in forecast category Commit
    assert f["revenue_target"] == pytest.approx(30000.0)
    assert f["projection_pace"] == pytest.approx(25540.0 / 30000.0)


def test_forecast_accuracy_judges_revlines_frozen_projections(snap_db):
    out = run("pipeline/forecast_accuracy", db=snap_db, start_date="2026-11-01", end_date="2026-11-30",
              as_of="2026-12-02 23:00:00")  # fmt: skip
    acc = {r["weeks_out"]: (float(r["projected"]), float(r["actual"]), r["forecast_accuracy"]) for r in out.iter_rows(named=True)}
    # actual: won with a close date in November in the newest export (Dec 1): 605 7,500 + 603 12,000
    # + 604 4,000 + 608 9,000 = 32,500. Headline (None): the projection frozen at the last snapshot on or
    # before Nov 1: HubSpot Oct 30, open x .5: 10,000 + 8,000 + 6,000 + 7,000 + 3,000 + 2,000 + 1,080
    # + 2,500 = 39,580 x .5 = 19,790 (610: 0); Salesforce Oct 29: 20,000 x .4 + 3,000 x .1 = 8,300 -> 28,090
    assert acc[None] == (28090.0, 32500.0, pytest.approx(1 - 4410 / 32500))
    # 2 weeks out: HubSpot Nov 13 (7,500 won + 17,740) and Salesforce Nov 12 (300) = 25,540
    assert acc[2] == (25540.0, 32500.0, pytest.approx(1 - 6960 / 32500))
    # a month that has not closed by the as-of time is not judged
    early = run("pipeline/forecast_accuracy", db=snap_db, start_date="2026-11-01", end_date="2026-11-30",
                as_of="2026-11-20 12:00:00")  # fmt: skip
    assert early.height == 0


def test_each_bar_drills_to_the_deals_behind_it(snap_db):
    from queries.drill import parse

    def behind(move: str) -> list[str]:
        args = parse({"records": "deals", "of": "pipeline/waterfall", "move": move}).args()
        out = run("records/deals", db=snap_db, **NOVEMBER, as_of=AS_OF, platform=None, campaign=None, **args)
        return sorted(out["deal_id"].to_list())

    assert behind("pushed_out") == ["006A00000000701", "601"]
    assert behind("created") == ["608", "609"] and behind("pulled_in") == ["602"]
    assert behind("lost") == ["606", "607"] and behind("won") == ["605", "612"]
    assert behind("increased") == ["603", "605"] and behind("decreased") == ["604"]
    # a value that is not a bar falls back to no bar (the closed deals of the range), with a note
    assert parse({"records": "deals", "move": "x' or 1=1"}).values["move"] is None


def test_no_export_by_the_as_of_time_is_no_waterfall(snap_db):
    # as of Oct 28 no export of either CRM exists yet: nothing, not a start with no end
    assert waterfall(snap_db, as_of="2026-10-28 12:00:00") == {}
    assert run("pipeline/forecast", db=snap_db, **NOVEMBER, as_of="2026-10-28 12:00:00", by="total").height == 0
