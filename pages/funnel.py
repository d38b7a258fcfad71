"""Funnel: how leads move lead -> MQL -> SQL -> opportunity -> customer, step and top-of-funnel
rates together, by channel, with cohort maturity so young cohorts are not read as failures."""

import plotly.express as px
import streamlit as st

from ui.auth import require_viewer
from ui.charts import LAYOUT, colors_for
from ui.coverage import notice
from ui.data import q
from ui.format import table
from ui.state import current_filters

require_viewer("funnel")  # before anything else: signed in and allowed this page

f = current_filters()
st.title("Funnel")
notice(f)
mode = st.segmented_control("Mode", ["cohort", "flow"], default="cohort", key="fn_mode") or "cohort"
st.caption("Cohort: leads created in the range and how far they have got by now. "
           "Flow: stage entries that happened in the range (rates compare different people). "
           "The tiles on other pages count flow: MQLs, SQLs and customers entered in range.")  # fmt: skip
COUNTED = {"cohort": "of leads created in range", "flow": "entered in range"}

stages = q("funnel/stages", f, mode=mode, by="total")
if stages["records"].sum() == 0:
    st.caption("No leads in this range. Load HubSpot contacts or Salesforce leads on the Data page.")
    st.stop()
fig = px.funnel(stages, x="records", y="stage", title=f"Funnel ({mode}): {COUNTED[mode]}",
                labels={"records": COUNTED[mode]})
fig.update_traces(texttemplate="%{value:,}<br>step %{percentPrevious:.0%} · top %{percentInitial:.0%}")
st.plotly_chart(fig.update_layout(**LAYOUT), key="fn_funnel")
table(stages.drop("segment"), "funnel", "fn_table", column_config={
    "records": st.column_config.NumberColumn(COUNTED[mode].capitalize(), format="localized")})

st.subheader("By channel")
by_channel = q("funnel/stages", f, mode=mode, by="channel")
fig = px.bar(by_channel, x="stage", y="records", color="segment", barmode="group",
             color_discrete_map=colors_for("channel"), title="Stage counts by channel")  # fmt: skip
st.plotly_chart(fig.update_layout(**LAYOUT), key="fn_channel")

left, right = st.columns(2)
with left:
    st.subheader("Cohort maturity")
    stage = st.selectbox("Reached", ["mql", "sql", "opportunity", "customer"], index=1, key="fn_stage")
    curves = q("funnel/cohort_maturity", f, cohort_grain="month", stage=stage, max_weeks=26)
    fig = px.line(curves, x="age_weeks", y="rate", color=curves["cohort"].cast(str), markers=True,
                  title=f"Share of each monthly cohort that reached {stage}, by age in weeks")  # fmt: skip
    fig.update_traces(hovertemplate="week %{x}<br>%{y:.1%}<extra>%{fullData.name}</extra>")
    st.plotly_chart(fig.update_layout(**LAYOUT, yaxis_tickformat=".0%"), key="fn_maturity")
with right:
    st.subheader("Time in stage")
    tis = q("funnel/time_in_stage", f, by="total")
    table(tis.drop("segment", "step"), "time-in-stage", "fn_tis")
