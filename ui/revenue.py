"""Recurring revenue on the pages: the Revenue page's MRR movements by month, ARR trend, signup-cohort
retention heatmap and channel table, and the Data page's billing-to-CRM match. The numbers come from
queries/revenue/ (etl/sql/55_subscriptions.sql builds what they read); here they are only drawn."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from queries.registry import format_value, metric
from queries.view import View
from ui.charts import LAYOUT, OKABE_ITO, axis_title
from ui.data import query, settings
from ui.format import chart, table

# movement -> (legend, colour, sign in the waterfall); the labels are the registry's
MOVES = {"new_mrr": (OKABE_ITO["blue"], 1), "expansion_mrr": (OKABE_ITO["green"], 1),
         "reactivation_mrr": (OKABE_ITO["sky"], 1), "contraction_mrr": (OKABE_ITO["orange"], -1),
         "churned_mrr": (OKABE_ITO["vermillion"], -1)}  # fmt: skip
NO_BILLING = ("No Stripe billing export covers this range. Load the Subscriptions export (Stripe Dashboard > "
              "Billing > Subscriptions > Export) and the Invoices export on the Data page.")  # fmt: skip


def movements_chart(moves: pl.DataFrame) -> go.Figure:
    """MRR movements per month as a waterfall's steps: gains up, losses down, net new MRR as a line."""
    fig = go.Figure()
    months = moves["month"].to_list()
    for name, (colour, sign) in MOVES.items():
        values = [sign * float(v) for v in moves[name].to_list()]
        fig.add_bar(x=months, y=values, name=metric(name).label, marker_color=colour,
                    hovertemplate="%{x|%b %Y}<br>%{y:$,.0f}<extra>" + metric(name).label + "</extra>")  # fmt: skip
    fig.add_scatter(x=months, y=[float(v) for v in moves["net_new_mrr"].to_list()], name=metric("net_new_mrr").label,
                    mode="lines+markers", line={"color": OKABE_ITO["black"]},
                    hovertemplate="%{x|%b %Y}<br>%{y:$,.0f}<extra>Net new MRR</extra>")  # fmt: skip
    return fig.update_layout(**LAYOUT, barmode="relative", title="MRR movements by month",
                             xaxis_title="Month", yaxis_title=axis_title("MRR change", "currency"),
                             yaxis_tickformat="$~s")  # fmt: skip


def arr_chart(moves: pl.DataFrame) -> go.Figure:
    fig = go.Figure(go.Scatter(x=moves["month"].to_list(), y=[float(v) for v in moves["arr"].to_list()],
                               mode="lines+markers", line={"color": OKABE_ITO["blue"]}, name="ARR",
                               hovertemplate="%{x|%b %Y}<br>%{y:$,.0f}<extra>ARR at month end</extra>"))  # fmt: skip
    return fig.update_layout(**LAYOUT, title="ARR at each month's end", xaxis_title="Month",
                             yaxis_title=axis_title("ARR", "currency"), yaxis_tickformat="$~s")  # fmt: skip


def cohort_heatmap(cohorts: pl.DataFrame) -> go.Figure:
    """Net revenue retention of each signup month's customers, by months since their start."""
    rows = sorted(cohorts["cohort"].unique().to_list())
    cols = list(range(int(cohorts["months_since"].max()) + 1))
    cell = {(r["cohort"], r["months_since"]): r for r in cohorts.iter_rows(named=True)}
    z = [[cell[(c, k)]["retention"] if (c, k) in cell else None for k in cols] for c in rows]
    n = [[cell[(c, k)]["customers"] if (c, k) in cell else 0 for k in cols] for c in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(k) for k in cols], y=[f"{c:%b %Y}" for c in rows], customdata=n, colorscale="RdYlBu",
        zmin=0, zmax=1.2, xgap=1, ygap=1, colorbar={"title": {"text": "MRR kept"}, "tickformat": ".0%"},
        hovertemplate="Started %{y}, %{x} months on<br>%{z:.0%} of their first MRR<br>%{customdata:,} customers"
                      "<extra></extra>"))  # fmt: skip
    return fig.update_layout(**LAYOUT, title="Revenue retention by signup cohort (share of the first MRR kept)",
                             xaxis_title="Months since the first payment", yaxis_title="Signup month",
                             yaxis_autorange="reversed")  # fmt: skip


def revenue_section(view: View) -> None:
    """The Revenue page below its tiles: movements by month, ARR trend, cohort retention, channel table."""
    moves = query("revenue/movements", view)
    if moves.is_empty():
        st.info(NO_BILLING)
        return
    left, right = st.columns(2)
    left.plotly_chart(movements_chart(moves), key="rv_moves")
    right.plotly_chart(arr_chart(moves), key="rv_arr")
    st.caption("Each month: MRR at its start + new + expansion + reactivation - contraction - churn = MRR at its "
               "end. An upgrade or downgrade made as a cancel and a new subscription the same day is expansion or "
               "contraction, never churn and new.")  # fmt: skip
    st.subheader("Retention by signup cohort")
    chart(query("revenue/cohorts", view), cohort_heatmap, "rv_cohorts", "No customer started paying in these 12 months.")
    st.subheader("By acquisition channel")
    st.caption("Stripe customers matched to CRM leads by e-mail (hashed, case-insensitive). \"–\" as channel: no "
               "CRM lead with the customer's billing e-mail. CAC here is the channel's ad spend over its new paying "
               "customers; LTV = ARPA x gross margin / monthly revenue churn, empty where nothing churned.")  # fmt: skip
    table(query("revenue/channels", view, by="channel").drop("platform", "campaign_name"), "revenue-channels",
          "rv_channels")
    st.subheader("By ad platform")
    st.caption("The same, for customers whose lead came from an ad platform: a platform whose leads look cheap can "
               "bring customers that leave within months.")  # fmt: skip
    platforms = query("revenue/channels", view, by="platform")
    table(platforms.filter(pl.col("platform").is_not_null()).drop("channel", "campaign_name"), "revenue-platforms",
          "rv_platforms")


def billing_match() -> None:
    """The Data page: how many Stripe customers match a CRM lead, so how much revenue the channel view sees."""
    st.subheader("Billing to CRM")
    match = query("data/billing_match")
    if match.is_empty():
        st.caption("No Stripe export loaded: load the Subscriptions and Invoices exports to match billing to CRM leads.")
        return
    r = match.row(0, named=True)
    rate = format_value(metric("logo_retention"), r["match_rate"], settings().reporting_currency)  # a percent
    st.markdown(f"**{r['matched']:,} of {r['customers']:,}** Stripe customers ({rate}) match a CRM lead by e-mail; "
                f"**{r['unmatched']:,} unmatched** (no e-mail in Stripe, or an address the CRM does not hold).")
