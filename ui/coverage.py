"""How far the loaded data goes, for the app: the coverage of the current warehouse version (cached),
and the notice every page shows under its title ("Data through Apr 30, 2026; Meta through Apr 28")."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from queries.connection import version
from queries.coverage import Coverage, load_coverage
from queries.settings import load_settings
from queries.summary import coverage_notes
from queries.view import View


@st.cache_data(max_entries=8, show_spinner=False)
def _coverage(warehouse_version: tuple | None) -> Coverage:
    return load_coverage()


def coverage() -> Coverage:
    """What the current warehouse's exports cover (empty when nothing is loaded)."""
    return _coverage(version())


def notice(view: View | None = None) -> None:
    """Under each page title: how far the data goes, lagging sources, gaps in the range, and a warning
    when the newest data is older than config [freshness] warn_after_days. The summary command prints
    the same notes (queries/summary.py coverage_notes)."""
    cov = coverage()
    if cov.through is None:
        return
    start, end = (view.start, view.end) if view else (cov.through, cov.through)
    notes = coverage_notes(cov, start, end, date.today(), load_settings())
    stale = cov.stale(date.today(), load_settings().warn_after_days)
    info = [n for n in notes if n != stale]
    st.caption(" ".join(info), help="What the loaded exports cover, by the data's own dates: see the Data page.")
    if stale:
        st.warning(stale, icon=":material/history:")


def timeline(rows: pl.DataFrame) -> go.Figure:
    """The Data page's coverage timeline: a bar per source and account over the days its exports
    cover, gaps in red, so a missing week of one platform shows at a glance."""
    df = rows.with_columns(
        pl.when(pl.col("account_id") == "").then(pl.col("label"))
        .otherwise(pl.col("label") + " · " + pl.col("account_name")).alias("source"),
        (pl.col("last_day") + timedelta(days=1)).alias("until"),
        pl.col("status").replace({"covered": "Covered", "gap": "Gap: no export covers these days"}),
    )  # fmt: skip
    fig = px.timeline(df, x_start="first_day", x_end="until", y="source", color="status",
                      color_discrete_map={"Covered": "#4C6EF5", "Gap: no export covers these days": "#E03131"},
                      custom_data=["last_day", "days"], title="Days the loaded exports cover")  # fmt: skip
    fig.update_traces(hovertemplate="%{y}<br>%{base|%b %d, %Y} – %{customdata[0]|%b %d, %Y} "
                                    "(%{customdata[1]} days)<extra>%{fullData.name}</extra>")  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None)
    height = 120 + 32 * df["source"].n_unique()
    return fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=height, xaxis_title=None,
                             legend={"orientation": "h", "y": -0.15, "title": None})  # fmt: skip
