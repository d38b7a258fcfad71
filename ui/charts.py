"""Plotly figures with one colour per channel and platform everywhere, and readable hovers.

Plotly draws labels, legends and hovers as a small HTML dialect (`<b>`, `<a href>`, `<br>`), so a
campaign or owner named `<b>x</b>` would render bold or as a link. `text_safe` escapes `&`, `<`, `>`
in every text column before a figure is built (Plotly shows the entities as the literal text); the
helpers here apply it, and a page building a figure itself passes its frame through it.
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from ui.format import CHANNEL_COLORS, PLATFORM_COLORS

LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "legend": {"orientation": "h", "y": -0.15}}


def text_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Text columns with `&`, `<`, `>` as entities: names render as text in every chart."""
    text = [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]
    return df.with_columns(
        pl.col(c).cast(pl.String).str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True)
        for c in text
    )  # fmt: skip


def colors_for(column: str) -> dict[str, str]:
    return CHANNEL_COLORS if column == "channel" else PLATFORM_COLORS if column == "platform" else {}


def line(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f") -> go.Figure:
    fig = px.line(text_safe(df), x=x, y=y, color=color, title=title, markers=True,
                  color_discrete_map=colors_for(color or ""))  # fmt: skip
    fig.update_traces(hovertemplate=f"%{{x|%b %d, %Y}}<br>%{{y:{fmt}}}<extra>%{{fullData.name}}</extra>")
    return fig.update_layout(**LAYOUT, yaxis_title=None, xaxis_title=None)


def bar(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f",
        horizontal: bool = False) -> go.Figure:  # fmt: skip
    kw = {"x": y, "y": x, "orientation": "h"} if horizontal else {"x": x, "y": y}
    fig = px.bar(text_safe(df), **kw, color=color, title=title, color_discrete_map=colors_for(color or ""))
    value = "x" if horizontal else "y"
    label = "y" if horizontal else "x"
    fig.update_traces(hovertemplate=f"%{{{label}}}<br>%{{{value}:{fmt}}}<extra></extra>")
    return fig.update_layout(**LAYOUT, yaxis_title=None, xaxis_title=None)
