"""Filters (issue 16 point 4): multi-select dimension filters that cascade, impossible choices dropped
with a note (never a blank page), every value and page control in the URL, and each page drawing only
the filters it uses. Golden values of the October fixture warehouse (tests/kpi_fixtures.py)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from queries.pages import NAMES
from queries.registry import DIMENSIONS, format_value, metric
from queries.selection import options, settle, split_values

OCTOBER = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}
SIDEBAR = {"f_range", "f_compare", *(f"f_{d}" for d in DIMENSIONS)}


@pytest.fixture
def app(app):
    """The shared `app` factory (tests/conftest.py), in October 2026 unless the URL says otherwise."""
    return lambda db, page=None, **params: app(db, page, **{**OCTOBER, **params})


def chosen(at: AppTest) -> dict[str, list[str]]:
    return {m.key: sorted(m.value) for m in at.multiselect if m.key in SIDEBAR}


def offered(at: AppTest) -> dict[str, list[str]]:
    """The options each multi-select offers, as shown (platforms and channels by name)."""
    return {m.key: list(m.options) for m in at.multiselect if m.key in SIDEBAR}


def notes(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def tile(at: AppTest, name: str) -> str:
    return {m.label: m.value for m in at.metric}[metric(name).label]


# --- the rules, without the app ---

# rows that occur together: (channel, platform, campaign, owner)
COMBOS = pl.DataFrame(
    [("paid_social", "meta", "M1", None), ("paid_social", "meta", "M1", "Ann"), ("paid_social", "meta", "M2", None),
     ("paid_search", "google_ads", "G1", "Bob"), ("organic", None, None, "Bob")],
    schema=["channel", "platform", "campaign", "owner"], orient="row",
)  # fmt: skip


def test_options_are_what_occurs_with_the_other_choices():
    assert options(COMBOS, {}, "campaign") == ["G1", "M1", "M2"]
    assert options(COMBOS, {"platform": ("meta",)}, "campaign") == ["M1", "M2"]
    assert options(COMBOS, {"platform": ("meta",), "campaign": ("G1",)}, "campaign") == ["M1", "M2"]  # not its own
    assert options(COMBOS, {"owner": ("Bob",)}, "channel") == ["organic", "paid_search"]
    assert options(COMBOS, {"platform": ("meta", "google_ads")}, "owner") == ["Ann", "Bob"]


def test_settle_drops_the_impossible_lowest_priority_first():
    # platform meta with a Google campaign: the campaign (after platform in the registry) goes
    out, dropped = settle(COMBOS, {"platform": ("meta",), "campaign": ("G1",)})
    assert out == {"channel": None, "platform": ("meta",), "campaign": None, "owner": None}
    assert dropped == [("campaign", ("G1",))]
    # the filter just changed wins: campaign G1 picked, so platform meta goes
    out, dropped = settle(COMBOS, {"platform": ("meta",), "campaign": ("G1",)}, ["campaign"])
    assert out["campaign"] == ("G1",) and out["platform"] is None and dropped == [("platform", ("meta",))]
    # a value with no data beside the others' choices goes; the rest stay
    out, dropped = settle(COMBOS, {"platform": ("meta", "google_ads"), "campaign": ("G1",)})
    assert out["platform"] == ("google_ads",) and out["campaign"] == ("G1",) and dropped == [("platform", ("meta",))]
    # possible choices are kept as they are
    ok = {"channel": ("paid_social",), "platform": ("meta",), "campaign": ("M1", "M2"), "owner": None}
    assert settle(COMBOS, ok) == (ok, [])


def test_values_repeated_or_comma_separated_and_names_with_commas_stay_whole():
    known = ["Q1, US", "Q1", "US", "meta", "google_ads"]
    assert split_values(["meta,google_ads"], known) == ["meta", "google_ads"]
    assert split_values(["meta", "google_ads", "meta"], known) == ["meta", "google_ads"]
    assert split_values(["Q1, US"], known) == ["Q1, US"]  # a known name is never split
    assert split_values(["Q1,US"], known) == ["Q1", "US"]
    assert split_values(["nope, either"], known) == ["nope", "either"]  # unknown: the caller says so


def test_a_one_value_list_is_the_old_single_value(revenue_db):
    """`in_selection(platform, $platform)` with ['meta'] is what `platform = 'meta'` was: the golden
    Meta spend (100 + 200 + 50 = 350); NULL is everything (350 + Google's 1,000); two values add up."""
    from queries.runner import run

    args = {"start_date": "2026-10-01", "end_date": "2026-10-31", "grain": "total", "by": "total", "channel": None,
            "campaign": None}  # fmt: skip

    def spend(platform):
        return float(run("paid_media/performance", db=revenue_db, **args, platform=platform)["spend"][0])

    assert spend(["meta"]) == spend("meta") == 350.0 and spend(["google_ads"]) == 1000.0
    assert spend(None) == spend(["meta", "google_ads"]) == 1350.0


# --- the sidebar: cascade, notes, URL ---


def test_filters_cascade_from_a_link(revenue_db, app):
    """tests/kpi_fixtures.py October: Meta's campaigns are Spring Sale and No Leads Campaign, its only
    channel paid_social, and only Dana Whitfield owns leads from it."""
    at = app(revenue_db, platform="meta")
    assert chosen(at)["f_platform"] == ["meta"]
    got = offered(at)
    assert got["f_campaign"] == ["No Leads Campaign", "Spring Sale"] and got["f_channel"] == ["Paid social"]
    assert got["f_owner"] == ["Dana Whitfield"] and got["f_platform"] == ["Google Ads", "Meta"]  # not its own
    assert tile(at, "spend") == "$350"  # 100 + 200 + 50


def test_an_impossible_link_drops_the_choice_with_a_note(revenue_db, app):
    """Platform Meta with a Google campaign was a blank page: the campaign is dropped, said, and the
    page shows Meta's numbers as a link naming Meta alone does."""
    at = app(revenue_db, platform="meta", campaign="Brand Search")
    assert "Dropped campaign `Brand Search`: no data with platform `meta`." in notes(at)
    assert chosen(at)["f_campaign"] == [] and "campaign" not in at.query_params
    alone = app(revenue_db, platform="meta")
    assert {m.label: m.value for m in at.metric} == {m.label: m.value for m in alone.metric}


def test_changing_a_filter_drops_what_it_made_impossible(revenue_db, app):
    at = app(revenue_db, platform=["meta", "google_ads"])
    assert chosen(at)["f_platform"] == ["google_ads", "meta"] and tile(at, "spend") == "$1.4k"  # 350 + 1,000
    assert sorted(at.query_params["platform"]) == ["google_ads", "meta"]
    at.multiselect(key="f_campaign").select("Brand Search").run()  # a Google campaign
    assert "Dropped platform `meta`: no data with campaign `Brand Search`." in notes(at)
    assert chosen(at)["f_platform"] == ["google_ads"] and at.query_params["platform"] == "google_ads"
    # two platforms and a campaign of each; dropping Google drops its campaign: Spring Sale's 300 is left
    at = app(revenue_db, platform=["meta", "google_ads"], campaign=["Spring Sale", "Brand Search"])
    assert chosen(at)["f_campaign"] == ["Brand Search", "Spring Sale"] and tile(at, "spend") == "$1.3k"  # 300 + 1,000
    at.multiselect(key="f_platform").unselect("google_ads").run()
    assert "Dropped campaign `Brand Search`: no data with platform `meta`." in notes(at)
    assert chosen(at) == {"f_channel": [], "f_platform": ["meta"], "f_campaign": ["Spring Sale"], "f_owner": []}
    assert tile(at, "spend") == "$300" and at.query_params["campaign"] == "Spring Sale"


def test_unknown_link_values_fall_back_with_a_note(revenue_db, app):
    at = app(revenue_db, platform=["meta", "myspace"], owner="Nobody", fn_mode="flow")
    said = notes(at)
    assert "The link's platform `myspace` is not one of the choices: showing the others." in said
    assert "The link's owner `Nobody` is not one of the choices: showing all." in said
    assert not any("Ignored" in n for n in said)  # fn_mode is a page control, not an unknown key
    assert chosen(at)["f_platform"] == ["meta"] and at.query_params["platform"] == "meta"


def test_hidden_filters_are_kept_across_pages(revenue_db, app):
    at = app(revenue_db, platform="meta", compare="yoy")
    at.switch_page("pages/data.py").run()
    assert not at.exception and not chosen(at)
    assert at.query_params["platform"] == "meta" and at.query_params["compare"] == "yoy"
    at.switch_page("pages/funnel.py").run()  # dimensions, no comparison
    assert chosen(at)["f_platform"] == ["meta"] and "f_compare" not in {s.key for s in at.selectbox}
    at.switch_page("pages/overview.py").run()
    assert chosen(at)["f_platform"] == ["meta"] and at.selectbox(key="f_compare").value == "yoy"


@pytest.mark.parametrize("page", NAMES)
def test_each_page_draws_only_the_filters_it_uses(page, revenue_db, app):
    from queries.pages import page as catalogue_page

    at = app(revenue_db, page)
    drawn = {w.key for w in [*at.selectbox, *at.multiselect]} & SIDEBAR
    expected = {"overview": SIDEBAR, "marketing": SIDEBAR, "sales": SIDEBAR, "handoff": SIDEBAR,
                "funnel": SIDEBAR - {"f_compare"}, "records": SIDEBAR - {"f_compare"}, "data": set(), "revenue": SIDEBAR,
                "definitions": set()}[page]  # fmt: skip
    assert drawn == expected
    assert {"f_range" if f == "dates" else f"f_{f}" for f in catalogue_page(page).filters} == expected


def test_a_page_declares_the_filters_its_numbers_take():
    """A page's dimension filters are those its tiles' metrics and its queries take (the catalogue's
    list of each page's queries); dates where it has queries, the comparison where it has tiles."""
    from queries.pages import PAGES
    from queries.runner import parameters

    for p in PAGES:
        queries = [q for q, _ in p.queries if not q.startswith("data/")]
        taken = {d for q in queries for d in DIMENSIONS if d in parameters(q)}
        taken |= {d for t in p.tiles for d in metric(t).dimensions}
        dated = bool(queries or p.tiles)
        assert set(p.filters) == taken | ({"dates"} if dated else set()) | ({"compare"} if p.tiles else set()), p.name


# --- page controls in the URL ---


def test_page_controls_come_from_and_go_to_the_url(revenue_db, app):
    at = app(revenue_db, "funnel", fn_mode="flow", fn_stage="customer")
    assert at.segmented_control(key="fn_mode").value == "flow" and at.selectbox(key="fn_stage").value == "customer"
    assert any("Funnel (flow)" in c.proto.spec for c in at.get("plotly_chart"))  # the page read the mode
    at.segmented_control(key="fn_mode").set_value("cohort").run()  # the default: off the URL
    assert "fn_mode" not in at.query_params and at.query_params["fn_stage"] == "customer"
    at.selectbox(key="fn_stage").set_value("opportunity").run()
    assert at.query_params["fn_stage"] == "opportunity"
    at = app(revenue_db, "definitions", def_team="sales")
    assert set(at.dataframe[0].value["team"]) == {"Sales"}  # the team's label (queries/values.py)


def test_all_columns_switches_come_from_and_go_to_the_url(revenue_db, app):
    at = app(revenue_db, "sales", wide="reps")  # the per-rep table wide, from a link
    assert at.toggle(key="all_reps").value and not [n for n in notes(at) if "The link" in n]  # taken as given
    shown = at.dataframe[0].proto.column_order
    assert not shown  # no column order: every column
    at.toggle(key="all_reps").set_value(False).run()
    assert "wide" not in at.query_params and at.dataframe[0].proto.column_order  # main columns only
    at.toggle(key="all_reps").set_value(True).run()
    assert at.query_params["wide"] in ("reps", ["reps"])  # AppTest keeps the last value or the list


def test_hostile_page_control_values_fall_back_with_a_note(revenue_db, app):
    at = app(revenue_db, "funnel", fn_mode="<script>", fn_stage="lead")  # lead: not a choice
    said = notes(at)
    assert "The link's fn_mode `<script>` is not one of the choices: showing cohort." in said
    assert "The link's fn_stage `lead` is not one of the choices: showing sql." in said
    assert at.segmented_control(key="fn_mode").value == "cohort" and "fn_mode" not in at.query_params


def test_marketing_campaigns_follow_the_sidebar_platform(revenue_db, app):
    at = app(revenue_db, "marketing", platform="google_ads")
    assert "mk_platform" not in {s.key for s in at.selectbox}
    assert any(s.value == "Campaigns on Google Ads" for s in at.subheader)
    campaigns = next(d.value for d in at.dataframe if "campaign" in d.value.columns)
    assert list(campaigns["campaign"]) == ["Brand Search"]


# --- campaign names with commas: repeated URL parameters, repeated or comma-separated CLI values ---


@pytest.fixture(scope="module")
def comma_db(tmp_path_factory):
    """Meta spend on Oct 5 for three campaigns: "Q1, US" 100, "Q1" 20 and "US" 3. Splitting the first
    name on its comma would show 23 instead of 100."""
    from tests.kpi_fixtures import META_HEADER, build

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        folder = tmp_path_factory.mktemp("comma")
        meta = folder / "meta.csv"
        meta.write_text(META_HEADER + "\n"
                        '"Q1, US",2026-10-05,111,9001,2026-10-05,2026-10-05,1000,10,100.00,,,\n'
                        "Q1,2026-10-05,222,9001,2026-10-05,2026-10-05,1000,10,20.00,,,\n"
                        "US,2026-10-05,333,9001,2026-10-05,2026-10-05,1000,10,3.00,,,\n", encoding="utf-8")  # fmt: skip
        yield build(folder, [meta])


@pytest.mark.parametrize(("given", "values", "spend"), [
    ("Q1, US", ["Q1, US"], 100.0),  # the name, whole
    (["Q1", "US"], ["Q1", "US"], 23.0),  # repeated: 20 + 3
    ("Q1,US", ["Q1", "US"], 23.0),  # comma-separated names that exist
])  # fmt: skip
def test_campaign_names_with_commas_round_trip(given, values, spend, comma_db, app):
    at = app(comma_db, "marketing", campaign=given)
    assert chosen(at)["f_campaign"] == values
    assert tile(at, "spend") == format_value(metric("spend"), spend)
    url = at.query_params["campaign"]
    assert (sorted(url) if isinstance(url, list) else [url]) == values  # one parameter per value
    again = app(comma_db, "marketing", campaign=at.query_params["campaign"])
    assert chosen(again)["f_campaign"] == values


def summary(db: Path, *args: str) -> dict:
    from queries.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["summary", "--db", str(db), "--start", "2026-10-01", "--end", "2026-10-31", *args]) == 0
    return json.loads(out.getvalue())


def test_summary_command_takes_repeated_or_comma_separated_values(comma_db):
    def spend(*args: str) -> float:
        return summary(comma_db, *args)["metrics"]["spend"]["value"]

    assert spend("--campaign", "Q1, US") == 100.0  # a name with a comma stays whole
    assert spend("--campaign", "Q1", "--campaign", "US") == spend("--campaign", "Q1,US") == 23.0
    assert summary(comma_db, "--campaign", "Q1", "--campaign", "US")["filters"] == {"campaign": ["Q1", "US"]}
    assert spend("--platform", "meta") == spend() == 123.0  # the old single-value form


def test_digest_links_repeat_a_parameter_per_value():
    from datetime import date
    from urllib.parse import parse_qs, urlsplit

    from reports.digest import link

    url = link("https://revline.example", "marketing", date(2026, 10, 1), date(2026, 10, 31), "previous",
               campaign=["Q1, US", "Q1"], owner="Ann")  # fmt: skip
    query = parse_qs(urlsplit(url).query)
    assert query["campaign"] == ["Q1", "Q1, US"] and query["owner"] == ["Ann"] and query["range"] == ["custom"]


# --- the mart the cascade reads ---


def test_filter_combos_golden(revenue_db):
    """tests/kpi_fixtures.py October, row by row: ad spend has no owner; leads L1/L2 (Meta Spring
    Sale, Dana), L3 (Google Brand Search, Tom), L4 (organic, Tom); deals 501/502 are L1's and L3's
    (the same rows), 503 and 504 have no lead (channel other, their own owners)."""
    from queries.runner import run

    rows = set(run("filters/combos", db=revenue_db).iter_rows())
    assert rows == {
        ("paid_social", "meta", "Spring Sale", None), ("paid_social", "meta", "No Leads Campaign", None),
        ("paid_search", "google_ads", "Brand Search", None),  # ad spend
        ("paid_social", "meta", "Spring Sale", "Dana Whitfield"), ("paid_search", "google_ads", "Brand Search", "Tom Becker"),
        ("organic_search", None, None, "Tom Becker"),  # leads (and deals 501, 502)
        ("other", None, None, "Dana Whitfield"), ("other", None, None, "Tom Becker"),  # deals 503, 504
    }  # fmt: skip


def test_a_warehouse_without_the_combos_asks_for_a_rebuild(revenue_db, tmp_path):
    import shutil

    import duckdb

    from queries.connection import missing_models

    db = tmp_path / "old.duckdb"
    shutil.copy(revenue_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("drop table mart_filter_combos")
    assert missing_models(db) == ["mart_filter_combos"]  # app.py and the commands say `python -m etl rebuild`
