"""Charts read like a BI tool's (issue 16 point 2), checked on the figures each page sends to the
browser from the demo warehouse: titled axes with units, human labels, funnel order, one colour per
platform and channel on every page, SLA in %, and a message (not empty axes) for a range with no data.

Every cartesian axis gets a title, category axes included ("Stage", "Rep", "Channel"): the rule is
simpler to keep than a list of self-evident exceptions. Heatmap colour bars and legends are not axes."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from queries.pages import DASHBOARDS
from queries.values import STAGES, channel_colors, platform_colors
from ui.charts import OKABE_ITO, bar, line, series_label

REPO = Path(__file__).resolve().parent.parent
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
STAGE_LABELS = [series_label(s) for s in STAGES]


@pytest.fixture(scope="module")
def demo_db(demo_warehouse):
    return demo_warehouse[1]


@pytest.fixture(scope="module")
def figures(demo_db, app_once) -> dict[str, dict[str, dict]]:
    """Each page's figures (by chart key) as the browser gets them, for the demo's default range."""
    app_once(demo_db, timeout=180)  # st.navigation once (test_security)
    out = {}
    for page in DASHBOARDS:
        at = app_once(demo_db, page, timeout=180)
        out[page] = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
        assert out[page], page
    return out


def axes(fig: dict) -> list[tuple[str, dict]]:
    layout = fig["layout"]
    return [(k, v) for k, v in layout.items() if re.fullmatch(r"[xy]axis\d*", k) and v.get("visible", True)]


def titled(spec: dict) -> str:
    return (spec.get("title") or {}).get("text") or ""


def test_every_axis_has_a_title(figures):
    for page, figs in figures.items():
        for key, fig in figs.items():
            found = axes(fig)
            assert found, (page, key)
            for name, spec in found:
                assert titled(spec).strip(), (page, key, name)


def test_no_snake_case_in_legends_axis_titles_or_chart_titles(figures):
    for page, figs in figures.items():
        for key, fig in figs.items():
            names = [t.get("name") or "" for t in fig["data"] if t.get("showlegend", True)]
            texts = [*names, *(titled(spec) for _, spec in axes(fig)), (fig["layout"].get("title") or {}).get("text", "")]
            for text in texts:
                assert not SNAKE.search(text), (page, key, text)


def test_funnel_stages_in_funnel_order(figures):
    seen = 0
    for page, figs in figures.items():
        for key, fig in figs.items():
            for trace in fig["data"]:
                cats = trace.get("y") if trace.get("type") == "funnel" or trace.get("orientation") == "h" else trace.get("x")
                if cats and set(cats) <= set(STAGE_LABELS):
                    ordered = [s for s in STAGE_LABELS if s in cats]
                    layout_order = fig["layout"].get("xaxis", {}).get("categoryarray")
                    assert list(dict.fromkeys(cats)) == ordered or layout_order == ordered, (page, key, cats)
                    seen += 1
    assert seen >= 3  # both funnels and the by-channel bars


def test_same_platform_and_channel_same_colour_on_every_page(figures):
    colours: dict[str, set[str]] = {}
    for figs in figures.values():
        for fig in figs.values():
            for t in fig["data"]:
                colour = (t.get("marker") or {}).get("color") or (t.get("line") or {}).get("color")
                if isinstance(colour, str) and t.get("name"):
                    colours.setdefault(t["name"], set()).add(colour)
    platforms, channels = platform_colors(), channel_colors()  # config/channels.toml
    for raw, expected in {**platforms, **channels}.items():
        if series_label(raw) in colours:
            assert colours[series_label(raw)] == {expected}, (raw, colours[series_label(raw)])
    assert {"Meta", "Google Ads"} <= set(colours)  # the demo has platforms in charts
    assert len(set(platforms.values())) == len(platforms)  # Meta and LinkedIn are not two blues
    assert len(set(channels.values())) == len(channels)
    assert set(platforms.values()) <= set(OKABE_ITO.values())  # colour-blind-safe


def test_sla_axes_are_in_percent(figures):
    handoff = figures["handoff"]
    sla = [f for f in handoff.values() if "SLA" in titled(f["layout"].get("xaxis", {}))]
    assert len(sla) == 2  # by rep and by channel
    for fig in sla:
        x = fig["layout"]["xaxis"]
        assert x["tickformat"] == ".0%" and x["range"] == [0, 1.05] and "(%)" in titled(x)
    heat = next(f for f in handoff.values() if f["data"][0]["type"] == "heatmap")
    assert "America/New_York" in titled(heat["layout"]["xaxis"]) and titled(heat["layout"]["yaxis"]) == "Weekday"
    assert "MQLs" in heat["data"][0]["hovertemplate"] and heat["data"][0]["colorbar"]["tickformat"] == ".0%"


def test_money_axes_name_the_currency(figures):
    money = figures["overview"]
    fig = next(f for f in money.values() if "Revenue" in (f["layout"]["title"]["text"]))
    assert titled(fig["layout"]["yaxis"]) == "Amount (USD)"
    assert {t["name"] for t in fig["data"] if t.get("showlegend", True)} == {"Revenue", "New pipeline"}


def test_a_range_without_data_says_so_instead_of_empty_axes(demo_db, app):
    app(demo_db, timeout=180)
    for page in ["overview", "marketing", "funnel", "handoff"]:
        at = app(demo_db, page, timeout=180, range="custom", start="2001-01-01", end="2001-01-31")
        assert not at.get("plotly_chart"), page  # no empty axes
        assert any("No " in i.value for i in at.info), (page, [i.value for i in at.info])


def test_line_labels_series_and_keeps_colours_and_partial_dots():
    from datetime import date

    df = pl.DataFrame({"period": [date(2026, 10, 5), date(2026, 10, 12)] * 2, "value": [1.0, 2.0, 3.0, 4.0],
                       "platform": ["google_ads", "google_ads", "linkedin", "linkedin"]})  # fmt: skip
    fig = line(df, "period", "value", "Spend", "platform", fmt="$,.0f")
    assert [t.name for t in fig.data] == ["Google Ads", "LinkedIn"]
    assert [t.line.color for t in fig.data] == [platform_colors()["google_ads"], platform_colors()["linkedin"]]
    assert fig.layout.yaxis.tickformat == "$~s" and fig.layout.xaxis.title.text == "Date"
    fig = bar(pl.DataFrame({"segment": ["<b>Eve</b>"], "compliance": [0.5]}), "segment", "compliance", "By rep",
              fmt=".0%", horizontal=True, full_percent=True)  # fmt: skip
    assert list(fig.data[0].y) == ["&lt;b&gt;Eve&lt;/b&gt;"] and tuple(fig.layout.xaxis.range) == (0, 1.05)


def test_movers_rank_by_business_impact_not_percent():
    from queries.movers import movers, movers_table

    results = {
        # close rate 10.0% -> 1.0%: -90% relative, but -9.0 pp: impact 1 x 0.09 = 0.09
        "close_rate": {"value": 0.01, "comparison": 0.10, "change": -0.9},
        # revenue 100k -> 80k: -20%, a headline top-4 tile: impact 3 x 0.20 = 0.60
        "revenue": {"value": 80_000.0, "comparison": 100_000.0, "change": -0.2},
        # MQLs 100 -> 130: +30%, an Overview tile: impact 2 x 0.30 = 0.60 (ties keep input order after revenue)
        "mqls": {"value": 130.0, "comparison": 100.0, "change": 0.3},
        # CAC payback 2 -> 4 months: +100%, lower is better, not a tile: impact 1 x min(1.0, 1) = 1.0
        "cac_payback_months": {"value": 4.0, "comparison": 2.0, "change": 1.0},
        "win_rate": {"value": None, "comparison": 0.5, "change": None},  # no value: not a mover
    }
    headline = ("revenue", "new_pipeline", "new_customers", "spend", "mqls")
    rows = movers(results, headline)
    assert [r.label for r in rows] == ["CAC payback", "Revenue", "MQLs", "Close rate"]
    assert [round(r.impact, 2) for r in rows] == [1.0, 0.6, 0.6, 0.09]
    assert rows[-1].change == "-9.0 pp" and rows[1].change == "-20.0%"
    assert [(r.up, r.better) for r in rows] == [(True, False), (False, False), (True, True), (False, False)]
    table = movers_table(rows)
    assert ":red[▲ +100.0% (worse)]" in table and ":green[▲ +30.0% (better)]" in table


def test_overview_movers_have_no_checkbox_column(figures, demo_db, app):
    at = app(demo_db, "overview", timeout=180)
    movers = next(m.value for m in at.markdown if m.value.startswith("| Metric | Now | Before | Change |"))
    assert "(better)]" in movers or "(worse)]" in movers
    assert not any("better?" in str(d.value.columns) for d in at.dataframe)


def test_weekly_target_line_is_the_views_segment():
    import plotly.graph_objects as go

    from queries.view import View
    from ui.charts import weekly_target

    targets = pl.DataFrame({"metric": ["revenue", "revenue", "mqls"], "segment": ["all", "Tom Becker", "all"],
                            "target": [91_000.0, 9_100.0, 130.0]})  # fmt: skip
    lines = {}
    for metric, segment in (("revenue", "all"), ("revenue", "Tom Becker"), ("mqls", "all"), ("revenue", None),
                            ("sqls", "all")):  # fmt: skip
        fig = go.Figure()
        weekly_target(fig, targets, 91, metric, segment)
        lines[metric, segment] = [(s.y0, a.text) for s, a in zip(fig.layout.shapes, fig.layout.annotations, strict=True)]
    # target per week = the range's target / its 91 days x 7: 91,000 -> 7,000; 9,100 -> 700; 130 MQLs -> 10
    assert lines["revenue", "all"] == [(7000.0, "Revenue target $7.0k per week")]
    assert lines["revenue", "Tom Becker"] == [(700.0, "Revenue target $700 per week")]
    assert lines["mqls", "all"] == [(10.0, "MQLs target 10 per week")]
    assert lines["revenue", None] == [] and lines["sqls", "all"] == []  # no target fits / none set: no line
    day = date(2026, 10, 1)
    assert View(day, day).target_segment == "all"
    assert View(day, day, dims={"owner": "Tom Becker"}).target_segment == "Tom Becker"
    assert View(day, day, dims={"channel": ["paid_social"]}).target_segment == "paid_social"
    assert View(day, day, dims={"owner": ["Tom Becker", "Dana Whitfield"]}).target_segment is None  # two reps
    assert View(day, day, dims={"owner": "Tom Becker", "channel": "email"}).target_segment is None
    assert View(day, day, dims={"platform": "meta"}).target_segment is None  # targets are not set per platform


def test_drivers_are_the_slices_that_moved_the_same_way_most():
    from queries.movers import drivers

    by_slice = {  # revenue went up overall: 100 -> 160
        ("channel", "paid_search"): {"revenue": {"value": 90.0, "comparison": 40.0}},  # +50
        ("channel", "email"): {"revenue": {"value": 10.0, "comparison": 30.0}},  # -20: moved it the other way
        ("platform", "google_ads"): {"revenue": {"value": 90.0, "comparison": 40.0}},  # the same slice as paid search
        ("owner", "Tom Becker"): {"revenue": {"value": 70.0, "comparison": 50.0}},  # +20
        ("owner", "Dana Whitfield"): {"revenue": {"value": None, "comparison": 5.0}},  # no value: not a driver
        ("owner", "Lena Sorensen"): {"revenue": {"value": 1.0, "comparison": 0.0, "not_split_by": {"x": "y"}}},
    }
    found = drivers("revenue", True, by_slice, limit=3)
    assert [(d["dimension"], d["slice"], d["delta"]) for d in found] == [("channel", "paid_search", 50.0),
                                                                          ("owner", "Tom Becker", 20.0)]
    assert [d["slice"] for d in drivers("revenue", False, by_slice)] == ["email"]  # down: -20
