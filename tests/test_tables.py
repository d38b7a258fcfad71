"""Tables as people read them (issue 16): on every page of the demo warehouse, each table's shown
headers are labels from the column catalogue (ui/columns.py), never snake_case, and values stay
numbers underneath (sortable, downloadable) while the catalogue formats them."""

from __future__ import annotations

import json

import polars as pl
from pandas.api.types import is_object_dtype, is_string_dtype
from streamlit.column_config import NumberColumn

from queries.columns import COLUMNS, TABLES
from queries.pages import NAMES
from tests.test_pages import visit
from tests.test_values import RAW
from ui.columns import config


def shown(el) -> tuple[list[str], dict[str, dict]]:
    """The columns a dataframe element shows (its column_order, else all) and their configs."""
    configs = json.loads(el.proto.columns or "{}")
    order = list(el.proto.column_order) or list(el.value.columns)
    return order, configs


def text_cells(df, columns) -> set[str]:
    """The text cells of `columns` (pandas keeps text as object or as its string dtype)."""
    return {str(v) for c in columns if is_object_dtype(df[c]) or is_string_dtype(df[c]) for v in df[c].dropna()}


def test_every_table_header_is_a_catalogue_label(demo_warehouse, app):
    _e, db, _r = demo_warehouse
    at = app(db, range="custom", start="2026-10-01", end="2026-11-22")
    seen = 0
    for page in NAMES:
        visit(at, page)
        for el in at.dataframe:
            order, configs = shown(el)
            for col in el.value.columns:
                assert col in COLUMNS, (page, col, "add it to queries/columns.py")
                label = configs[col]["label"]
                assert "_" not in label and label.strip(), (page, col, label)
            assert set(order) <= set(el.value.columns), (page, order)
            texts = text_cells(el.value, el.value.columns)
            assert not texts & {"None", "nan", "NaN", "<NA>"}, page  # empty cells are nulls, shown as "–"
            on_screen = text_cells(el.value, order)
            assert not on_screen & RAW, (page, on_screen & RAW)  # code values by their labels (queries/values.py)
            assert el.proto.placeholder == "–", page
            seen += 1
        for chart in at.get("plotly_chart"):  # legends and categories of every chart, too
            data = json.loads(chart.proto.spec)["data"]
            shown_text = {t.get("name") for t in data} | {v for t in data for a in ("x", "y")
                                                         for v in (t.get(a) or []) if isinstance(v, str)}  # fmt: skip
            assert not shown_text & RAW, (page, shown_text & RAW)
    assert seen >= 12  # every page's tables were drawn, not just empty captions


def test_platforms_sorted_worst_cpl_first_with_money_and_percent_formats(demo_warehouse, app):
    _e, db, _r = demo_warehouse
    at = visit(app(db, range="custom", start="2026-10-01", end="2026-11-22"), "marketing")
    el = at.dataframe[0]
    df = pl.from_pandas(el.value)
    cpl = [v for v in df["cpl"].to_list() if v == v and v is not None]
    assert cpl == sorted(cpl, reverse=True) and len(cpl) >= 2  # worst cost per lead first
    assert set(df["platform"]) == {"Google Ads", "Meta", "TikTok", "LinkedIn"}  # names, not ids
    assert df["ctr"].dtype == pl.Float64  # a number underneath, formatted by the grid
    order, configs = shown(el)
    assert order == [c for c in TABLES["platforms"].main]  # secondary columns behind "All columns"
    assert configs["ctr"]["type_config"]["format"] == "percent" and configs["ctr"]["label"] == "CTR"
    assert configs["spend"]["type_config"]["format"] == "$%,.0f"
    assert configs["platform"]["pinned"] is True
    assert el.proto.placeholder == "–"  # an empty cell says so, never None or nan


def test_formats_follow_the_unit_and_the_reporting_currency():
    assert config("cost_per_mql", "EUR")["type_config"]["format"] == "€%,.0f"
    assert config("cpc", "CHF")["type_config"]["format"] == "CHF %,.2f"  # cents where a price is small
    assert config("platform_roas")["type_config"]["format"] == "%.2fx"
    assert config("median_minutes")["type_config"]["format"] == "%,.0f min"
    assert config("sales_cycle_days")["label"] == "Median cycle"
    assert config("won_amount") == NumberColumn("Won amount", format="$%,.0f")


def _one_table() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"segment": ["all", "all"], "stage": ["=cmd()", "Won"], "amount": [None, 9.5],
                        "deals": [1, 2], "forecast_category": ["x", "y"]}), "open-pipeline", "pipe")


def test_the_table_function_drops_a_constant_segment_sorts_and_neutralises(app):
    at = app(script=_one_table)
    df = at.dataframe[0].value
    assert list(df.columns) == ["stage", "amount", "deals", "forecast_category"]  # segment = all: dropped
    assert list(df["stage"]) == ["Won", "'=cmd()"]  # biggest amount first, the empty one last; no formula
    assert json.loads(at.dataframe[0].proto.columns)["stage"]["pinned"] is True


def _wide_table() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"campaign": ["A"], "platform": ["meta"], "spend": [1.0], "cpc": [0.5], "mqls": [3]}),
          "campaigns", "campaigns")


def test_secondary_columns_sit_behind_all_columns(app):
    at = app(script=_wide_table)
    assert list(at.dataframe[0].proto.column_order) == ["campaign", "platform", "spend"]  # the main ones
    at.toggle(key="all_campaigns").set_value(True).run()
    assert list(at.dataframe[0].proto.column_order) == []  # every column
