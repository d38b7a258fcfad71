"""End to end: a warehouse whose data ends in April, opened months later with a bare URL in headless
Chromium. The Overview shows April (not a month of zeros) under a dated notice and a staleness
warning; the Data page's coverage timeline shows Google Ads' missing week in red. Screenshots in
tests/e2e/screenshots/coverage/*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, streamlit_server
from tests.kpi_fixtures import build
from tests.test_coverage import write_april_exports

SHOTS = Path(__file__).parent / "screenshots" / "coverage"  # beside test_browser.py's own


@pytest.fixture(scope="module")
def april_db(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = tmp_path_factory.mktemp("april-e2e")
    yield build(folder, write_april_exports(folder / "exports"))
    mp.undo()


def test_old_data_in_a_real_browser(april_db, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(april_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 2600})
        page.goto(url)  # the bare URL
        for text in ("Data through Apr 30, 2026; Meta through Apr 28, 2026.", "Apr 01, 2026 – Apr 30, 2026",
                     "days old (through Apr 30, 2026)", "Incomplete (Google Ads: no data Apr 13–19, 2026"):
            page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert not page.get_by_text("Traceback").count()
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
        page.goto(f"{url}/data")
        page.get_by_text("Coverage per source").first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        page.get_by_text("gap: no export covers these days").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "data.png"), full_page=True)
        page.goto(f"{url}/marketing")
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "marketing.png"), full_page=True)
        browser.close()
