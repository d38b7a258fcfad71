"""The real headless browser the end-to-end tests drive: Debian's Chromium through Playwright
(Playwright never downloads a browser of its own here)."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser(chromium: str):
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
