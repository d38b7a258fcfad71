"""End to end, the funnel's new stages in a real browser at 1280 px, each on the golden warehouse
that holds its exports: the Marketing page's Traffic, Landing pages and Search sections (GA4 and
Search Console, #24), the Sales page's pipeline movement and projection (weekly deals exports, #25)
and the Revenue page (Stripe, #26). Each section's heading and a chart render, no traceback, and
every grid is labelled, without blank or raw cells, and fits."""

from __future__ import annotations

import pytest

from tests.e2e.server import streamlit_server
from tests.e2e.test_browser import readable_grids

CASES = {  # warehouse fixture -> (page, range, texts that must render: tests/test_kpi_web.py, _pipeline.py, _revenue.py)
    "web_db": ("marketing", "2026-10-01", "2026-10-31", ["Traffic", "Landing pages", "Search"]),
    "pipeline_db": ("sales", "2026-11-01", "2026-11-30", ["Pipeline movement", "Slipping deals",
                                                          "Where the range will land"]),
    "billing_db": ("revenue", "2026-04-01", "2026-06-30", ["Retention by signup cohort", "By acquisition channel"]),
}  # fmt: skip


@pytest.mark.parametrize("db", CASES)
def test_visitor_pipeline_and_revenue_sections_in_a_real_browser(db, browser, request):
    path, start, end, texts = CASES[db]
    with streamlit_server(request.getfixturevalue(db)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{url}/{path}?range=custom&start={start}&end={end}")
        for text in texts:
            page.get_by_role("heading", name=text, exact=True).first.wait_for(timeout=60_000)
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        assert not page.get_by_text("Traceback").count()
        readable_grids(page, path)
        page.close()
