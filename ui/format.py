"""Numbers and tables for people: the registry's formats, channel colours, safe CSV downloads."""

from __future__ import annotations

import polars as pl
import streamlit as st

from queries.registry import Metric, format_value

CHANNEL_COLORS = {
    "paid_social": "#4C6EF5", "paid_search": "#F59F00", "organic_search": "#37B24D",
    "organic_social": "#74C0FC", "email": "#AE3EC9", "referral": "#F783AC", "direct": "#868E96",
    "events": "#E8590C", "outbound": "#1098AD", "partner": "#94D82D", "other": "#CED4DA",
}  # fmt: skip
PLATFORM_COLORS = {"meta": "#1877F2", "google_ads": "#FBBC04", "tiktok": "#FE2C55", "linkedin": "#0A66C2"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with an apostrophe."""
    text = [c for c, t in df.schema.items() if t == pl.String]
    return df.with_columns(
        [
            pl.when(pl.any_horizontal([pl.col(c).str.starts_with(p) for p in FORMULA_PREFIXES]))
            .then(pl.lit("'") + pl.col(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c in text
        ]
    )


def table(df: pl.DataFrame, name: str, key: str, **kwargs) -> None:
    """A table with its CSV download (formulas neutralised)."""
    if df.is_empty():
        st.caption("Nothing to show for these filters.")
        return
    st.dataframe(df, hide_index=True, width="stretch", **kwargs)
    st.download_button(
        "Download CSV", neutralise(df).write_csv().encode("utf-8"), file_name=f"{name}.csv",
        mime="text/csv", key=f"dl_{key}",
    )  # fmt: skip


def fmt(m: Metric, value, currency: str = "USD") -> str:
    return format_value(m, value, currency)
