"""The grid's column configs (st.column_config) built from the column catalogue, queries/columns.py,
where labels, kinds, tables and benchmarks live without streamlit. `ui.format.table` applies them,
so values stay numbers (sortable, downloadable) while the grid shows $1,234, 4.3%, 2.10x, 14 min."""

from __future__ import annotations

import streamlit as st

from queries.columns import CENTS, COLUMNS, PRINTF, column_label
from queries.settings import load_settings
from queries.values import currency_symbol

# long text columns get a fixed width (the full text shows on hover and in the CSV) so tables fit 1280 px
WIDTH = {"definition": "large", "formula": "medium", "raw_line": "medium", "message": "medium",
         "config_line": "large", "file_name": "medium"}  # fmt: skip


def config(column: str, currency: str | None = None) -> object:
    """The st.column_config for one column; a column missing from the catalogue still loses its
    snake_case (tests/test_tables.py fails on it, so it gets added to queries/columns.py)."""
    text, kind = COLUMNS.get(column, (column_label(column), "text"))
    if kind == "text":
        return st.column_config.TextColumn(text, width=WIDTH.get(column))
    if kind == "bool":
        return st.column_config.CheckboxColumn(text)
    if kind == "link":  # ui/drill.py puts only http(s) URLs here
        return st.column_config.LinkColumn(text, display_text="Open ↗")
    if kind == "date":
        return st.column_config.DateColumn(text, format="MMM D, YYYY")
    if kind == "datetime":
        return st.column_config.DatetimeColumn(text, format="MMM D, YYYY HH:mm")
    if kind == "money":
        symbol = currency_symbol(currency or load_settings().reporting_currency)
        return st.column_config.NumberColumn(text, format=f"{symbol}%,.{2 if column in CENTS else 0}f")
    return st.column_config.NumberColumn(text, format=PRINTF[kind])
