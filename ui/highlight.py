"""Table cells judged against a target or a benchmark, in colour and with ▲/▼ in the cell.

The rules live in the column catalogue (queries/columns.py BENCHMARKS): quota attainment vs 100 % and
pace, SLA compliance vs `[kpi] sla_target`, CPL and cost per SQL vs the table's median, ROAS below
1. `ui.format.table` calls `highlight()`, which hands st.dataframe a pandas Styler: judged cells get
a light background, and the judged columns show the Styler's text, the catalogue's own format with
▲ or ▼ in front ("▼ $239"), so colour is never the only signal (colour-blind safe). The grid shows a
Styler's text only in a column without a format, so those columns' format moves from the column
config into that text; every other column keeps its config format, and all values stay numbers
(sorted as numbers, downloaded as numbers). docs/decisions/0086-highlighting-uses-a-styler-not-a-status-column.md.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from queries.columns import BENCHMARKS, Benchmark, column_label
from queries.settings import load_settings

MARGIN = 0.25  # vs the median: worse by more than 25 % is marked, better by more than 20 % (1/1.25) too
MIN_ROWS = 3  # a median of one or two rows is no benchmark
COLOURS = {"good": "#D5E8F5", "bad": "#FAD9C2"}  # light tints of Okabe-Ito blue and orange
SYMBOL = {"good": "▲", "bad": "▼"}
LEGEND = "Blue ▲: at or better than target or benchmark; orange ▼: worse ({rules})."
PRINTF = re.compile(r"^(.*?)%(,?)\.(\d+)f(.*)$")  # "$%,.0f", "%.2fx": the column config formats


def judge(rule: Benchmark, value: float | None, row: dict, median: float | None) -> str | None:
    """"good", "bad", or None when there is nothing to say about this cell."""
    if value is None or value != value:
        return None
    if rule.floor is not None:
        return "bad" if value < rule.floor else None
    if rule.median:
        if median is None or median <= 0:
            return None
        high, low = value > median * (1 + MARGIN), value < median / (1 + MARGIN)
        worse, better = (high, low) if rule.better == "down" else (low, high)
        return "bad" if worse else "good" if better else None
    target = getattr(load_settings(), rule.target) if isinstance(rule.target, str) else rule.target
    if target is None:
        return None
    if value >= target if rule.better == "up" else value <= target:
        return "good"
    if rule.pace and (row.get(rule.pace) or 0) >= 1:
        return None  # short of the target but on pace: nothing to flag yet
    return "bad"


def marks(df: pl.DataFrame) -> dict[str, list[str | None]]:
    """Per judged column, each row's "good", "bad" or None."""
    if not any(c in df.columns for c in BENCHMARKS):  # a list of records judges nothing: no dict per row
        return {}  # (168k rows of 17 columns at 1M leads: ~100 MB of Python objects for no mark)
    rows = df.to_dicts()
    out = {}
    for column, rule in BENCHMARKS.items():
        if column not in df.columns or not df.schema[column].is_numeric():
            continue
        values = df[column].cast(pl.Float64).drop_nulls().drop_nans()
        median = float(values.median()) if rule.median and values.len() >= MIN_ROWS else None
        out[column] = [judge(rule, r[column], r, median) for r in rows]
    return out


def rules_text(columns: list[str]) -> str:
    settings = load_settings()
    said = {"quota_attainment": "attainment vs 100 % and the pace expected by now",
            "compliance": f"SLA compliance vs the {settings.sla_target:.0%} target",
            "cpl": "CPL vs the table's median ±25 %", "cost_per_sql": "cost per SQL vs the table's median ±25 %"}  # fmt: skip
    texts = [said.get(c, f"{column_label(c)} below 1x") for c in columns]
    return "; ".join(dict.fromkeys(texts))


def formatted(fmt: str | None, value: Any) -> str:
    """A value as the grid formats it under `fmt` (the column config's format): "$%,.0f" -> $1,234,
    "%.2fx" -> 2.10x, "percent" -> 47.27% (up to two decimals, as the grid's preset)."""
    if value is None or value != value:
        return "–"
    if fmt == "percent":
        return f"{value * 100:,.2f}".rstrip("0").rstrip(".") + "%"
    if fmt and (m := PRINTF.match(fmt)):
        return f"{m[1]}{value:{m[2]}.{m[3]}f}{m[4]}"
    return f"{value:,}"


def highlight(df: pl.DataFrame, configs: dict) -> tuple[Any, dict, str | None]:
    """What st.dataframe draws (the frame, or a Styler when a rule applies), the column configs
    (judged columns without a format: their Styler text carries it) and the caption saying what the
    colours and symbols mean (None when nothing is judged)."""
    judged = {c: m for c, m in marks(df).items() if any(m) and isinstance(configs.get(c), dict)
              and "type_config" in configs[c]}  # fmt: skip
    if not judged:
        return df, configs, None
    data = df.to_pandas()
    css = data.astype(object).map(lambda _: "")
    styler = data.style.format(na_rep="–")
    out = dict(configs)
    for column, ms in judged.items():
        fmt = configs[column]["type_config"].get("format")
        css[column] = [f"background-color: {COLOURS[m]}" if m else "" for m in ms]
        # a formatter sees only the value: the same value has the same judgement in a column (the
        # rules read the value, and pace grows with attainment at one elapsed share)
        text = {v: (f"{SYMBOL[m]} " if m else "") + formatted(fmt, v) for m, v in zip(ms, data[column], strict=True)}
        styler = styler.format(lambda v, t=text, f=fmt: t.get(v, formatted(f, v)), subset=[column])
        out[column] = {**configs[column], "type_config": {**configs[column]["type_config"], "format": None}}
    return styler.apply(lambda _: css, axis=None), out, LEGEND.format(rules=rules_text(list(judged)))
