"""Table cells judged against a target or a benchmark, in colour and in words.

The rules live in the column catalogue (ui/columns.py BENCHMARKS): quota attainment vs 100 % and
pace, SLA compliance vs `[kpi] sla_target`, CPL and cost per SQL vs the table's median, ROAS below
1. `ui.format.table` calls `highlight()`: cells get a light background through a pandas Styler
(st.dataframe keeps each column's st.column_config format: the grid uses a Styler's display text
only for columns without a format, so values stay numbers, sorted and formatted as before), and a
"Vs target" column says the same in words with ▲/▼, so the colour is never the only signal
(colour-blind safe; it also reaches the CSV). DECISIONS.md "Table highlighting".
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from queries.settings import load_settings
from ui.columns import BENCHMARKS, Benchmark, label

MARGIN = 0.25  # vs the median: worse by more than 25 % is marked, better by more than 20 % (1/1.25) too
MIN_ROWS = 3  # a median of one or two rows is no benchmark
COLOURS = {"good": "#D5E8F5", "bad": "#FAD9C2"}  # light tints of Okabe-Ito blue and orange
SYMBOL = {"good": "▲", "bad": "▼"}
LEGEND = ("Blue ▲: at or better than target or benchmark; orange ▼: worse ({rules}). "
          "The Vs target column says which.")  # fmt: skip


def judge(rule: Benchmark, value: float | None, row: dict, median: float | None) -> tuple[str, str] | None:
    """("good" | "bad", why) for one cell, or None when there is nothing to say."""
    if value is None or value != value:
        return None
    if rule.floor is not None:
        return ("bad", f"< {rule.floor:g}x") if value < rule.floor else None
    if rule.median:
        if median is None or median <= 0:
            return None
        worse, better = (value > median * (1 + MARGIN), value < median / (1 + MARGIN))
        if rule.better == "up":
            worse, better = better, worse
        sign = (">", "<") if rule.better == "down" else ("<", ">")
        return ("bad", f"{sign[0]} median") if worse else ("good", f"{sign[1]} median") if better else None
    target = getattr(load_settings(), rule.target) if isinstance(rule.target, str) else rule.target
    if target is None:
        return None
    if value >= target if rule.better == "up" else value <= target:
        return "good", f"{'≥' if rule.better == 'up' else '≤'} {target:.0%}"
    if rule.pace and (row.get(rule.pace) or 0) >= 1:
        return None  # short of the target but on pace: nothing to flag yet
    return "bad", "behind pace" if rule.pace else f"{'<' if rule.better == 'up' else '>'} {target:.0%}"


def marks(df: pl.DataFrame) -> dict[str, list[tuple[str, str] | None]]:
    """Per judged column, each row's (status, why) or None."""
    rows = df.to_dicts()
    out = {}
    for column, rule in BENCHMARKS.items():
        if column not in df.columns:
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
    texts = [said.get(c, f"{label(c)} below 1x") for c in columns]
    return "; ".join(dict.fromkeys(texts))


def highlight(df: pl.DataFrame) -> tuple[pl.DataFrame, Callable | None, str | None]:
    """The frame with a "flags" column after the name column, a function turning it into the Styler
    to draw, and the caption saying what the colours mean; (df, None, None) when no rule applies."""
    judged = {c: m for c, m in marks(df).items() if any(m)}
    if not judged:
        return df, None, None
    words = [
        " · ".join(f"{SYMBOL[m[0]]} {label(c)} {m[1]}" for c, ms in judged.items() if (m := ms[i])) or None
        for i in range(df.height)
    ]
    flagged = df.insert_column(1, pl.Series("flags", words, dtype=pl.String))

    def style(frame: pl.DataFrame):
        data = frame.to_pandas()
        css = data.astype(object).map(lambda _: "")
        for column, ms in judged.items():
            css[column] = [f"background-color: {COLOURS[m[0]]}" if m else "" for m in ms]
        return data.style.apply(lambda _: css, axis=None).format(na_rep="–")

    return flagged, style, LEGEND.format(rules=rules_text(list(judged)))
