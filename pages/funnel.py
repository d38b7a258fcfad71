"""Funnel: how leads move (visitor ->) lead -> MQL -> SQL -> opportunity -> customer, step and top-of-funnel
rates together, by channel, with cohort maturity so young cohorts are not read as failures."""

import polars as pl
import streamlit as st

from queries.values import STAGES
from ui.auth import require_viewer
from ui.charts import bar, funnel, line, series_label
from ui.coverage import notice
from ui.data import query
from ui.drill import Link, link_row
from ui.format import table
from ui.state import current_view, url_control
from ui.web import funnel_top

require_viewer("funnel")  # before anything else: signed in and allowed this page

MODES = ("cohort", "flow")

view = current_view()
st.title("Funnel")
notice(view)
mode = st.segmented_control("Mode", MODES, **url_control("fn_mode", MODES, "cohort")) or "cohort"  # in the URL
st.caption("Cohort: leads created in the range and how far they have got by now. "
           "Flow: stage entries that happened in the range (rates compare different people). "
           "The tiles on other pages count flow: MQLs, SQLs and customers entered in range.")  # fmt: skip
COUNTED = {"cohort": "of leads created in range", "flow": "entered in range"}

stages = query("funnel/stages", view, mode=mode, by="total")
funnel_top(view, mode, stages)  # flow starts at visitors (GA4 sessions), cohort at leads: ui/web.py says why
if stages["records"].sum() == 0:
    st.info("No leads in this range, so no funnel. Pick a longer range, or load HubSpot contacts or "
            "Salesforce leads on the Data page.")  # fmt: skip
    st.stop()
st.plotly_chart(funnel(stages, f"Funnel ({mode}): {COUNTED[mode]}", COUNTED[mode],
                       "%{value:,}<br>step %{percentPrevious:.0%} · top %{percentInitial:.1%}"), key="fn_funnel")
table(stages.drop("segment"), "funnel", "fn_table", column_config={
    "records": st.column_config.NumberColumn(COUNTED[mode].capitalize(), format="localized")},
    drill=Link("leads", "funnel/stages", {"mode": mode}, {"stage": "stage"}, "Open the leads of this stage"))

st.subheader("By channel")
by_channel = query("funnel/stages", view, mode=mode, by="channel").filter(pl.col("stage") != "visitor")  # CRM stages
st.plotly_chart(bar(by_channel.rename({"segment": "channel"}), "stage", "records", "Stage counts by channel",
                    "channel", x_title="Stage", y_title=f"Records ({COUNTED[mode]})").update_layout(
                    barmode="group"), key="fn_channel")  # fmt: skip

left, right = st.columns(2)
with left:
    st.subheader("Cohort maturity")
    stage = st.selectbox("Reached", STAGES[1:], **url_control("fn_stage", STAGES[1:], STAGES[2]), format_func=series_label)
    curves = query("funnel/cohort_maturity", view, cohort_grain="month", stage=stage, max_weeks=26)
    if curves.is_empty():
        st.info("No monthly cohort in this range is old enough to show a curve yet.")
    else:
        curves = curves.with_columns(pl.col("cohort").cast(pl.Date).dt.strftime("%b %Y").alias("Monthly cohort"))
        fig = line(curves, "age_weeks", "rate", f"Monthly cohorts that reached {series_label(stage)}, by age",
                   "Monthly cohort", fmt=".1%", x_title="Cohort age (weeks since the month "
                   "began)", y_title=f"Reached {series_label(stage)} (%)")  # fmt: skip
        fig.update_traces(hovertemplate="week %{x}<br>%{y:.1%}<extra>%{fullData.name}</extra>")
        st.plotly_chart(fig, key="fn_maturity")
        sizes = curves.group_by("cohort").agg(pl.col("cohort_size").first(), pl.col("Monthly cohort").first()).sort(
            "cohort").with_columns(pl.col("cohort").cast(pl.Date).cast(pl.String))  # fmt: skip
        st.caption("Leads of each cohort:")
        link_row(sizes, "Monthly cohort", "cohort_size", Link("leads", "funnel/cohort_maturity",
                 {"stage": "lead", "mode": "cohort"}, {"cohort": "cohort"}), per_line=2)  # half a page wide
with right:
    st.subheader("Time in stage")
    tis = query("funnel/time_in_stage", view, by="total")
    table(tis.drop("segment", "step"), "time-in-stage", "fn_tis")
