"""Golden tests for per-rep quotas on the October fixture (tests/kpi_fixtures.py) plus rep targets.

Deals: 501 won 10,000 (Dana, closed Oct 20); 502 lost (Tom); 503 open (Dana); 504 won 20,000 (Tom,
closed Oct 15). Targets: the team's revenue 40,000 for October (targets.csv) and, in a second file
written by a planner, Dana's October revenue 20,000 spelled " dana  WHITFIELD ", 15,000 and 5,000 for
a "Jon Smith" the CRM does not know, 2 MQLs for "Paid Social" (the channel paid_social), and
Tom's November revenue 12,000 spelled "TOM BECKER".
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from queries.runner import run
from queries.summary import summarize
from tests.kpi_fixtures import build, rows, write_revenue_exports

DANA, TOM = "Dana Whitfield", "Tom Becker"
NO_FILTERS = {"channel": None, "owner": None, "platform": None, "campaign": None}


@pytest.fixture(scope="module")
def quota_db(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("quotas")
    files = write_revenue_exports(folder / "exports")
    reps = folder / "exports" / "rep-targets.csv"
    reps.write_text("month,metric,segment,value\n2026-10,revenue, dana  WHITFIELD ,20000\n"
                    "2026-10,revenue,Jon Smith,15000\n2026-11,revenue,Jon Smith,5000\n"
                    "2026-10,mqls,Paid Social,2\n2026-11,revenue,TOM BECKER,12000\n", encoding="utf-8")  # fmt: skip
    return build(folder, [*files, reps])


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    yield mp
    mp.undo()


def perf(db, by: str, start: str = "2026-10-01", end: str = "2026-10-31", as_of: str = "2026-10-20 23:59:59",
         **filters) -> dict[str, dict]:  # fmt: skip
    out = run("sales/performance", db=db, start_date=start, end_date=end, as_of=as_of, by=by,
              **{**NO_FILTERS, **filters})  # fmt: skip
    return {r["segment"]: r for r in out.iter_rows(named=True)}


def test_segments_take_the_crm_spelling_and_say_what_they_match(quota_db):
    """Case, spaces and `_` do not matter; a segment matching nothing keeps its text and no kind."""
    assert rows(quota_db, "select segment, metric, segment_kind from targets order by segment, month, metric") == [
        ("Dana Whitfield", "revenue", "owner"), ("Jon Smith", "revenue", None), ("Jon Smith", "revenue", None),
        ("Tom Becker", "revenue", "owner"),
        ("all", "forecast", "all"), ("all", "mqls", "all"), ("all", "new_pipeline", "all"), ("all", "revenue", "all"),
        ("paid_social", "mqls", "channel"),
    ]  # fmt: skip


def test_unmatched_targets_are_listed(quota_db):
    out = run("data/unmatched_targets", db=quota_db).rows()
    assert out == [("Jon Smith", "revenue", date(2026, 10, 1), date(2026, 11, 1))]


def test_per_rep_quota_attainment_and_pace(quota_db):
    r = perf(quota_db, "owner")
    dana, tom = r[DANA], r[TOM]
    # as of Oct 20 (end of day): 20 of October's 31 days have passed
    assert dana["elapsed_share"] == pytest.approx(20 / 31)
    assert dana["quota"] == pytest.approx(20000.0)
    assert dana["quota_attainment"] == pytest.approx(0.5)  # 10,000 won / 20,000 quota
    assert dana["quota_pace"] == pytest.approx(10000 / (20000 * 20 / 31))  # = 0.775: behind pace
    assert dana["attainment_target"] == 1.0
    # Tom has no target: no quota, attainment or pace (never 0 %)
    assert (tom["quota"], tom["quota_attainment"], tom["quota_pace"], tom["attainment_target"]) == (None,) * 4
    assert "Jon Smith" not in r and "paid_social" not in r  # an unknown name and a channel are no reps


def test_part_of_the_month_pro_rata(quota_db):
    """Oct 16-31 as of Oct 25: the quota is 16/31 of October's; 10 of the 16 days have passed."""
    dana = perf(quota_db, "owner", start="2026-10-16", as_of="2026-10-25 23:59:59")[DANA]
    quota = 20000 * 16 / 31  # 10,322.58
    assert dana["quota"] == pytest.approx(quota)
    assert dana["quota_attainment"] == pytest.approx(10000 / quota)  # 0.96875
    assert dana["quota_pace"] == pytest.approx(10000 / (quota * 10 / 16))  # 1.55: ahead of pace


def test_team_row_of_one_rep_is_that_reps_row(quota_db):
    team = perf(quota_db, "total")["all"]
    assert team["quota"] == pytest.approx(40000.0) and team["quota_attainment"] == pytest.approx(0.75)
    assert team["quota_pace"] == pytest.approx(30000 / (40000 * 20 / 31))  # 1.1625
    one = perf(quota_db, "total", owner=DANA)["all"]
    rep = perf(quota_db, "owner", owner=DANA)[DANA]
    for key in ("quota", "quota_attainment", "quota_pace", "won_amount"):
        assert one[key] == pytest.approx(rep[key]), key
    assert perf(quota_db, "total", owner=TOM)["all"]["quota"] is None  # Tom has no target


def test_no_quota_under_a_channel_filter(quota_db):
    """Quotas are not set per channel: paid-social wins over the whole quota would be a wrong number."""
    r = perf(quota_db, "owner", channel="paid_social")
    assert r[DANA]["won_amount"] == 10000 and r[DANA]["quota"] is None and r[DANA]["quota_attainment"] is None


def test_a_rep_with_a_quota_and_no_deals_has_a_row(quota_db):
    """November: Tom closed, created and holds nothing, but has a quota: his row shows 0 %, not
    nothing. Dana (her open deal 503) has no November target: no quota, not 0."""
    r = perf(quota_db, "owner", start="2026-11-01", end="2026-11-30", as_of="2026-11-15 23:59:59")
    tom = r[TOM]
    assert (tom["won"], tom["won_amount"], tom["quota"]) == (0, 0, pytest.approx(12000.0))
    assert tom["quota_attainment"] == 0.0 and tom["quota_pace"] == 0.0  # 0 / (12,000 x 15/30)
    assert r[DANA]["quota"] is None and r[DANA]["open_deals"] == 1


def test_tile_filtered_by_one_rep_is_that_reps_row(quota_db):
    """One number everywhere: the Quota attainment tile (the summary) for Dana = her table row."""
    out = summarize(date(2026, 10, 1), date(2026, 10, 31), as_of=datetime(2026, 10, 20, 23, 59, 59),
                    filters={"owner": DANA}, db=quota_db)["metrics"]  # fmt: skip
    rep = perf(quota_db, "owner")[DANA]
    assert out["quota_attainment"]["value"] == pytest.approx(rep["quota_attainment"])  # 0.5
    assert out["quota_attainment"]["pace"] == pytest.approx(rep["quota_pace"])  # 0.775
    assert out["quota_attainment"]["target"] == 1.0
    assert out["revenue"]["target"] == pytest.approx(20000.0)  # the headline reads the same rep target
    team = summarize(date(2026, 10, 1), date(2026, 10, 31), as_of=datetime(2026, 10, 20, 23, 59, 59),
                     db=quota_db)["metrics"]  # fmt: skip
    assert team["quota_attainment"]["value"] == pytest.approx(0.75)
    assert team["quota_attainment"]["pace"] == pytest.approx(team["revenue"]["pace"])  # the same pace rule


# --- the Sales page (AppTest from app.py) ---

NOVEMBER = {"range": "custom", "start": "2026-11-01", "end": "2026-11-30"}


def test_sales_page_shows_attainment_per_rep_on_the_demo(demo_warehouse, app):
    """The demo has a quota per rep: the chart draws every rep with one, best first, the 100 % line
    and the pace line at the share of November passed when the data ends (Nov 22: 22/30 = 73 %); the
    quota table matches sales/performance; the per-rep pace is won / (quota x 22/30)."""
    from tests.test_pages import visit

    _e, db, _r = demo_warehouse
    at = visit(app(db, **NOVEMBER), "sales")
    rows = perf(db, "owner", start="2026-11-01", end="2026-11-30", as_of="2026-11-22 23:59:59")
    with_quota = {k: v for k, v in rows.items() if v["quota"] is not None}
    assert len(with_quota) == 6  # every demo rep has a November quota
    fig = next(c for c in at.get("plotly_chart") if "Quota attainment per rep" in c.proto.spec)
    spec = __import__("json").loads(fig.proto.spec)
    order = spec["layout"]["yaxis"]["categoryarray"]
    assert order == sorted(with_quota, key=lambda r: -with_quota[r]["quota_attainment"])  # best first
    lines = {round(s["x0"], 4) for s in spec["layout"]["shapes"]}
    assert lines == {1.0, round(22 / 30, 4)}  # quota and expected by now
    assert "Expected by now 73%" in fig.proto.spec and spec["layout"]["xaxis"]["tickformat"] == ".0%"
    table = next(d for d in at.dataframe if "quota_pace" in d.value.columns).value
    for r in table.itertuples():
        rep = with_quota[r.rep]
        assert r.quota_attainment == pytest.approx(rep["quota_attainment"])
        assert r.quota_pace == pytest.approx(float(rep["won_amount"]) / (rep["quota"] * 22 / 30))
    assert list(table["quota_attainment"]) == sorted(table["quota_attainment"], reverse=True)
    assert not [w for w in at.warning if "match no owner" in w.value]  # the demo's targets all match


def test_reps_without_quota_and_unmatched_targets_are_said(quota_db, app):
    """October on the golden fixture: Dana drawn, Tom (no quota) named in a caption, not drawn as 0 %;
    'Jon Smith' named in a warning."""
    from tests.test_pages import captions, visit

    at = visit(app(quota_db, range="custom", start="2026-10-01", end="2026-10-31"), "sales")
    fig = next(c for c in at.get("plotly_chart") if "Quota attainment per rep" in c.proto.spec)
    assert __import__("json").loads(fig.proto.spec)["layout"]["yaxis"]["categoryarray"] == [DANA]
    assert "No quota in targets.csv for Tom Becker: not drawn." in captions(at)
    warnings = [w.value for w in at.warning]
    assert any("Targets for 'Jon Smith' (revenue, Oct 2026 to Nov 2026) match no owner" in w for w in warnings)
    assert any("not split by" in c.lower() for c in captions(at)) is False
    at = visit(app(quota_db, range="custom", start="2026-10-01", end="2026-10-31",
                   channel="paid_social"), "sales")  # a link with a channel (in a session the sidebar's state wins)
    assert any(c.startswith("Quota attainment is not split by channel") for c in captions(at))


def test_demo_tile_for_each_rep_is_that_reps_row(demo_warehouse):
    """One number everywhere (tests/test_one_number.py), on the demo: for every rep and several ranges,
    the Quota attainment tile filtered by the rep (value, target, pace) is the rep's row of the table."""
    from tests.test_one_number import app_view

    _e, db, _r = demo_warehouse
    for start, end in ((date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 11, 1), date(2026, 11, 30)),
                       (date(2026, 10, 15), date(2026, 11, 22))):  # fmt: skip
        team = app_view(db, start, end)
        reps = {r["segment"]: r for r in run("sales/performance", db=db, **team.params("sales/performance", by="owner"))
                .iter_rows(named=True)}  # fmt: skip
        for rep, row in reps.items():
            if rep == "(no owner)":
                continue
            tile = summarize(view=app_view(db, start, end, owner=rep), db=db, names=["quota_attainment"])
            out = tile["metrics"]["quota_attainment"]
            assert row["quota"] is not None, (rep, start)  # every demo rep has a quota in these months
            assert out["value"] == pytest.approx(row["quota_attainment"]), (rep, start)
            assert out["pace"] == pytest.approx(row["quota_pace"]) and out["target"] == 1.0, (rep, start)
