"""End to end, issue 27's sections in a real browser at 1280 px: the Sales page's activity by rep
(with its targets) on the activity golden warehouse and the Handoff page's score bands and routing
check on the scoring one; every grid's headers labelled, no blank or raw cells, and each fits."""

from __future__ import annotations

import pytest

from tests.e2e.server import streamlit_server
from tests.e2e.test_browser import GRIDS, readable_grids

CASES = {  # warehouse fixture -> (page, range, texts that must render: tests/test_kpi_activity.py, _score_bands.py)
    "activity_db": ("sales", "2026-09-01", "2026-09-30", ["Activity by rep", "Meetings booked by booking date"]),
    "scoring_db": ("handoff", "2026-10-01", "2026-10-31", ["Lead score bands", "Suggested MQL threshold: a score of 50",
                                                           "Higher bands are not followed up faster"]),
}  # fmt: skip


@pytest.mark.parametrize("db", CASES)
def test_activity_and_score_sections_in_a_real_browser(db, browser, request):
    path, start, end, texts = CASES[db]
    with streamlit_server(request.getfixturevalue(db)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{url}/{path}?range=custom&start={start}&end={end}")
        for text in texts:
            page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
        assert not page.get_by_text("Traceback").count()
        own = '(g => g.headers.some(h => ["Score band", "Booked target"].includes(h)))'
        page.wait_for_function(f"() => ({GRIDS})().some({own})", timeout=60_000)  # the section's grid drawn
        grids = readable_grids(page, path)
        assert any({"Score band", "Booked target"} & set(g["headers"]) for g in grids)  # the section's own grid
        page.close()
