"""The visitor stage on the pages (issue #24 point 4), rendered by the real app on the web golden
warehouse (tests/kpi_fixtures.py: GA4 reports, Search Console exports and HubSpot leads of October
2026): the Marketing page's Traffic, Landing pages and Search sections, the Funnel starting at
visitors in flow mode, the Overview's tiles; and, on a warehouse without GA4 or Search Console data,
each section naming the export to load instead of an empty chart."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest

from etl.config import config_dir
from reports.digest import build
from reports.render import render
from tests.test_pages import captions, tiles
from ui.data import settings
from ui.drill import Link, params_for

OCTOBER = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}


def brand_config(tmp_path, monkeypatch, terms: str):
    """The repo's config with `[web] brand_terms = <terms>` (the settings cache cleared around it)."""
    folder = tmp_path / "config"
    shutil.copytree(config_dir(), folder)
    toml = folder / "revline.toml"
    text, n = re.subn(r"(?m)^brand_terms = .*$", f"brand_terms = {terms}", toml.read_text(encoding="utf-8"))
    assert n == 1
    toml.write_text(text, encoding="utf-8")
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(folder))
    settings.clear()
    return folder


@pytest.fixture
def acme_config(tmp_path, monkeypatch):
    yield brand_config(tmp_path, monkeypatch, '["acme"]')
    settings.clear()


@pytest.fixture
def no_brand_config(tmp_path, monkeypatch):
    yield brand_config(tmp_path, monkeypatch, "[]")
    settings.clear()


def charts(at) -> dict[str, dict]:
    """Chart title -> its plotly spec."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"]: s for s in specs}


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_marketing_traffic_landing_pages_and_search_sections(web_db, app, acme_config):
    at = app(web_db, "marketing", **OCTOBER)
    assert {"Traffic", "Landing pages", "Search"} <= set(subheaders(at))
    drawn = charts(at)
    sessions = drawn["Sessions per week"]
    # the week of Sep 28 holds Oct 1-3 (Oct 1 and 2 by channel group, Oct 3 by source / medium):
    # organic search 50 + 30 = 80 sessions
    organic = {(x, y) for t in sessions["data"] if t.get("legendgroup") == "Organic search"  # partial weeks: a dotted trace
               for x, y in zip(t["x"], t["y"], strict=True) if y is not None}
    assert organic == {("2026-09-28", 80)}
    assert "Visitor → lead rate per week" in drawn
    assert {"Brand and non-brand search clicks", "Brand search impressions"} <= set(drawn)
    clicks = {t["name"]: t["y"] for t in drawn["Brand and non-brand search clicks"]["data"]}
    # "acme" 9 + "ACME pricing" 4 = 13 brand; crm dashboard 5 + sales analytics 3 + akme login 2 = 10
    assert (sum(clicks["Brand search clicks"]), sum(clicks["Non-brand search clicks"])) == (13, 10)
    # "acme" 100 + "ACME pricing" 30 brand impressions in the Oct 1-3 export
    assert drawn["Brand search impressions"]["data"][0]["y"] == [130]
    tables = [el.value for el in at.dataframe]
    landing = next(df for df in tables if "landing_page" in df.columns)
    # [web] min_landing_sessions = 100: only / (140 sessions) is ranked; /pricing (50) and (not set) (10) below
    assert list(landing["landing_page"]) == ["/"]
    assert any("at least 100 sessions" in c and "min_landing_sessions" in c for c in captions(at))
    assert any(e.label.startswith("2 pages with fewer than 100 sessions") for e in at.expander)
    queries = next(df for df in tables if "search_query" in df.columns)
    assert list(queries["search_query"])[:3] == ["acme", "crm dashboard", "ACME pricing"]
    assert list(queries["is_brand"])[:3] == [True, False, True]


def test_sections_without_ga4_or_search_console_name_the_export_to_load(revenue_db, app):
    at = app(revenue_db, "marketing", **OCTOBER)
    said = " ".join(i.value for i in at.info)
    for export in ("Traffic acquisition", "Landing page", "Search Console"):
        assert export in said, export
    assert not {"Sessions per week", "Brand and non-brand search clicks"} & set(charts(at))  # no empty charts


def test_search_without_brand_terms_says_how_to_set_them(web_db, app, no_brand_config):
    at = app(web_db, "marketing", **OCTOBER)
    assert any("[web] brand_terms" in i.value for i in at.info)
    assert "Brand and non-brand search clicks" not in charts(at)


def test_the_flow_funnel_starts_at_visitors_and_the_cohort_funnel_says_why_not(web_db, app):
    flow = app(web_db, "funnel", fn_mode="flow", **OCTOBER)
    table = flow.dataframe[0].value
    # GA4 sessions in October: 230 (tests/test_kpi_web.py), then the 6 leads created
    assert (table["stage"][0], table["records"][0]) == ("Visitors", 230)
    assert table["stage"][1] == "Lead"
    assert any(c.startswith("Visitors: GA4 sessions in the range") for c in captions(flow))
    funnel = charts(flow)["Funnel (flow): entered in range"]
    assert funnel["data"][0]["y"][0] == "Visitors"
    cohort = app(web_db, "funnel", **OCTOBER)
    assert cohort.dataframe[0].value["stage"][0] == "Lead"
    assert any(c.startswith("Cohort mode starts at leads") for c in captions(cohort))


def test_the_overview_shows_sessions_and_the_visitor_to_lead_rate(web_db, app):
    at = app(web_db, "overview", **OCTOBER)
    shown = tiles(at)
    # October: 6 leads / 230 sessions = 2.6 %
    assert shown["Sessions"] == "230"
    assert shown["Visitor → lead rate"].startswith("2.6"), shown


def test_the_marketing_digest_carries_sessions_and_the_visitor_to_lead_rate(web_db):
    d = build(web_db, "marketing", date(2026, 10, 1), date(2026, 10, 31), today=date(2026, 12, 3))
    html = render(d)
    m = d.summary["metrics"]
    # October: 230 GA4 sessions, 6 CRM leads -> 6 / 230
    assert m["sessions"]["value"] == 230 and m["visitor_to_lead_rate"]["value"] == pytest.approx(6 / 230)
    for label in ("Sessions", "Visitor → lead rate", "Brand search clicks"):
        assert label in html, label
    assert "230" in html and "2.6%" in html


def test_a_funnel_row_without_records_behind_it_offers_no_list():
    """The flow funnel's visitors are GA4 sessions: no CRM record is behind them, so selecting that row
    links to no Records list (a `stage=visitor` list would fall back to another stage's leads)."""
    link = Link("leads", "funnel/stages", {"mode": "flow"}, {"stage": "stage"})
    assert params_for(link, {"stage": "visitor"}, {}) is None
    assert params_for(link, {"stage": "mql"}, {})["stage"] == "mql"  # a CRM stage still lists its leads


def test_brand_terms_that_match_no_query_are_said_not_drawn_as_zero(web_db, app, tmp_path, monkeypatch):
    brand_config(tmp_path, monkeypatch, '["globex"]')  # a term no listed query holds
    try:
        at = app(web_db, "marketing", **OCTOBER)
    finally:
        settings.clear()
    assert any("No listed search query contains a brand term (globex)" in w.value for w in at.warning)
    assert "Brand and non-brand search clicks" not in charts(at)
