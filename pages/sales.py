"""Sales: win rate, deal size, cycle, velocity and quota attainment per rep and for the team, and
the open pipeline by stage and forecast category."""

import polars as pl
import streamlit as st

from ui.auth import require_viewer
from ui.catalogue import page
from ui.charts import bar
from ui.coverage import notice
from ui.data import q
from ui.format import table
from ui.kpi import tiles
from ui.state import current_filters

require_viewer("sales")  # before anything else: signed in and allowed this page

f = current_filters()
st.title("Sales")
notice(f)
tiles(f, page("sales").tiles)  # the catalogue: ui/catalogue.py

st.subheader("Per rep")
reps = q("sales/performance", f, by="owner")
if reps.is_empty():
    st.caption("No deals in this range. Load HubSpot deals or Salesforce opportunities on the Data page.")
else:
    table(reps.rename({"segment": "rep"}), "sales-per-rep", "reps")  # labels, formats, sort: ui/columns.py

st.subheader("Open pipeline")
pipe = q("sales/pipeline", f, by="total").with_columns(pl.col("amount").cast(pl.Float64))
if pipe.is_empty():
    st.caption("No open deals.")
else:
    left, right = st.columns(2)
    left.plotly_chart(bar(pipe.group_by("stage").agg(pl.col("amount").sum()), "stage", "amount",
                          "Open pipeline by stage", fmt="$,.0f", horizontal=True), key="pipe_stage")  # fmt: skip
    right.plotly_chart(bar(pipe.group_by("forecast_category").agg(pl.col("amount").sum()), "forecast_category",
                           "amount", "Open pipeline by forecast category", fmt="$,.0f"), key="pipe_fc")  # fmt: skip
    table(pipe, "open-pipeline", "pipe")

st.subheader("Time in stage")
stages = q("sales/time_in_stage", f)
if stages.is_empty():
    st.caption("No stage history loaded. Load a Salesforce Opportunity History report (with Opportunity ID) "
               "on the Data page to see how long deals sit in each stage.")  # fmt: skip
else:
    st.plotly_chart(bar(stages.filter(pl.col("median_days").is_not_null()), "stage", "median_days",
                        "Median days in stage (stays that ended in the range)", fmt=",.1f", horizontal=True),
                    key="time_in_stage")  # fmt: skip
    table(stages, "time-in-stage", "stage_time")  # labels and formats: ui/columns.py
