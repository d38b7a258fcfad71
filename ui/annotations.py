"""Annotations on trend charts: campaign starts and ends, data loads and the team's own notes
(annotations.csv) as dotted vertical lines, or shaded bands for events with an end date, each
labelled at the top. The rows come from queries/shared/annotations.sql; drawing is kept apart from
ui/charts.py so any trend figure can take them with one call."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl

from queries.view import View
from ui.data import query  # the app's cached query runner

LINE = {"color": "rgba(90, 90, 90, 0.55)", "width": 1, "dash": "dot"}
BAND = "rgba(120, 120, 120, 0.10)"
MAX_SHOWN = 40  # beyond this the chart is unreadable: the first ones by date are drawn


def add_annotations(fig: go.Figure, rows: pl.DataFrame | Iterable[Mapping[str, Any]]) -> go.Figure:
    """Add each row (`date`, optional `end_date`, `label`) to `fig`: a line at `date`, or a band from
    `date` through the end of `end_date`; the label sits at the top, rotated, hover shows it whole."""
    items = rows.iter_rows(named=True) if isinstance(rows, pl.DataFrame) else rows
    for n, row in enumerate(items):
        if n >= MAX_SHOWN:
            break
        start, end, label = row["date"], row.get("end_date"), str(row["label"])
        if end is not None and end > start:
            fig.add_shape(type="rect", xref="x", yref="paper", x0=start, x1=end + timedelta(days=1), y0=0, y1=1,
                          fillcolor=BAND, line_width=0, layer="below")  # fmt: skip
        else:
            fig.add_shape(type="line", xref="x", yref="paper", x0=start, x1=start, y0=0, y1=1, line=LINE)
        fig.add_annotation(x=start, xref="x", y=1, yref="paper", text=label[:40], hovertext=label,
                           showarrow=False, textangle=-90, xanchor="left", yanchor="top",
                           font={"size": 10, "color": "rgba(60, 60, 60, 0.9)"})  # fmt: skip
    return fig


def annotated(fig: go.Figure, view: View, start: date, end: date) -> go.Figure:
    """`fig` with the annotations of [start, end] under the view's channel, platform and campaign
    filters (a page's one-line call around its trend chart)."""
    dims = {d: view.dims.get(d) for d in ("channel", "platform", "campaign")}
    return add_annotations(fig, query("shared/annotations", start_date=start, end_date=end, **dims))


def with_annotations(chart: Callable[..., go.Figure], view: View, start: date, end: date) -> Callable[..., go.Figure]:
    """`chart` (ui.charts.line) whose figures carry the annotations of [start, end]: a page rebinds
    its trend chart function with one line and leaves the chart calls as they are."""

    @functools.wraps(chart)
    def drawn(*args: Any, **kwargs: Any) -> go.Figure:
        return annotated(chart(*args, **kwargs), view, start, end)

    return drawn
