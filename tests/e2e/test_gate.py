"""Sign-in gates everything, in a real browser against the real server: with a password and with
single sign-on configured, no URL path (every file in pages/, the root, unknown ones) shows data,
definitions or the upload widget before sign-in, on a cold server (the first request after a start
is the one Streamlit may serve from pages/ without app.py) and a warm one. The endpoints Streamlit
answers without a session carry no warehouse value (docs/SECURITY.md)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.server import REPO, free_port, streamlit_server
from ui.auth import hash_password

PATHS = ["", *sorted(p.stem for p in (REPO / "pages").glob("*.py")), "sign-in", "no-such-page"]
QUERY = "?range=custom&start=2026-10-01&end=2026-10-31"
# what the revenue warehouse holds (tests/kpi_fixtures.py) and what the pages say once signed in
WAREHOUSE_VALUES = ["Spring Sale", "Brand Search", "No Leads Campaign", "Dana Whitfield", "Tom Becker",
                    "L1 deal", "Open deal", "$30.0k"]  # fmt: skip
PAGE_TEXTS = ["Load history", "Upload exports", "Rejected rows", "Every number in Revline", "Revenue",
              "Blended CPL", "Funnel (cohort)", "SLA compliance", "Quota attainment"]  # fmt: skip
DATA_WIDGETS = ['[data-testid="stMetric"]', '[data-testid="stDataFrame"]', '[data-testid="stFileUploader"]',
                'input[type="file"]', ".js-plotly-plot", '[data-testid="stDownloadButton"]']  # fmt: skip


def secrets_file(folder: Path, kind: str, port: int) -> Path:
    """Secrets for a password, or for OIDC against a provider on 127.0.0.1 that does not exist (only
    the state before sign-in is checked)."""
    path = folder / f"{kind}-{port}.toml"
    if kind == "password":
        path.write_text(f'[[revline.passwords]]\nhash = "{hash_password("s3cret-s3cret", iterations=1000)}"\n')
    else:
        path.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "test-cookie-secret-0123456789abcdef"\n'
            'client_id = "revline-test"\nclient_secret = "not-a-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{free_port()}/.well-known/openid-configuration"\n'
            '[revline]\nallowed_domains = ["example.com"]\n'
        )
    return path


def assert_signed_out(page: Page, kind: str, where: str) -> None:
    """The sign-in form is up, and after a moment for anything that slipped through to draw, no data."""
    if kind == "password":
        page.get_by_label("Password", exact=True).wait_for(timeout=30_000)
    else:
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    page.wait_for_timeout(1_500)
    page.get_by_role("button", name="Sign in").wait_for(timeout=5_000)  # still the sign-in page
    body = page.inner_text("body")
    for text in WAREHOUSE_VALUES + PAGE_TEXTS:
        assert text not in body, (where, text)
    for selector in DATA_WIDGETS:
        assert page.locator(selector).count() == 0, (where, selector)
    assert "Traceback" not in body, where


# A cold server per path costs a start (~7 s). The gate is the same code under both sign-in kinds
# (ui/auth.py: the frame, then `require_viewer` in every page), so OIDC walks cold only the paths
# that carry data or uploads and the unknown one, and every path warm, like the password run. Each
# walk is a class of its own, and the password's cold paths are two, because the suite spreads over
# the cores by module and class (tests/tiers.parallel): one walk of every path took three minutes on
# one core while the other had finished.
def walk(kind: str, cold: list[str], revenue_db: Path, tmp_path: Path, browser, warm: bool) -> None:
    """Each of `cold` as the first request of a fresh server, then (if `warm`) every path again on
    the last server, each in a new session."""
    for i, path in enumerate(cold):
        port = free_port()
        env = {"STREAMLIT_SECRETS_FILES": str(secrets_file(tmp_path, kind, port))}
        with streamlit_server(revenue_db, port=port, env=env) as url:
            page = browser.new_page()
            page.goto(f"{url}/{path}{QUERY}")
            assert_signed_out(page, kind, f"cold /{path}")
            if warm and i == len(cold) - 1:
                for again in PATHS:
                    fresh = browser.new_page()
                    fresh.goto(f"{url}/{again}{QUERY}")
                    assert_signed_out(fresh, kind, f"warm /{again}")
                    fresh.close()
            page.close()


class TestPassword:
    def test_no_page_before_sign_in(self, revenue_db, tmp_path, browser):
        walk("password", PATHS[::2], revenue_db, tmp_path, browser, warm=False)


class TestPasswordOtherPaths:
    def test_no_page_before_sign_in(self, revenue_db, tmp_path, browser):
        walk("password", PATHS[1::2], revenue_db, tmp_path, browser, warm=True)


class TestOidc:
    def test_no_page_before_sign_in(self, revenue_db, tmp_path, browser):
        walk("oidc", ["", "data", "definitions", "no-such-page"], revenue_db, tmp_path, browser, warm=True)


def fetch(url: str) -> tuple[int, str]:
    """Status and body of a GET without any session or cookie."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def test_unauthenticated_endpoints_carry_no_data(revenue_db, tmp_path, browser):
    port = free_port()
    env = {"STREAMLIT_SECRETS_FILES": str(secrets_file(tmp_path, "password", port))}
    with streamlit_server(revenue_db, port=port, env=env) as url:
        # a signed-in session first, so every cache, media file and download is populated
        page = browser.new_page()
        page.goto(f"{url}/{QUERY}")
        page.get_by_label("Password", exact=True).fill("s3cret-s3cret")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("$30.0k").first.wait_for(timeout=30_000)
        for path in ("marketing", "sales", "data"):
            page.goto(f"{url}/{path}{QUERY}")
            page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)  # a new session: signed out
        page.close()

        answers = {}
        for path in ("", "data", "definitions", "_stcore/health", "_stcore/host-config",
                     "_stcore/script-health-check", "_stcore/metrics", "_stcore/agent/openapi.json",
                     "_stcore/stream", "media/x.csv", "app/static/x", "component/x", "auth/login",
                     "oauth2callback", "_stcore/upload_file/x/y"):  # fmt: skip
            answers[path] = fetch(f"{url}/{path}")
        assert answers["_stcore/health"] == (200, "ok")
        index = answers[""][1]
        assets = sorted(set(re.findall(r'(?:src|href)="\.?/?(static/[^"]+)"', index)))
        assert assets, index[:500]
        for asset in assets:
            answers[asset] = fetch(f"{url}/{asset}")
        for path, (_status, body) in answers.items():
            for value in WAREHOUSE_VALUES:
                assert value not in body, (path, value)
        assert answers["data"][1] == index  # any path is the same static shell: the data needs the websocket
        # the agent API (an HTTP client driving the app) is off (.streamlit/config.toml)
        agent = urllib.request.Request(f"{url}/_stcore/agent/interact", data=b"{}", method="POST",
                                       headers={"Content-Type": "application/json"})  # fmt: skip
        try:
            urllib.request.urlopen(agent, timeout=30)
            pytest.fail("the agent API answered")
        except urllib.error.HTTPError as refused:
            assert "does not serve the agent API" in refused.read().decode()
