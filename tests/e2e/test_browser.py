"""End to end: the real `streamlit run app.py` against the golden warehouse, every page opened in
headless Chromium (Debian's, driven by Playwright), the expected numbers found on screen, and a
screenshot saved per page (tests/e2e/screenshots/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

SHOTS = Path(__file__).parent / "screenshots"
QUERY = "?range=custom&start=2026-10-01&end=2026-10-31"
# page url -> texts that must be rendered (golden values worked out in tests/test_kpi_*.py; the pace
# is judged when the data ends, Oct 25: 30,000 / (40,000 x 25/31) = 93%, queries/view.py as_of_for)
EXPECT = {
    "overview": ["Revenue", "$30.0k", "66.7%", "Target $40.0k · pace 93%"],
    "marketing": ["Blended CPL", "$338", "3.2%"],
    "sales": ["Quota attainment", "75.0%", "$15.0k"],
    "funnel": ["Funnel (cohort)"],
    "handoff": ["SLA compliance", "0.0%"],
    "data": ["Load history", "Freshness per source", "Rejected rows"],  # tables draw on a canvas
    "definitions": ["Definitions", "Every number in Revline is defined once"],
}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_every_page_in_a_real_browser(revenue_db, browser):
    SHOTS.mkdir(exist_ok=True)
    with streamlit_server(revenue_db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path, texts in EXPECT.items():
            page.goto(f"{url}/{path}{QUERY}")
            for text in texts:
                page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
            if path in ("overview", "marketing", "handoff"):
                page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
            assert not page.get_by_text("Traceback").count()
            page.screenshot(path=str(SHOTS / f"{path}.png"), full_page=True)
        page.close()
    assert len(list(SHOTS.glob("*.png"))) == len(EXPECT)
