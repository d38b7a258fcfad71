"""Numbers and tables for people: the registry's formats and safe CSV downloads (colours: ui/charts.py).

Every table is drawn by `table()`, which neutralises formula-like text before the data reaches the
browser: the app's own CSV button and st.dataframe's toolbar (download, copy) then both hand a
spreadsheet text, never a formula. The toolbar's export is also off (.streamlit/config.toml,
`client.disableDataExport`); neutralising here keeps that true under any other config. Labels,
formats, sort and main columns come from the column catalogue (queries/columns.py).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from queries.columns import READABLE, TABLES, Table
from queries.pages import WIDE
from queries.registry import Metric, format_value
from queries.values import value_label
from ui.columns import config
from ui.drill import offer
from ui.highlight import highlight

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"  # "-12.5" in a text column is a number to a spreadsheet, not a formula


def neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with an apostrophe (OWASP CSV
    injection); numeric columns, and text that is a plain signed number, stay as they are."""
    text = [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]
    return df.with_columns(
        [
            pl.when(pl.any_horizontal([pl.col(c).cast(pl.String).str.starts_with(p) for p in FORMULA_PREFIXES])
                    & ~pl.col(c).cast(pl.String).str.contains(PLAIN_NUMBER))
            .then(pl.lit("'") + pl.col(c).cast(pl.String))
            .otherwise(pl.col(c).cast(pl.String))
            .alias(c)
            for c in text
        ]
    )  # fmt: skip


def table(df: pl.DataFrame, name: str, key: str, column_config: dict | None = None, drill=None, **kwargs) -> None:
    """The one way pages draw a table: formulas neutralised on screen, in the toolbar and in its CSV;
    labels, formats, default sort, pinned name column and main columns from the catalogue
    (queries/columns.py); `column_config` overrides a column's catalogue entry. `drill` (a ui.drill.Link):
    a row can be selected and opens the records behind it."""
    if df.is_empty():
        st.caption("Nothing to show for these filters.")
        return
    spec = TABLES.get(name, Table())
    df = df.drop([c for c in spec.drop_constant if c in df.columns and df[c].n_unique() == 1])
    if spec.sort and spec.sort[0] in df.columns:
        df = df.sort(spec.sort[0], descending=spec.sort[1], nulls_last=True)
    raw = df  # the row values a drill links by (before display names)
    df = df.with_columns(pl.col(c).replace({v: value_label(c, v) for v in df[c].drop_nulls().unique()})
                         for c in READABLE if df.schema.get(c) == pl.String)  # codes -> labels: queries/values.py
    safe = neutralise(df)
    configs = {c: config(c) for c in safe.columns} | (column_config or {})
    configs[safe.columns[0]] = {**configs[safe.columns[0]], "pinned": True}  # the name column stays in view
    main = [c for c in spec.main if c in safe.columns]
    if main and len(main) < safe.width and not st.toggle(
            "All columns", value=key in st.query_params.get_all(WIDE), key=f"all_{key}", on_change=_widen, args=(key,)):
        kwargs.setdefault("column_order", main)
    data, configs, legend = highlight(safe, configs)  # cells vs target or benchmark, ▲/▼: ui/highlight.py
    if drill is not None:
        kwargs.update(on_select="rerun", selection_mode="single-row", key=f"df_{key}")
    event = st.dataframe(data, hide_index=True, width="stretch", column_config=configs, placeholder="–", **kwargs)
    if legend:
        st.caption(legend)
    if drill is not None:
        offer(drill, raw, list(event.selection.rows))
    st.download_button(
        "Download CSV", safe.write_csv().encode("utf-8"), file_name=f"{name}.csv",
        mime="text/csv", key=f"dl_{key}",
    )  # fmt: skip


def chart(rows: pl.DataFrame, draw: Callable[[pl.DataFrame], object], key: str, empty: str) -> None:
    """A chart of `rows`, or the one line that says why there is none (never an empty frame)."""
    if rows.is_empty():
        st.caption(empty)
    else:
        st.plotly_chart(draw(rows), key=key)


def _widen(key: str) -> None:
    """Keep a table's "All columns" switch in the URL (`wide`, one value per table), like every control."""
    wide = set(st.query_params.get_all(WIDE)) - {key} | ({key} if st.session_state[f"all_{key}"] else set())
    if wide:
        st.query_params[WIDE] = sorted(wide)
    else:
        st.query_params.pop(WIDE, None)


def fmt(m: Metric, value, currency: str = "USD") -> str:
    return format_value(m, value, currency)
