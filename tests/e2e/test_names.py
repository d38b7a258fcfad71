"""Names from exports render as text in the real browser's charts: a rep named `<b>Eve</b>` is not
bold, a deal stage that is an `<a href>` is not a link (Plotly's labels are a small HTML dialect;
ui/charts.py escapes them). Tables: see tests/test_security.py (the grid draws on a canvas)."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests import kpi_fixtures
from tests.e2e.server import CHROMIUM_ARGS, streamlit_server
from tests.test_security import OWNER, STAGE, write_hostile_exports

QUERY = "?range=custom&start=2026-10-01&end=2026-10-31"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        folder = tmp_path_factory.mktemp("hostile-e2e")
        yield kpi_fixtures.build(folder, write_hostile_exports(folder / "exports"))


def test_chart_labels_render_names_literally(hostile_db, chromium):
    with streamlit_server(hostile_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/handoff{QUERY}")
        page.get_by_text("By rep").first.wait_for(timeout=30_000)
        label = page.locator(".js-plotly-plot text", has_text=OWNER)
        label.first.wait_for(timeout=30_000)  # the tick label reads <b>Eve</b>, tags and all
        assert page.locator(".js-plotly-plot [style*='bold']", has_text="Eve").count() == 0

        page.goto(f"{url}/sales{QUERY}")
        page.get_by_text("Open pipeline by stage").first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot text", has_text=STAGE).first.wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot a").count() == 0  # no link drawn from a stage name
        browser.close()
