"""Golden tests for the visitor stage on the web fixture (tests/kpi_fixtures.py write_web_exports),
GA4 and Search Console files in their download formats through the real loader.

GA4 Traffic acquisition by channel group, Oct 1-2 (sessions / engaged / key events):
  Oct 1 Paid Search 40/12/3, Organic Search 50/30/4, Direct 10/5/0;  Oct 2 Paid Search 60/20/2,
  Organic Search 30/10/1, Direct 10/5/1.  By source / medium: Oct 1 (not read: the channel group
  report has that day) and Oct 3 google / cpc 20/5/1, newsletter / email 10/6/2.  Dec 1: Direct 7.
Landing page report Oct 1-2: /pricing 20+30 sessions, 4+6 key events; / 80+60, 1+0; (not set) 10, 0.
HubSpot leads: Oct 1 paid search, organic search; Oct 2 organic search, direct; Oct 3 paid search; Oct 20 organic.
Search Console Oct 1-3 (chart 10+12+8 = 30 clicks): acme 9/100, ACME pricing 4/30, akme login 2/10,
  crm dashboard 5/150, "sales analytics, free" 3/120 (clicks/impressions); Dec 1-2: acme 5/60.
November has no GA4 and no Search Console export: a gap of both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from queries.runner import run
from queries.settings import KpiSettings
from queries.summary import summarize

ACME = KpiSettings(brand_terms=("acme",))
WEB = ["sessions", "engaged_sessions", "key_events", "visitor_to_lead_rate", "landing_page_conversion_rate",
       "brand_search_clicks", "brand_search_impressions", "non_brand_search_clicks", "organic_share_of_leads"]  # fmt: skip
REPO = Path(__file__).resolve().parent.parent


def traffic(db, start="2026-10-01", end="2026-10-03", channel=None, **kw):
    return run("web/traffic", db=db, start_date=start, end_date=end, channel=channel,
               **{"grain": "total", "by": "total", **kw})  # fmt: skip


def search(db, start="2026-10-01", end="2026-10-03", terms=("acme",), by="total"):
    return run("web/search", db=db, start_date=start, end_date=end, by=by, brand_terms=list(terms) or [""])


def summary(db, start: date, end: date, **kw) -> dict:
    return summarize(start, end, "previous", db=db, settings=ACME, names=WEB, today=date(2026, 12, 3), **kw)["metrics"]


def test_traffic_reads_one_report_per_day(web_db):
    r = traffic(web_db).row(0, named=True)
    # sessions: Oct 1 (40 + 50 + 10) + Oct 2 (60 + 30 + 10) from the channel group report, Oct 3
    # (20 + 10) from source / medium, the only report that day; Oct 1's source / medium rows not added
    assert r["sessions"] == 100 + 100 + 30
    assert r["engaged_sessions"] == (12 + 30 + 5) + (20 + 10 + 5) + (5 + 6)  # = 93
    assert r["key_events"] == (3 + 4 + 0) + (2 + 1 + 1) + (1 + 2)  # = 14
    # visitor -> lead rate = leads created Oct 1-3 / sessions = 5 / 230
    assert (r["leads"], r["visitor_to_lead_rate"]) == (5, pytest.approx(5 / 230))
    # organic share = organic search leads / all leads = 2 / 5
    assert r["organic_share_of_leads"] == pytest.approx(2 / 5)


def test_traffic_by_channel(web_db):
    rows = {r["segment"]: r for r in traffic(web_db, by="channel").iter_rows(named=True)}
    # paid search: sessions 40 + 60 + 20 = 120, leads 2 -> 2 / 120; organic search 50 + 30 = 80, leads 2
    assert (rows["paid_search"]["sessions"], rows["paid_search"]["leads"]) == (120, 2)
    assert rows["paid_search"]["visitor_to_lead_rate"] == pytest.approx(2 / 120)
    assert rows["organic_search"]["visitor_to_lead_rate"] == pytest.approx(2 / 80)
    assert (rows["email"]["sessions"], rows["email"]["leads"], rows["email"]["visitor_to_lead_rate"]) == (10, 0, 0)
    # the channel filter gives the same numbers as the channel's row
    cut = traffic(web_db, channel=["paid_search"]).row(0, named=True)
    assert (cut["sessions"], cut["engaged_sessions"], cut["key_events"]) == (120, 12 + 20 + 5, 3 + 2 + 1)


def test_a_month_without_a_download_is_no_data_not_zero(web_db):
    # November: no GA4 row and no Search Console export -> no rows at all, never 0
    assert traffic(web_db, "2026-11-01", "2026-11-30").height == 0
    assert search(web_db, "2026-11-01", "2026-11-30").height == 0
    m = summary(web_db, date(2026, 11, 1), date(2026, 11, 30))
    for name in WEB:
        assert m[name]["value"] is None and m[name]["coverage"]["status"] == "no_data", name
    assert m["sessions"]["coverage"]["note"] == ("No web-analytics data for Nov 1–30, 2026: "
                                                 "no loaded export covers it")  # fmt: skip
    assert m["brand_search_clicks"]["coverage"]["note"].startswith("No Search Console data for Nov 1–30, 2026")


def test_landing_page_conversion_rate(web_db):
    total = run("web/landing_pages", db=web_db, start_date="2026-10-01", end_date="2026-10-31", by="total",
                min_landing_sessions=0)
    # key events / sessions = (4 + 1 + 0 + 6 + 0) / (20 + 80 + 10 + 30 + 60) = 11 / 200
    assert total.row(0, named=True)["landing_page_conversion_rate"] == pytest.approx(11 / 200)
    pages = run("web/landing_pages", db=web_db, start_date="2026-10-01", end_date="2026-10-31", by="landing_page",
                min_landing_sessions=0)
    # every page ranked (minimum 0), sorted by conversion: /pricing 10 / 50, / 1 / 140, (not set) 0 / 10
    assert [(r["landing_page"], r["sessions"], r["landing_page_conversion_rate"]) for r in pages.iter_rows(named=True)] == [
        ("/pricing", 50, pytest.approx(10 / 50)), ("/", 140, pytest.approx(1 / 140)), ("(not set)", 10, 0)]  # fmt: skip


def test_landing_pages_below_the_minimum_sessions_are_listed_after_the_ranked_ones(web_db):
    pages = run("web/landing_pages", db=web_db, start_date="2026-10-01", end_date="2026-10-31", by="landing_page",
                min_landing_sessions=100)
    # only / has 100 sessions or more (140): ranked first although its rate (1 / 140) is below /pricing's
    # (10 / 50, 50 sessions); then the unranked by conversion: /pricing, (not set)
    assert [(r["landing_page"], r["ranked"]) for r in pages.iter_rows(named=True)] == [
        ("/", True), ("/pricing", False), ("(not set)", False)]  # fmt: skip


def test_brand_terms_match_case_insensitive_substrings_and_misspellings_need_their_own(web_db):
    r = search(web_db).row(0, named=True)
    # "acme" matches acme and ACME pricing: clicks 9 + 4 = 13, impressions 100 + 30 = 130; "akme login"
    # (a misspelling) is non-brand with it: 2 + 5 + 3 = 10; the chart's 30 clicks include anonymised queries
    assert (r["brand_search_clicks"], r["brand_search_impressions"], r["non_brand_search_clicks"]) == (13, 130, 10)
    assert (r["search_clicks"], r["search_impressions"]) == (30, 600)
    both = search(web_db, terms=("acme", "akme")).row(0, named=True)
    assert (both["brand_search_clicks"], both["non_brand_search_clicks"]) == (15, 8)
    # no term set: nothing says what the brand is -> no value, never 0
    none = search(web_db, terms=()).row(0, named=True)
    assert none["brand_search_clicks"] is None and none["search_clicks"] == 30


def test_search_counts_only_export_ranges_inside_the_view(web_db):
    # Oct 2-3 cuts the Oct 1-3 export: its queries cannot be split by day -> no row (no data)
    assert search(web_db, "2026-10-02", "2026-10-03").height == 0
    # Oct 1 - Dec 31 holds both exports: brand 13 + 5 = 18; by range, one row each
    assert search(web_db, "2026-10-01", "2026-12-31").row(0, named=True)["brand_search_clicks"] == 18
    by_range = search(web_db, "2026-10-01", "2026-12-31", by="range")
    assert [(str(r["range_start"]), r["brand_search_clicks"]) for r in by_range.iter_rows(named=True)] == [
        ("2026-10-01", 13), ("2026-12-01", 5)]  # fmt: skip


def test_summary_reports_every_web_metric_and_cuts_by_channel_where_the_data_has_it(web_db):
    m = summary(web_db, date(2026, 10, 1), date(2026, 10, 3))
    assert {k: m[k]["value"] for k in WEB} == {
        "sessions": 230, "engaged_sessions": 93, "key_events": 14.0, "visitor_to_lead_rate": pytest.approx(5 / 230),
        "landing_page_conversion_rate": pytest.approx(11 / 200), "brand_search_clicks": 13,
        "brand_search_impressions": 130, "non_brand_search_clicks": 10, "organic_share_of_leads": pytest.approx(0.4),
    }  # fmt: skip
    cut = summary(web_db, date(2026, 10, 1), date(2026, 10, 3), filters={"channel": "paid_search"})
    assert (cut["sessions"]["value"], cut["visitor_to_lead_rate"]["value"]) == (120, pytest.approx(2 / 120))
    for name in ("landing_page_conversion_rate", "brand_search_clicks", "organic_share_of_leads"):
        assert cut[name]["value"] is None and "channel" in cut[name]["not_split_by"], name


def test_summary_command_reports_the_web_metrics_by_name(web_db, tmp_path):
    """`python -m queries summary --format json` with [web] brand_terms from the config folder."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "revline.toml").write_text('[web]\nbrand_terms = ["ACME"]\n', encoding="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "queries", "summary", "--db", str(web_db), "--start", "2026-10-01",
         "--end", "2026-10-03", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, "REVLINE_CONFIG_DIR": str(config)},
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    m = json.loads(p.stdout)["metrics"]
    assert set(WEB) <= set(m)
    assert (m["sessions"]["value"], m["brand_search_clicks"]["value"], m["non_brand_search_clicks"]["value"]) == (230, 13, 10)


def test_top_queries_sum_the_counted_ranges_and_mark_brand(web_db):
    top = run("web/top_queries", db=web_db, start_date="2026-10-01", end_date="2026-12-31", top=3, brand_terms=["acme"])
    # "acme" is listed in both ranges: clicks 9 + 5 = 14, impressions 100 + 60 = 160, CTR 14 / 160,
    # position weighted by impressions (1.1 * 100 + 1.0 * 60) / 160 = 1.0625; then crm dashboard (5), ACME pricing (4)
    assert [(r["search_query"], r["is_brand"], r["clicks"], r["impressions"]) for r in top.iter_rows(named=True)] == [
        ("acme", True, 14, 160), ("crm dashboard", False, 5, 150), ("ACME pricing", True, 4, 30)]  # fmt: skip
    assert top.row(0, named=True)["ctr"] == pytest.approx(14 / 160)
    assert top.row(0, named=True)["position"] == pytest.approx((1.1 * 100 + 1.0 * 60) / 160)
    # no brand term: nothing says what the brand is -> no verdict, never False
    assert run("web/top_queries", db=web_db, start_date="2026-10-01", end_date="2026-10-03", top=5,
               brand_terms=[""])["is_brand"].to_list() == [None] * 5
    # Oct 2-3 cuts the only export's range: no row (no data)
    assert run("web/top_queries", db=web_db, start_date="2026-10-02", end_date="2026-10-03", top=5,
               brand_terms=["acme"]).height == 0


def funnel_flow(db, **dims):
    args = {"channel": None, "platform": None, "campaign": None, "owner": None, **dims}
    return run("funnel/stages", db=db, start_date="2026-10-01", end_date="2026-10-31", by="total", mode="flow", **args)


def test_the_flow_funnel_starts_at_visitors(web_db):
    stages = funnel_flow(web_db)
    # GA4 sessions in October, one traffic report per day: Oct 1 by channel 10 + 50 + 40, Oct 2 by
    # channel 10 + 30 + 60, Oct 3 by source / medium 10 + 20 = 230; the 6 leads' step is leads / sessions
    top = stages.row(0, named=True)
    assert (top["stage"], top["stage_order"], top["records"]) == ("visitor", 0, 230)
    lead = stages.row(1, named=True)
    assert (lead["stage"], lead["step_rate"], lead["drop_off"]) == ("lead", pytest.approx(6 / 230), 224)
    # cut by channel: organic search sessions 50 + 30 = 80
    organic = funnel_flow(web_db, channel=["organic_search"]).row(0, named=True)
    assert (organic["stage"], organic["records"]) == ("visitor", 80)


def test_visitors_are_not_in_the_cohort_funnel_nor_under_a_cut_sessions_lack(web_db):
    cohort = run("funnel/stages", db=web_db, start_date="2026-10-01", end_date="2026-10-31", by="total",
                 mode="cohort", channel=None, platform=None, campaign=None, owner=None)
    assert cohort["stage"].to_list()[0] == "lead"  # a visit is not a person: no cohort of visitors
    # GA4 sessions carry no platform, campaign or rep: no visitor row rather than an uncut one
    assert "visitor" not in funnel_flow(web_db, owner=["nobody"])["stage"].to_list()
    assert "visitor" not in funnel_flow(web_db, platform=["google_ads"])["stage"].to_list()
    # a range without GA4 rows: no visitor row (no data), never 0
    none = run("funnel/stages", db=web_db, start_date="2026-11-01", end_date="2026-11-30", by="total", mode="flow",
               channel=None, platform=None, campaign=None, owner=None)
    assert "visitor" not in none["stage"].to_list()
