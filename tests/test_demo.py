"""The demo dataset: deterministic, in each tool's exact format, and telling the story a real team
would recognise (measured through the real ETL and the KPI queries, not from the generator)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from etl.demo_data import write_demo
from etl.demo_data.pipeline import WEEKS
from queries.runner import run
from queries.settings import load_settings

WHOLE = {"start_date": "2025-10-01", "end_date": "2026-11-22"}
AS_OF = "2026-11-22 18:00:00"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_deterministic_and_scaled(tmp_path):
    a = write_demo(tmp_path / "a", scale=0.2)
    write_demo(tmp_path / "b", scale=0.2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert len(a) == 18 + 16 + WEEKS  # ads, CRM, targets, HubSpot meetings and calls, Stripe subscriptions and invoices; GA4 and a Search Console zip per month; the weekly deals exports
    big = write_demo(tmp_path / "c", scale=2)
    assert not any(p.suffix == ".xlsx" for p in big)  # at scale > 1 everything streams (CSV; Search Console zips of CSV)

    def leads(files):
        return sum(p.read_bytes().count(b"\n") for p in files if "contacts" in p.name)

    assert leads(big) > 1.7 * leads(write_demo(tmp_path / "d", scale=1))


def test_each_file_in_its_tool_format(demo_warehouse):
    exports, _db, results = demo_warehouse
    raw = {p.name: p.read_bytes() for p in exports.rglob("*") if p.is_file()}
    assert raw["Campaign report.csv"].startswith(b"\xff\xfeC\x00a\x00m\x00")  # UTF-16LE + BOM
    assert "\t" in raw["Campaign report.csv"].decode("utf-16")
    meta = [v for k, v in raw.items() if k.startswith("Revline-Demo-Campaigns")]
    assert len(meta) == 2 and all(v.startswith(b"\xef\xbb\xbfCampaign name,Day,") for v in meta)
    sf_leads = [v for k, v in raw.items() if k.startswith("report") and b'"Lead ID"' in v[:20]]
    assert sf_leads and all(b"Copyright (c) 2000-2026 salesforce.com" in v for v in sf_leads)
    sf_leads[0].decode("cp1252")  # Windows-1252: accents as single bytes
    assert b"\xfc" in sf_leads[0] or b"\xe9" in sf_leads[0]
    assert raw["campaign_performance_report.csv"].startswith(b"Campaign Performance Report (in UTC)")
    assert {r.adapter for r in results} >= {"salesforce_activities", "tiktok_ads", "hubspot_deals"}


def kpi(db, query, **kw):
    return run(query, db=db, **kw)


def test_tiktok_brings_cheap_leads_that_rarely_become_sqls(demo_warehouse):
    _e, db, _r = demo_warehouse
    c = kpi(db, "paid_media/cost_per_stage", **WHOLE, grain="total", by="platform", channel=None, platform=None,
            campaign=None)  # fmt: skip
    r = {row["segment"]: row for row in c.iter_rows(named=True)}
    others = [p for p in r if p != "tiktok"]
    assert r["tiktok"]["cpl"] < 0.5 * min(r[p]["cpl"] for p in others)
    rate = {p: r[p]["sqls"] / r[p]["mqls"] for p in r}
    assert rate["tiktok"] < 0.5 * min(rate[p] for p in others)


def test_retargeting_platform_roas_great_but_no_revenue(demo_warehouse):
    _e, db, _r = demo_warehouse
    args = dict(**WHOLE, grain="total", by="campaign", channel=None, platform="meta", campaign=None)
    perf = {r["segment"]: r for r in kpi(db, "paid_media/performance", **args).iter_rows(named=True)}
    cost = {r["segment"]: r for r in kpi(db, "paid_media/cost_per_stage", **args).iter_rows(named=True)}
    name = "Retargeting - Website Visitors"
    assert perf[name]["platform_roas"] > 4
    assert cost[name]["leads"] > 100 and float(cost[name]["revenue"]) == 0.0


def test_tiktok_leads_look_cheap_but_its_customers_churn_fast(demo_warehouse):
    """The billing story: TikTok has the lowest cost per lead and the fastest revenue churn and lowest
    LTV : CAC of its paying customers (Stripe exports matched to the CRM by e-mail hash)."""
    _e, db, _r = demo_warehouse
    cpl = kpi(db, "paid_media/cost_per_stage", **WHOLE, grain="total", by="platform", channel=None, platform=None,
              campaign=None)  # fmt: skip
    cpl = dict(zip(cpl["segment"], cpl["cpl"], strict=True))
    year = {"start_date": "2025-11-23", "end_date": "2026-11-22", "as_of": AS_OF}
    rows = kpi(db, "revenue/channels", **year, by="platform", gross_margin=0.8).filter(pl.col("platform").is_not_null())
    churn = dict(zip(rows["platform"], rows["revenue_churn_rate"], strict=True))
    ratio = dict(zip(rows["platform"], rows["ltv_cac"], strict=True))
    assert min(cpl, key=cpl.get) == "tiktok"
    assert max(churn, key=churn.get) == "tiktok" and churn["tiktok"] > 3 * max(v for k, v in churn.items() if k != "tiktok")
    assert min(ratio, key=ratio.get) == "tiktok"
    match = kpi(db, "data/billing_match").row(0, named=True)
    assert 0.8 < match["match_rate"] < 1 and match["unmatched"] >= 60  # the base from before the CRM: unmatched


def test_seasonal_spend_peak(demo_warehouse):
    _e, db, _r = demo_warehouse
    m = kpi(db, "paid_media/performance", **WHOLE, grain="month", by="total", channel=None, platform=None,
            campaign=None)  # fmt: skip
    spend = {str(p)[:7]: float(s) for p, s in m.select("period", "spend").iter_rows()}
    autumn = (spend["2026-09"] + spend["2026-10"]) / 2
    summer = (spend["2026-06"] + spend["2026-07"] + spend["2026-08"]) / 3
    assert autumn > 1.5 * summer and spend["2026-03"] > 1.2 * spend["2026-02"]


def handoff_params() -> dict:
    keep = ("sla_hours", "clock", "clock_start", "biz_tz", "biz_days", "biz_start_min", "biz_end_min",
            "owner_tz_names", "owner_tz_zones")  # fmt: skip
    p = load_settings().params()
    return {**WHOLE, "channel": None, "owner": None, "platform": None, "campaign": None, "as_of": AS_OF, **{k: p[k] for k in keep}}


def test_one_rep_follows_up_slowly_and_weekend_mqls_breach(demo_warehouse):
    _e, db, _r = demo_warehouse
    s = kpi(db, "handoff/speed_and_sla", grain="total", by="owner", **handoff_params())
    median = dict(s.select("segment", "median_minutes").iter_rows())
    others = [v for k, v in median.items() if k != "Tom Becker"]
    assert median["Tom Becker"] > 3 * max(others)
    h = kpi(db, "handoff/speed_and_sla", grain="total", by="hour_weekday", **handoff_params())
    by_day = h.group_by("weekday").agg(pl.col("met").sum(), pl.col("breached").sum())
    rate = {d: m / (m + b) for d, m, b in by_day.iter_rows()}
    assert max(rate[6], rate[7]) < 0.6 < min(rate[d] for d in (1, 2, 3, 4))


def test_summary_on_demo_prints_every_metric(demo_warehouse):
    from datetime import date, datetime

    from queries.registry import metrics
    from queries.summary import summarize

    _e, db, _r = demo_warehouse
    out = summarize(date(2026, 11, 1), date(2026, 11, 30), "previous", datetime(2026, 11, 22, 18), db=db)
    assert list(out["metrics"]) == [m.name for m in metrics()]
    missing = [k for k, v in out["metrics"].items() if v["value"] is None]
    # the demo has data for every KPI of the exports it writes (GA4 and Search Console downloads:
    # etl/demo_data/web.py; meeting outcomes: its HubSpot meetings, etl/demo_data/activity.py), except
    # forecast_accuracy, which judges a month once it has closed: November has not by Nov 22
    # (tests/test_demo_pipeline.py: the demo's closed months have it)
    assert missing == ["forecast_accuracy"], missing
    assert out["metrics"]["revenue"]["target"] > 0 and out["metrics"]["revenue"]["pace"] == pytest.approx(
        out["metrics"]["revenue"]["value"] / (out["metrics"]["revenue"]["target"] * 22 / 30))


def test_hot_leads_convert_best_but_wait_longest(demo_warehouse):
    """The score story (etl/demo_data/activity.py): conversion rises with the score band, and the Hot
    band, the one that converts best, waits longest for a first touch: the routing check says so."""
    from datetime import date

    from queries.examples import arguments
    from queries.scoring import calibration, routing

    _e, db, _r = demo_warehouse
    args = arguments("handoff/score_bands", date(2026, 5, 1), date(2026, 11, 22), by="total")
    bands = {r["score_band"]: r for r in kpi(db, "handoff/score_bands", **args).iter_rows(named=True)}
    rates = [bands[b]["sql_rate"] for b in ("Hot", "Warm", "Cool", "Cold")]
    assert rates == sorted(rates, reverse=True) and rates[0] > 2 * rates[1]
    waits = {b: bands[b]["median_minutes"] for b in ("Hot", "Warm", "Cool", "Cold")}
    assert max(waits, key=waits.get) == "Hot"
    rows = list(bands.values())
    assert calibration(rows).startswith("Conversion rises with the band")
    assert routing(rows).startswith("Higher bands are not followed up faster: Hot MQLs wait")
    # HubSpot meetings and calls are in: held meetings, no-shows and connected calls per rep
    team = kpi(db, "sales/activity", **arguments("sales/activity", date(2026, 11, 1), date(2026, 11, 22), by="total"))
    row = team.row(0, named=True)
    assert row["meetings_held"] > 0 and row["meetings_no_show"] > 0 and 0 < row["connected_calls"] < row["calls"]
