"""Plotly figures with one colour per channel and platform everywhere, and readable hovers. Trend
lines draw partial periods (first and last week or month of a range, or past the data's last day)
dotted with open markers, so a part-week is not read as a ramp or a cliff.

Plotly draws labels, legends and hovers as a small HTML dialect (`<b>`, `<a href>`, `<br>`), so a
campaign or owner named `<b>x</b>` would render bold or as a link. `text_safe` escapes `&`, `<`, `>`
in every text column before a figure is built (Plotly shows the entities as the literal text); the
helpers here apply it, and a page building a figure itself passes its frame through it.
"""

from __future__ import annotations

from datetime import date

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from ui.coverage import coverage
from ui.format import CHANNEL_COLORS, PLATFORM_COLORS
from ui.periods import partial_periods

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


def line(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f",
         period: tuple[str, date, date] | None = None, sources: tuple[str, ...] = ()) -> go.Figure:  # fmt: skip
    """A trend line. With `period` = (grain, first day, last day) of the range, `x` holds period starts
    and `sources` says what the measures come from (registry kinds): periods outside the data are
    left out, partial ones drawn dotted and open."""
    partial: dict[str | None, set[str]] = {}  # per platform when the lines are platforms, else one set
    if period is not None and not df.is_empty():
        grain, start, end = period
        periods, cov = df[x].unique().to_list(), coverage()
        partial_all, uncovered = partial_periods(periods, grain, start, end, cov.extent(sources))
        partial[None] = {_key(p) for p in partial_all}
        if color == "platform":
            for name in df[color].unique().to_list():
                own = partial_periods(periods, grain, start, end, cov.extent(sources, platform=name))[0]
                partial[name] = {_key(p) for p in own}
        df = df.filter(~pl.col(x).is_in(list(uncovered))) if uncovered else df
    fig = px.line(text_safe(df), x=x, y=y, color=color, title=title, markers=True,
                  color_discrete_map=colors_for(color or ""))  # fmt: skip
    fig.update_traces(hovertemplate=f"%{{x|%b %d, %Y}}<br>%{{y:{fmt}}}<extra>%{{fullData.name}}</extra>")
    if any(partial.values()):
        _dot_partial(fig, partial, fmt)
    return fig.update_layout(**LAYOUT, yaxis_title=None, xaxis_title=None)


def _key(value) -> str:
    return str(value)[:10]


def _dot_partial(fig: go.Figure, partial: dict[str | None, set[str]], fmt: str) -> None:
    """Split each trace: solid between whole periods, dotted into and out of partial ones."""
    for trace in list(fig.data):
        own = partial.get(trace.name, partial[None])
        points = {_key(v): y for v, y in zip(trace.x, trace.y, strict=True)}
        first, last = min(points), max(points)
        points.update({p: None for p in own if first < p < last and p not in points})  # a hole, not a bridge
        xs = sorted(points)
        ys = [points[k] for k in xs]
        trace.x = xs
        is_partial = [v in own for v in xs]
        near = [p or (i > 0 and is_partial[i - 1]) or (i + 1 < len(xs) and is_partial[i + 1])
                for i, p in enumerate(is_partial)]  # fmt: skip
        trace.y = [None if p else v for v, p in zip(ys, is_partial, strict=True)]
        fig.add_trace(go.Scatter(
            x=xs, y=[v if n else None for v, n in zip(ys, near, strict=True)], mode="lines+markers",
            line={"color": trace.line.color, "dash": "dot"}, legendgroup=trace.legendgroup, showlegend=False,
            marker={"symbol": ["circle-open" if p else "circle" for p in is_partial], "color": trace.line.color},
            hovertemplate=f"%{{x|%b %d, %Y}} (partial)<br>%{{y:{fmt}}}<extra>{trace.name}</extra>",
        ))  # fmt: skip
    fig.update_layout(title_subtitle_text="Dotted, open points: partial periods (only some of their days are in the range or the data)")


def bar(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f",
        horizontal: bool = False) -> go.Figure:  # fmt: skip
    kw = {"x": y, "y": x, "orientation": "h"} if horizontal else {"x": x, "y": y}
    fig = px.bar(text_safe(df), **kw, color=color, title=title, color_discrete_map=colors_for(color or ""))
    value = "x" if horizontal else "y"
    label = "y" if horizontal else "x"
    fig.update_traces(hovertemplate=f"%{{{label}}}<br>%{{{value}:{fmt}}}<extra></extra>")
    return fig.update_layout(**LAYOUT, yaxis_title=None, xaxis_title=None)
