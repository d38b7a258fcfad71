"""Refresh the README screenshots from the demo warehouse: `python scripts/screenshots.py [DB]`.

Uses the same server harness and Debian Chromium as the end-to-end test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from queries.pages import PAGES
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
VIEW = "range=custom&start=2026-10-01&end=2026-11-22"
SCREENSHOTS = {p.name: p.screenshot for p in PAGES if p.screenshot is not None}  # page -> heading to scroll to


def main(db: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1100})
        page.goto(f"{url}/?{VIEW}")  # first request goes through app.py
        for name, section in SCREENSHOTS.items():
            page.goto(f"{url}/{name}?{VIEW}")
            page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
            time.sleep(3)  # let every chart finish drawing
            if section:  # the part of the page the README shows
                page.get_by_role("heading", name=section, exact=True).first.evaluate("e => e.scrollIntoView()")
                time.sleep(1)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            print(OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/warehouse.duckdb"))
