"""Table highlighting against target or benchmark (ui/highlight.py, rules in ui/columns.py
BENCHMARKS): judged cells coloured through a pandas Styler and marked ▲/▼ in their text, which
carries the column's catalogue format; every other column keeps its config format; values stay
numbers; a caption says what the colours mean."""

from __future__ import annotations

import json
import re

import pyarrow as pa

from ui.columns import config
from ui.highlight import formatted

GOOD, BAD = "#D5E8F5", "#FAD9C2"


def _cells(el) -> dict[tuple[int, str], str]:
    """(row, column) -> background colour, from the Styler's CSS sent with the table."""
    out = {}
    styles = el.proto.arrow_data.styler.styles
    for selectors, colour in re.findall(r"([^{}]+)\{\s*background-color:\s*(#\w+)", styles):
        for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
            out[(int(row), el.value.columns[int(col)])] = colour
    return out


def _text(el, column: str) -> list[str]:
    """The text the grid shows for a column without a config format: the Styler's display values."""
    shown_values = pa.ipc.open_stream(el.proto.arrow_data.styler.display_values).read_all().to_pandas()
    return list(shown_values[column])


def _campaigns() -> None:
    import polars as pl

    from ui.format import table

    # CPL median of 10, 10, 20, 5 = 10: 20 > 12.5 (median + 25 %) is worse, 5 < 8 (median / 1.25) better;
    # revenue ROAS 0.5 < 1 is worse; NULLs are not judged
    table(pl.DataFrame({"campaign": ["A", "B", "C", "D"], "platform": ["meta"] * 4, "spend": [100.0] * 4,
                        "leads": [10, 10, 5, 20], "sqls": [1, 2, 1, 0], "cpl": [10.0, 10.0, 20.0, 5.0],
                        "cost_per_sql": [100.0, 50.0, 100.0, None], "ctr": [0.01] * 4,
                        "revenue_roas": [2.0, 0.5, None, 1.0]}), "campaigns", "campaigns")  # fmt: skip


def test_campaign_cells_vs_median_and_roas_keep_numbers_and_formats(app):
    at = app(script=_campaigns)
    assert not at.exception
    el = at.dataframe[0]
    df = el.value
    assert list(df["campaign"]) == ["C", "A", "B", "D"]  # still sorted worst CPL first
    assert str(df["cpl"].dtype) == "float64" and str(df["revenue_roas"].dtype) == "float64"  # numbers underneath
    # cost per SQL, sorted rows C, A, B, D: 100, 100, 50, NULL; median 100, so B's 50 < 80 is better
    assert _cells(el) == {(0, "cpl"): BAD, (3, "cpl"): GOOD, (2, "revenue_roas"): BAD, (2, "cost_per_sql"): GOOD}
    # judged columns: the catalogue's format in the text, with the symbol; the config has no format then
    assert _text(el, "cpl") == ["▼ $20", "$10", "$10", "▲ $5"]
    assert _text(el, "cost_per_sql") == ["$100", "$100", "▲ $50", "–"]
    assert _text(el, "revenue_roas") == ["–", "2.00x", "▼ 0.50x", "1.00x"]
    configs = json.loads(el.proto.columns)
    assert configs["cpl"]["label"] == "CPL" and "format" not in configs["cpl"]["type_config"]
    assert configs["ctr"]["type_config"]["format"] == "percent"  # not judged: the grid formats it
    assert configs["spend"]["type_config"]["format"] == "$%,.0f" and configs["campaign"]["pinned"] is True
    from queries.columns import TABLES

    main = [c for c in TABLES["campaigns"].main if c in df.columns]
    assert list(el.proto.column_order) == main  # the catalogue's main columns: highlighting adds none
    legend = [c.value for c in at.caption]
    assert any(c.startswith("Blue ▲: at or better than target or benchmark; orange ▼: worse") for c in legend)
    assert any("CPL vs the table's median ±25 %" in c and "Revenue ROAS below 1x" in c for c in legend)


def test_the_text_is_the_catalogue_format():
    """What the grid would show under each config format (the e2e screenshots show the same)."""
    assert formatted(config("cpl", "USD")["type_config"]["format"], 1234.5) == "$1,234"  # "$%,.0f": no cents
    assert formatted(config("cpc", "EUR")["type_config"]["format"], 0.456) == "€0.46"
    assert formatted(config("platform_roas")["type_config"]["format"], 0.7654) == "0.77x"
    assert formatted("percent", 0.47283) == "47.28%" and formatted("percent", 0.25) == "25%"  # the grid's preset
    assert formatted("percent", None) == "–"


def _reps() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"rep": ["Ann", "Bo", "Cy"], "mqls": [10, 10, 10], "breached": [0, 2, 1],
                        "compliance": [0.95, 0.8, 0.9]}), "speed-to-lead", "sla")  # fmt: skip


def test_sla_compliance_vs_the_configured_target(app):
    """config/revline.toml [kpi] sla_target = 0.9: 95 % and 90 % meet it, 80 % does not."""
    at = app(script=_reps)
    el = at.dataframe[0]
    assert list(el.value["rep"]) == ["Bo", "Cy", "Ann"]  # most breaches first, as before
    assert _cells(el) == {(0, "compliance"): BAD, (1, "compliance"): GOOD, (2, "compliance"): GOOD}
    assert _text(el, "compliance") == ["▼ 80%", "▲ 90%", "▲ 95%"]
    assert any("SLA compliance vs the 90% target" in c.value for c in at.caption)


def _quotas() -> None:
    import polars as pl

    from ui.format import table

    # 22 of 30 days passed (73 %): 120 % met the quota, 80 % is on pace (80 / 73 = 109 %), 50 % is behind
    table(pl.DataFrame({"rep": ["a", "b", "c"], "quota": [1000.0] * 3, "won_amount": [1200.0, 800.0, 500.0],
                        "quota_attainment": [1.2, 0.8, 0.5], "quota_pace": [1.2 * 30 / 22, 0.8 * 30 / 22, 0.5 * 30 / 22],
                        "elapsed_share": [22 / 30] * 3}), "sales-quotas", "quotas")  # fmt: skip


def test_quota_attainment_vs_100_percent_and_pace(app):
    el = app(script=_quotas).dataframe[0]
    assert _cells(el) == {(0, "quota_attainment"): GOOD, (2, "quota_attainment"): BAD}
    assert _text(el, "quota_attainment") == ["▲ 120%", "80%", "▼ 50%"]
    assert "elapsed_share" not in el.value.columns  # the same for every rep: dropped from the table


def _plain() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"stage": ["Won"], "amount": [1.0]}), "open-pipeline", "pipe")


def test_a_table_without_rules_is_drawn_as_before(app):
    at = app(script=_plain)
    el = at.dataframe[0]
    assert list(el.value.columns) == ["stage", "amount"] and not el.proto.arrow_data.styler.styles
    assert not at.caption
