"""Table highlighting against target or benchmark (ui/highlight.py, rules in ui/columns.py
BENCHMARKS): cells coloured through a pandas Styler while every column keeps its catalogue format and
numeric values, the same judgement in words in a "Vs target" column, a caption saying what the
colours mean."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

GOOD, BAD = "#D5E8F5", "#FAD9C2"


def _campaigns() -> None:
    import polars as pl

    from ui.format import table

    # CPL median of 10, 10, 20, 5 = 10: 20 > 12.5 (median + 25 %) is worse, 5 < 8 (median / 1.25) better;
    # revenue ROAS 0.5 < 1 is worse; NULLs are not judged
    table(pl.DataFrame({"campaign": ["A", "B", "C", "D"], "platform": ["meta"] * 4, "spend": [100.0] * 4,
                        "leads": [10, 10, 5, 20], "sqls": [1, 2, 1, 0], "cpl": [10.0, 10.0, 20.0, 5.0],
                        "cost_per_sql": [100.0, 50.0, 100.0, None], "ctr": [0.01] * 4,
                        "revenue_roas": [2.0, 0.5, None, 1.0]}), "campaigns", "campaigns")  # fmt: skip


def _cells(el) -> dict[tuple[int, str], str]:
    """(row, column) -> background colour, from the Styler's CSS sent with the table."""
    out = {}
    for selectors, colour in re.findall(r"([^{}]+)\{\s*background-color:\s*(#\w+)", el.proto.arrow_data.styler.styles):
        for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
            out[(int(row), el.value.columns[int(col)])] = colour
    return out


def test_campaign_cells_vs_median_and_roas_keep_their_formats():
    at = AppTest.from_function(_campaigns).run()
    assert not at.exception
    el = at.dataframe[0]
    df = el.value
    assert list(df["campaign"]) == ["C", "A", "B", "D"]  # still sorted worst CPL first
    assert str(df["cpl"].dtype) == "float64" and str(df["revenue_roas"].dtype) == "float64"  # numbers underneath
    configs = json.loads(el.proto.columns)
    assert configs["cpl"]["type_config"]["format"] == "$%,.0f" and configs["revenue_roas"]["type_config"]["format"] == "%.2fx"
    assert configs["flags"]["label"] == "Vs target"
    cells = _cells(el)
    # cost per SQL, sorted rows C, A, B, D: 100, 100, 50, NULL; median 100, so B's 50 < 80 is better
    assert cells == {(0, "cpl"): BAD, (3, "cpl"): GOOD, (2, "revenue_roas"): BAD, (2, "cost_per_sql"): GOOD}
    assert list(df["flags"].fillna("")) == ["▼ CPL > median", "", "▲ Cost per SQL < median · ▼ Revenue ROAS < 1x",
                                 "▲ CPL < median"]
    assert list(df.columns)[:2] == ["campaign", "flags"]  # the words next to the name
    legend = [c.value for c in at.caption]
    assert any(c.startswith("Blue ▲: at or better than target or benchmark; orange ▼: worse") for c in legend)
    assert any("CPL vs the table's median ±25 %" in c and "Revenue ROAS below 1x" in c for c in legend)


def _reps() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"rep": ["Ann", "Bo", "Cy"], "mqls": [10, 10, 10], "breached": [0, 2, 1],
                        "compliance": [0.95, 0.8, 0.9]}), "speed-to-lead", "sla")  # fmt: skip


def test_sla_compliance_vs_the_configured_target():
    """config/revline.toml [kpi] sla_target = 0.9: 95 % and 90 % meet it, 80 % does not."""
    at = AppTest.from_function(_reps).run()
    el = at.dataframe[0]
    assert list(el.value["rep"]) == ["Bo", "Cy", "Ann"]  # most breaches first, as before
    assert _cells(el) == {(0, "compliance"): BAD, (1, "compliance"): GOOD, (2, "compliance"): GOOD}
    assert list(el.value["flags"]) == ["▼ SLA compliance < 90%", "▲ SLA compliance ≥ 90%", "▲ SLA compliance ≥ 90%"]
    assert json.loads(el.proto.columns)["compliance"]["type_config"]["format"] == "percent"


def _plain() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"stage": ["Won"], "amount": [1.0]}), "open-pipeline", "pipe")


def test_a_table_without_rules_is_drawn_as_before():
    at = AppTest.from_function(_plain).run()
    el = at.dataframe[0]
    assert list(el.value.columns) == ["stage", "amount"] and not el.proto.arrow_data.styler.styles
    assert not at.caption
