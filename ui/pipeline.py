"""The Sales page's pipeline dynamics section (#25): how the open pipeline closing in the range moved
between two deals exports (a waterfall, each bar drilling to its deals on the Records page), the deals
that keep slipping, and where the range will land (weighted pipeline and projections against target,
forecast accuracy by lead time). Every number comes from queries/pipeline/; the page calls `show`.
Its resolution is the export cadence: a deal that moved twice between two exports moved once here.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from queries.drill import MOVES
from queries.registry import format_value, metric
from queries.settings import load_settings
from queries.view import View
from ui.charts import LAYOUT, OKABE_ITO, TARGET_COLOR, axis_title, text_safe
from ui.data import query
from ui.drill import Link, link_row
from ui.format import table
from ui.kpi import tiles

# the bars in the order the identity reads: start + in - out = end (pipeline/waterfall's columns)
BARS = (("start", "pipeline_start", "absolute"), ("created", "pipeline_created", "relative"),
        ("pulled_in", "pipeline_pulled_in", "relative"), ("increased", "pipeline_increased", "relative"),
        ("decreased", "pipeline_decreased", "relative"), ("pushed_out", "pipeline_pushed_out", "relative"),
        ("lost", "pipeline_lost", "relative"), ("won", "pipeline_won", "relative"), ("end", "pipeline_end", "total"))  # fmt: skip
OUT = {"decreased", "pushed_out", "lost", "won"}  # bars that take pipeline away
SHORT = {"start": "Start", "created": "Created", "pulled_in": "Pulled in", "increased": "Increased",
         "decreased": "Decreased", "pushed_out": "Pushed out", "lost": "Lost", "won": "Won", "end": "End"}  # fmt: skip
FORECAST_TILES = ["weighted_pipeline", "projected_revenue", "projected_revenue_stage_rates", "forecast_accuracy"]


def show(view: View) -> None:
    """The whole section, under its own subheaders."""
    st.subheader("Pipeline movement")
    flows = query("pipeline/waterfall", view, by="total")
    moves = query("pipeline/moves", view)
    if flows.is_empty() or moves.is_empty():
        st.caption("No deals export holds open deals closing in this range. Load HubSpot deals or Salesforce "
                   "opportunities exports regularly (weekly works well): each one is a snapshot of the pipeline.")  # fmt: skip
    else:
        _waterfall(flows.row(0, named=True), moves)
    st.subheader("Slipping deals")
    slips = query("pipeline/slippage", view)
    if slips.is_empty():
        st.caption("No deal's close date moved later between two deals exports taken in this range.")
    else:
        st.caption("A push: a deal open in one deals export has a later close date in the next one. Deals pushed "
                   "two or more times in the range slip.")  # fmt: skip
        table(slips.drop("source_system", "deal_name", "slipping"), "slippage", "slips")
    st.subheader("Where the range will land")
    _forecast(view)


def _waterfall(row: dict, moves: pl.DataFrame) -> None:
    d0, d1 = moves["d0_at"].min(), moves["d1_at"].max()
    values = [float(row[col] or 0) * (-1 if key in OUT else 1) for key, col, _ in BARS]
    labels = [metric(col).label for _, col, _ in BARS]
    fig = go.Figure(go.Waterfall(
        x=labels, y=[v if m != "total" else 0 for v, (_, _, m) in zip(values, BARS, strict=True)],
        measure=[m for _, _, m in BARS], textposition="outside",
        text=[_money(abs(v)) for v in values],
        increasing={"marker": {"color": OKABE_ITO["green"]}}, decreasing={"marker": {"color": OKABE_ITO["vermillion"]}},
        totals={"marker": {"color": OKABE_ITO["blue"]}}, connector={"line": {"color": TARGET_COLOR}},
        hovertemplate="%{x}<br>%{text}<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(**LAYOUT, title="Open pipeline closing in the range: start, in, out, end", showlegend=False,
                      xaxis_title="Movement", yaxis_title=axis_title("Open amount", "currency"))  # fmt: skip
    st.plotly_chart(fig, key="pipeline_waterfall")
    st.caption(f"Between the deals exports of {d0:%b %d, %Y %H:%M} and {d1:%b %d, %Y %H:%M} UTC (per CRM, the last "
               "on or before the range's first day and the last up to the as-of time). The resolution is the export "
               f"cadence: a deal that changed twice between two exports changed once here. Re-opened deals "
               f"({_money(row['reopened'])}) are in created; deals deleted from the CRM ({_money(row['deleted'])}) "
               "are in lost. A blank amount counts 0.")  # fmt: skip
    counts = pl.DataFrame({"move": list(MOVES), "bar": [SHORT[key] for key, _, _ in BARS],
                           "deals": [_count(moves, key) for key, _, _ in BARS]})  # fmt: skip
    st.caption("The deals behind each bar:")
    link_row(counts, "bar", "deals", Link("deals", "pipeline/waterfall", from_row={"move": "move"},
                                          label="Open the deals behind this bar"), per_line=5)  # fmt: skip


def _count(moves: pl.DataFrame, key: str) -> int:
    if key == "start":
        return int(moves["in_start"].sum())
    if key == "end":
        return int(moves["in_end"].sum())
    if key == "increased":
        return moves.filter(pl.col("change") > 0).height
    if key == "decreased":
        return moves.filter(pl.col("change") < 0).height
    return moves.filter(pl.col("move") == key).height


def _money(value) -> str:
    v = float(value or 0)
    return format_value(metric("pipeline_start"), v, load_settings().reporting_currency) if v else "0"


def _forecast(view: View) -> None:
    tiles(view, FORECAST_TILES)
    fc = query("pipeline/forecast", view, by="total")
    if fc.is_empty():
        st.caption("No open or won deals closing in this range in the latest deals export.")
    else:
        r = fc.row(0, named=True)
        bars = [("Won so far", r["won_so_far"]), ("Commit", r["commit"]), ("Projected", r["projected_revenue"]),
                ("Projected (stage rates)", r["projected_revenue_stage_rates"]), ("Best case", r["best_case"])]  # fmt: skip
        data = text_safe(pl.DataFrame({"what": [b[0] for b in bars], "amount": [float(b[1] or 0) for b in bars]}))
        fig = go.Figure(go.Bar(x=data["what"].to_list(), y=data["amount"].to_list(), marker_color=OKABE_ITO["blue"],
                               hovertemplate="%{x}<br>%{y:$,.0f}<extra></extra>"))  # fmt: skip
        if r["revenue_target"]:
            fig.add_hline(y=float(r["revenue_target"]), line_dash="dash", line_color=TARGET_COLOR,
                          annotation_text=f"Revenue target {_money(r['revenue_target'])}")  # fmt: skip
        fig.update_layout(**LAYOUT, title="Projection against the revenue target", showlegend=False,
                          xaxis_title="Projection", yaxis_title=axis_title("Revenue", "currency"))  # fmt: skip
        st.plotly_chart(fig, key="pipeline_projection")
        pace = f"; the projection is {r['projection_pace']:.0%} of the target" if r["projection_pace"] is not None else ""
        unweighted = (f" {r['unweighted_deals']:,} open deal(s) have no probability, in the export or for their stage "
                      "in config, and add 0." if r["unweighted_deals"] else "")  # fmt: skip
        st.caption(f"From the deals export of {r['d1_at']:%b %d, %Y %H:%M} UTC: won so far plus open deals closing in "
                   "the range at the export's probability, else config's for the stage (stage rates: Revline's own "
                   f"stage-to-won rates over the 365 days before it){pace}.{unweighted}")  # fmt: skip
    acc = query("pipeline/forecast_accuracy", view).filter(pl.col("weeks_out").is_not_null())
    if not acc.is_empty():
        acc = acc.sort("weeks_out", descending=True)
        fig = go.Figure(go.Bar(x=[f"{w} wk out" for w in acc["weeks_out"]], y=acc["forecast_accuracy"].to_list(),
                               marker_color=OKABE_ITO["green"], hovertemplate="%{x}<br>%{y:.0%}<extra></extra>"))  # fmt: skip
        # the weeks out of every closed month of the range, each the last export of that week
        fig.update_layout(**LAYOUT, title="Forecast accuracy of Revline's projections, by weeks before the month closed",
                          xaxis_title="Weeks before the month's end", yaxis_title=axis_title("Accuracy", "ratio"),
                          yaxis_tickformat=".0%", yaxis_range=[0, 1])  # fmt: skip
        st.plotly_chart(fig, key="pipeline_accuracy")
