"""The Revenue page, the Overview's ARR and NRR tiles and the Data page's billing match, rendered by
AppTest on the billing golden warehouse (tests/kpi_fixtures.py write_billing_exports; the numbers are
worked out by hand in tests/test_kpi_revenue.py) and on a warehouse without billing."""

from __future__ import annotations

from tests.test_pages import captions, tiles, visit

Q2 = {"range": "custom", "start": "2026-04-01", "end": "2026-06-30"}


def test_revenue_page_shows_mrr_movements_cohorts_and_channels(billing_db, app):
    at = visit(app(billing_db, **Q2), "revenue")
    t = tiles(at)
    assert t["MRR"] == "$1.1k" and t["ARR"] == "$13.7k" and t["Paying customers"] == "8"  # 1,144; 13,728
    assert t["Net revenue retention"] == "80.1%" and t["Logo retention"] == "75.0%"  # 1,024 / 1,279; 6 / 8
    assert t["LTV"] != "–" and "LTV (assumed)" not in t  # measured: billing covers Q2
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("MRR movements by month" in s for s in charts) and any("Revenue retention by signup cohort" in s
                                                                       for s in charts)  # fmt: skip
    channels = at.dataframe[0].value
    arr = dict(zip(channels["channel"], channels["arr"], strict=True))
    assert float(arr["Organic search"]) == 6600.0 and float(arr["Paid social"]) == 4560.0  # D+E 550, A+B+G 380


def test_overview_shows_arr_and_nrr_and_the_data_page_the_match_rate(billing_db, app):
    at = app(billing_db, **Q2)
    t = tiles(at)
    assert t["ARR"] == "$13.7k" and t["Net revenue retention"] == "80.1%"
    at = visit(at, "data")
    text = " ".join(m.value for m in at.markdown)
    assert "5 of 12** Stripe customers (41.7%) match a CRM lead" in text and "7 unmatched" in text


def test_without_billing_ltv_says_assumed_and_the_page_says_what_to_load(revenue_db, app):
    at = app(revenue_db, range="custom", start="2026-10-01", end="2026-10-31")
    at = visit(at, "revenue")
    assert "LTV (assumed)" in tiles(at)
    assert any("Assumed: from config [kpi]" in c for c in captions(at))
    assert any("No Stripe billing export covers this range" in i.value for i in at.info)
