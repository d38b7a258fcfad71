"""Drill-through (issue 16 point 5): the records behind an aggregate row are exactly the ones the row
counts (golden, on the tiny fixtures of tests/kpi_fixtures.py), the Records page shows them from its
URL with no personal data, hostile URL values fall back, and CRM links are http(s) or nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl

from queries.drill import describe, parse
from queries.runner import run
from queries.settings import RecordLinks, load_record_links, load_settings
from tests.conftest import OCTOBER
from tests.test_pages import visit
from ui.drill import Link, deadline_words, human_duration, params_for

VIEW = {"channel": None, "platform": None, "campaign": None, "owner": None, "as_of": "2026-10-31 23:59:59"}
LEADS = {"basis": "funnel", "stage": "lead", "mode": "cohort", "cohort": None, "band": None, "sla_status": None, "score_band": None,
         "rep": None, "row_campaign": None, "row_platform": None, **load_settings().band_params()}  # fmt: skip
DEALS = {"deal_set": "closed", "deal_stage": None, "forecast": None, "rep": None, "move": None}
CLOCK = dict(sla_hours=4.0, clock="business", clock_start="mql", biz_tz="America/New_York", biz_days=[1, 2, 3, 4, 5],
             biz_start_min=540, biz_end_min=1020, owner_tz_names=[""], owner_tz_zones=["UTC"])  # fmt: skip
NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30"}
PERSONAL = {"email", "email_hash", "name", "full_name", "first_name", "last_name", "phone", "company", "deal_name"}


def leads(db: Path, dates: dict = OCTOBER, **drill) -> set[str]:
    out = run("records/leads", db=db, **dates, **VIEW, **CLOCK, **{**LEADS, **drill})
    return set(out["lead_id"].to_list())


def deals(db: Path, **drill) -> set[str]:
    return set(run("records/deals", db=db, **OCTOBER, **VIEW, **{**DEALS, **drill})["deal_id"].to_list())


def test_campaign_row_lists_its_leads(revenue_db):
    rows = run("paid_media/cost_per_stage", db=revenue_db, **OCTOBER, grain="total", by="campaign",
               channel=None, platform=None, campaign=None)  # fmt: skip
    spring = rows.filter((pl.col("segment") == "Spring Sale") & (pl.col("platform") == "meta")).row(0, named=True)
    # leads created in October on Meta "Spring Sale": L1 (Oct 5) and L2 (Oct 6) -> 2
    assert spring["leads"] == 2
    assert leads(revenue_db, mode="flow", row_campaign="Spring Sale", row_platform="meta") == {"1", "2"}
    # both became MQLs in October (flow): the mqls column's records
    assert spring["mqls"] == len(leads(revenue_db, stage="mql", mode="flow", row_campaign="Spring Sale",
                                       row_platform="meta")) == 2  # fmt: skip
    for r in rows.filter(pl.col("leads") > 0).iter_rows(named=True):  # every campaign row: count == records
        assert r["leads"] == len(leads(revenue_db, mode="flow", row_campaign=r["segment"], row_platform=r["platform"]))


def test_rep_rows_list_their_deals(revenue_db):
    reps = {r["segment"]: r for r in run("sales/performance", db=revenue_db, **OCTOBER, **VIEW, by="owner")
            .iter_rows(named=True)}  # fmt: skip
    # Tom: 504 won (closed Oct 15) + 502 lost (Oct 25) -> closed = won + lost = 2
    assert deals(revenue_db, rep="Tom Becker") == {"502", "504"}
    # Dana: 501 won; created in October: 501 (Oct 8), 503 (Oct 10)
    assert deals(revenue_db, rep="Dana Whitfield") == {"501"}
    assert deals(revenue_db, rep="Dana Whitfield", deal_set="created") == {"501", "503"}
    for rep, r in reps.items():
        assert r["won"] + r["lost"] == len(deals(revenue_db, rep=rep))
        assert r["won"] == len(deals(revenue_db, rep=rep, deal_set="won"))
        assert r["created"] == len(deals(revenue_db, rep=rep, deal_set="created"))


def test_pipeline_row_lists_its_open_deals(revenue_db):
    pipe = run("sales/pipeline", db=revenue_db, **OCTOBER, **VIEW, by="total")
    # open at Oct 31: only 503 (Contract Sent, 6,000)
    assert deals(revenue_db, deal_set="open") == {"503"}
    for r in pipe.iter_rows(named=True):
        got = deals(revenue_db, deal_set="open", deal_stage=r["stage"], forecast=r["forecast_category"])
        assert r["deals"] == len(got)


def test_funnel_stage_rows_list_their_leads(revenue_db):
    for mode, dates in (("cohort", OCTOBER), ("flow", {"start_date": "2026-10-07", "end_date": "2026-10-31"})):
        rows = run("funnel/stages", db=revenue_db, **dates, mode=mode, by="total", channel=None, platform=None,
                   campaign=None, owner=None)  # fmt: skip
        for r in rows.iter_rows(named=True):
            assert r["records"] == len(leads(revenue_db, dates, stage=r["stage"], mode=mode)), (mode, r["stage"])
    # cohort: L1-L3 became MQLs (L4 never) -> 3 of 4; flow Oct 7-31: only L1's SQL (Oct 7)
    assert leads(revenue_db, stage="mql") == {"1", "2", "3"}
    assert leads(revenue_db, {"start_date": "2026-10-07", "end_date": "2026-10-31"}, stage="sql", mode="flow") == {"1"}
    # the October cohort (cohort maturity's row): every lead was created in October
    assert leads(revenue_db, cohort=date(2026, 10, 1)) == {"1", "2", "3", "4"}
    assert leads(revenue_db, cohort=date(2026, 9, 1)) == set()
    maturity = run("funnel/cohort_maturity", db=revenue_db, **OCTOBER, cohort_grain="month", stage="sql", max_weeks=4,
                   as_of="2026-10-31 23:59:59", channel=None, platform=None, campaign=None, owner=None)  # fmt: skip
    assert set(maturity["cohort_size"]) == {len(leads(revenue_db, cohort=date(2026, 10, 1)))}  # 4: the links' counts


def test_response_band_and_rep_rows_list_their_mqls(handoff_db):
    dates = {**NOVEMBER}
    bands = run("handoff/response_bands", db=handoff_db, **dates, **{**VIEW, "as_of": "2026-11-30 23:59:59"}, **CLOCK)
    view = {"as_of": "2026-11-30 23:59:59"}
    VIEW_NOV = {**VIEW, **view}
    by_band = {b: set(run("records/leads", db=handoff_db, **dates, **VIEW_NOV, **CLOCK,
                          **{**LEADS, "basis": "handoff", "band": b})["lead_id"].to_list())
               for b in bands["band"].to_list()}  # fmt: skip
    for r in bands.iter_rows(named=True):
        assert r["mqls"] == len(by_band[r["band"]]), r["band"]
    # 15-60 min: B (30 business minutes) and F (20 minutes, Salesforce); never: C
    assert by_band["15-60 min"] == {"102", "00Q000000000001AAA"} and by_band["never"] == {"103"}
    sla = run("handoff/speed_and_sla", db=handoff_db, **dates, **VIEW_NOV, **CLOCK, grain="total", by="owner")
    for r in sla.iter_rows(named=True):
        got = run("records/leads", db=handoff_db, **dates, **VIEW_NOV, **CLOCK,
                  **{**LEADS, "basis": "handoff", "rep": r["segment"]})  # fmt: skip
        assert r["mqls"] == got.height and r["breached"] == got.filter(pl.col("sla_status") == "breached").height
    # Dana: A, D and G became MQLs in November (E never did) -> 3
    assert len(by_rep := run("records/leads", db=handoff_db, **dates, **VIEW_NOV, **CLOCK,
                             **{**LEADS, "basis": "handoff", "rep": "Dana Whitfield"})) == 3, by_rep  # fmt: skip


def test_no_personal_data_columns(revenue_db):
    for name, args in (("records/leads", {**LEADS, **CLOCK}), ("records/deals", DEALS)):
        out = run(name, db=revenue_db, **OCTOBER, **VIEW, **args)
        assert not set(out.columns) & PERSONAL, name
        assert not any("@" in str(v) for row in out.iter_rows() for v in row), name


def test_drill_link_params_from_a_row():
    # AppTest cannot select a dataframe row, so the pure function building the link is tested here
    link = Link("deals", "sales/performance", {"set": "closed"}, {"rep": "rep"})
    url = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31", "compare": "yoy", "channel": "paid_social",
           "role": "sales", "band": "never"}  # fmt: skip
    got = params_for(link, {"rep": "Tom Becker", "won": 1}, url)
    assert got == {"range": "custom", "start": "2026-10-01", "end": "2026-10-31", "compare": "yoy",
                   "channel": "paid_social", "role": "sales", "records": "deals", "of": "sales/performance",
                   "set": "closed", "rep": "Tom Becker"}  # an earlier drill's key (band) is dropped
    assert params_for(link, {"rep": None}, url) is None
    assert parse(got).args() == {"deal_set": "closed", "deal_stage": None, "forecast": None, "rep": "Tom Becker",
                                  "move": None}


def test_hostile_drill_values_fall_back_with_notes():
    d = parse({"records": "<script>", "stage": "x' or 1=1", "cohort": "2026-13-45", "of": "../etc/passwd",
               "rep": "a" * 500, "band": "never"})  # fmt: skip
    assert d.records == "leads" and d.values["stage"] == "lead" and d.values["cohort"] is None
    assert d.values["of"] is None and d.values["rep"] is None and d.values["band"] == "never"
    assert len(d.notes) == 5
    assert describe(d, 1, date(2026, 10, 1), date(2026, 10, 31)) == (
        "1 MQL whose SLA clock started Oct 01 – Oct 31, 2026, never touched"
        if d.values["basis"] == "handoff" else "1 lead created Oct 01 – Oct 31, 2026")


def test_record_links_only_http():
    assert load_record_links().url("hubspot", "leads", "1") is None  # the shipped config: not configured
    hs = RecordLinks(hubspot_portal_id="4711", salesforce_domain="acme")
    assert hs.url("hubspot", "leads", "51250324") == "https://app.hubspot.com/contacts/4711/record/0-1/51250324"
    assert hs.url("hubspot", "deals", "9") == "https://app.hubspot.com/contacts/4711/record/0-3/9"
    assert hs.url("salesforce", "deals", "006x") == "https://acme.lightning.force.com/lightning/r/Opportunity/006x/view"
    assert hs.url("hubspot", "leads", "javascript:alert(1)//") == (
        "https://app.hubspot.com/contacts/4711/record/0-1/javascript%3Aalert%281%29%2F%2F")  # encoded, stays https
    evil = RecordLinks(salesforce_domain="acme", salesforce_record_url="javascript:alert('{id}')")
    assert evil.url("salesforce", "leads", "1") is None
    assert RecordLinks(hubspot_portal_id="1", hubspot_record_url="https://x/{unknown}").url("hubspot", "leads", "1") is None
    assert hs.url("pipedrive", "leads", "1") is None and hs.url("hubspot", "leads", None) is None


def test_durations_in_words():
    assert human_duration(704.7) == "29 d 9 h" and human_duration(3.2) == "3 h 12 min"
    assert human_duration(0.5) == "30 min" and human_duration(None) is None
    assert deadline_words(-25.0) == "overdue 1 d 1 h" and deadline_words(2.5) == "in 2 h 30 min"


def records_page(app, db: Path, **params: str):
    return visit(app(db, range="custom", start="2026-10-01", end="2026-10-31", **params), "records")


def test_records_page_from_a_url(revenue_db, app):
    at = records_page(app, revenue_db, records="leads", stage="mql", mode="cohort")
    headline = [m.value.replace("\\", "") for m in at.markdown if "leads created" in m.value]
    assert headline == ["**3 leads created Oct 01 – Oct 31, 2026 that reached MQL**"]  # L1-L3, as the funnel row
    df = at.dataframe[0].value
    assert sorted(df["lead_id"]) == ["1", "2", "3"]
    assert not any("@" in str(v) for v in df.to_numpy().ravel())  # the fixture's e-mails never reach the page
    assert not set(df.columns) & PERSONAL
    assert [b for b in at.get("download_button") if b.proto.label == "Download CSV"]
    assert any("not linked: set `hubspot_portal_id`" in c.value for c in at.caption)
    assert "crm_link" not in df.columns  # unconfigured: plain ids, and the caption says which key to set


def test_records_page_deals_with_links(revenue_db, monkeypatch, tmp_path, app):
    cfg = tmp_path / "config"
    shutil.copytree(Path(__file__).resolve().parent.parent / "config", cfg)
    shipped = (cfg / "revline.toml").read_text(encoding="utf-8")  # the shipped [crm] section, the portal id set
    text = shipped.replace('hubspot_portal_id = ""', 'hubspot_portal_id = "4711"')
    (cfg / "revline.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(cfg))
    at = records_page(app, revenue_db, records="deals", set="closed", rep="Tom Becker", of="sales/performance")
    said = [m.value.replace("\\", "") for m in at.markdown]  # escaped Markdown (queries.markdown.plain)
    assert "**2 deals closed (won or lost) Oct 01 – Oct 31, 2026, rep Tom Becker**" in said
    df = at.dataframe[0].value
    assert sorted(df["deal_id"]) == ["502", "504"]
    assert set(df["crm_link"]) == {f"https://app.hubspot.com/contacts/4711/record/0-3/{i}" for i in ("502", "504")}
    assert "deal_name" not in df.columns and not any("@" in str(v) for v in df.to_numpy().ravel())


def test_records_page_with_hostile_url(revenue_db, app):
    at = records_page(app, revenue_db, records="deals';--", stage="<img src=x onerror=alert(1)>",
                           rep="'; drop table leads; --", cohort="x", of="javascript:alert(1)")  # fmt: skip
    notes = [i.value for i in at.info]
    assert len([n for n in notes if n.startswith("The link's")]) == 4  # records, stage, cohort, of
    assert at.caption and any("Nothing to show" in c.value for c in at.caption)  # the hostile rep is a value: no rows
    assert not [m for m in at.markdown if "<img" in m.value and "\\<img" not in m.value]


def test_records_page_deal_set_from_the_url(revenue_db, app):
    # the "Deals" switch writes `set` to the URL (clicked in tests/e2e/test_browser.py: AppTest does not
    # pass a page widget's new value through st.navigation here)
    at = records_page(app, revenue_db, records="deals", set="won", rep="Tom Becker", of="sales/performance")
    said = [m.value.replace("\\", "") for m in at.markdown]
    assert "**1 deal won Oct 01 – Oct 31, 2026, rep Tom Becker**" in said  # 504 (won Oct 15); 502 was lost
    assert list(at.dataframe[0].value["deal_id"]) == ["504"]
    assert at.segmented_control(key="rec_set").value == "won"
