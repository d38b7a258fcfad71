"""The demo's website (etl/demo_data/web.py) tells its story through the real loader and the queries
the pages run: every GA4 and Search Console download loads without a reject, one landing page
converts far better than the rest, and brand search rises after the September awareness push."""

from __future__ import annotations

from queries.runner import run


def test_every_web_download_loads_in_full(demo_warehouse):
    _e, _db, results = demo_warehouse
    web = [r for r in results if r.adapter.startswith(("ga4_", "search_console_"))]
    assert {r.adapter for r in web} >= {"ga4_traffic_channels", "ga4_landing_pages", "search_console_daily",
                                        "search_console_queries"}  # fmt: skip
    bad = [(r.name, r.status, r.message) for r in web
           if r.counts.rows_rejected or r.status not in ("loaded", "duplicate_file")]  # fmt: skip
    assert not bad, bad


def test_one_landing_page_converts_far_better_than_the_rest(demo_warehouse):
    _e, db, _r = demo_warehouse
    pages = run("web/landing_pages", db=db, start_date="2026-10-01", end_date="2026-10-31", by="landing_page",
                min_landing_sessions=500)  # fmt: skip
    ranked = pages.filter("ranked")
    best, second = ranked.row(0, named=True), ranked.row(1, named=True)
    assert best["landing_page"] == "/demo" and best["landing_page_conversion_rate"] > 3 * second["landing_page_conversion_rate"]
    # the spring sale's page (live in March and April): a high rate on a handful of sessions, below
    # the minimum (config/revline.toml [web] min_landing_sessions), not ranked
    march = run("web/landing_pages", db=db, start_date="2026-03-01", end_date="2026-03-31", by="landing_page",
                min_landing_sessions=100)  # fmt: skip
    few = march.filter(~march["ranked"]).row(0, named=True)
    assert (few["landing_page"], march.filter(~march["ranked"]).height) == ("/lp/spring-sale-2026", 1)
    assert few["sessions"] < 100 and few["landing_page_conversion_rate"] > best["landing_page_conversion_rate"]


def test_brand_search_rises_after_the_awareness_push(demo_warehouse):
    _e, db, _r = demo_warehouse
    months = run("web/search", db=db, start_date="2025-10-01", end_date="2026-11-30", by="range", brand_terms=["revline"])
    clicks = {f"{r['range_start']:%Y-%m}": int(r["brand_search_clicks"]) for r in months.iter_rows(named=True)}
    before = [clicks[m] for m in ("2026-06", "2026-07", "2026-08")]
    after = [clicks[m] for m in ("2026-09", "2026-10")]
    assert min(after) > 1.2 * max(before) and clicks["2026-10"] > clicks["2026-09"]
    assert all(v > 0 for v in clicks.values())  # every month of the demo has its export


def test_sessions_and_leads_give_a_plausible_visitor_to_lead_rate(demo_warehouse):
    _e, db, _r = demo_warehouse
    total = run("web/traffic", db=db, start_date="2026-10-01", end_date="2026-10-31", grain="total", by="total",
                channel=None).row(0, named=True)  # fmt: skip
    assert 0.01 < total["visitor_to_lead_rate"] < 0.05 and total["sessions"] > 30_000
