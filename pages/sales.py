"""Sales: win rate, deal size, cycle, velocity and quota attainment per rep and for the team, and
the open pipeline by stage and forecast category."""

import polars as pl
import streamlit as st

from queries.pages import page
from ui import activity, pipeline, quota
from ui.auth import require_viewer
from ui.charts import axis_title, bar
from ui.coverage import notice
from ui.data import query
from ui.drill import Link
from ui.format import table
from ui.kpi import tiles
from ui.state import current_view

require_viewer("sales")  # before anything else: signed in and allowed this page

FORECAST = {c: i for i, c in enumerate(("closed", "commit", "best_case", "pipeline", "omitted"))}  # surest first

view = current_view()
st.title("Sales")
notice(view)
tiles(view, page("sales").tiles)  # the catalogue: queries/pages.py

st.subheader("Per rep")
reps = query("sales/performance", view, by="owner").rename({"segment": "rep"})
if reps.is_empty():
    st.caption("No deals in this range. Load HubSpot deals or Salesforce opportunities on the Data page.")
else:
    table(reps.drop(quota.COLUMNS), "sales-per-rep", "reps", drill=Link(  # won + lost in range; queries/columns.py
        "deals", "sales/performance", {"set": "closed"}, {"rep": "rep"}, "Open this rep's closed deals"))

activity.show(view)  # meetings, no-shows, calls per rep vs targets: ui/activity.py

st.subheader("Quota attainment")
quota.show(view, reps)  # per rep vs quota and pace; targets matching no owner: ui/quota.py

st.subheader("Open pipeline")
pipe = query("sales/pipeline", view, by="total").with_columns(pl.col("amount").cast(pl.Float64))
if pipe.is_empty():
    st.caption("No open deals.")
else:
    left, right = st.columns(2)
    stage_order = query("sales/time_in_stage", view)["stage"].to_list()  # the order deals usually pass them
    by_stage = pipe.group_by("stage").agg(pl.col("amount").sum()).sort(
        pl.col("stage").replace_strict({s: i for i, s in enumerate(stage_order)}, default=len(stage_order)),
        pl.col("amount"), descending=[False, True])  # fmt: skip
    left.plotly_chart(bar(by_stage, "stage", "amount", "Open pipeline by stage", fmt="$,.0f", horizontal=True,
                          x_title="Deal stage", y_title=axis_title("Open amount", "currency")),
                      key="pipe_stage")  # fmt: skip
    by_category = pipe.group_by("forecast_category").agg(pl.col("amount").sum()).sort(
        pl.col("forecast_category").replace_strict(FORECAST, default=len(FORECAST)))
    right.plotly_chart(bar(by_category, "forecast_category", "amount", "Open pipeline by forecast category",
                           fmt="$,.0f", x_title="Forecast category", y_title=axis_title("Open amount", "currency")),
                       key="pipe_fc")  # fmt: skip
    table(pipe, "open-pipeline", "pipe", drill=Link("deals", "sales/pipeline", {"set": "open"},
          {"deal_stage": "stage", "forecast": "forecast_category"}, "Open these open deals"))

st.subheader("Time in stage")
stages = query("sales/time_in_stage", view)
if stages.is_empty():
    st.caption("No stage history loaded. Load a Salesforce Opportunity History report (with Opportunity ID) "
               "on the Data page to see how long deals sit in each stage.")  # fmt: skip
else:
    ended = stages.filter(pl.col("median_days").is_not_null())
    if ended.is_empty():
        st.info("No deal left a stage in this range, so no time in stage to show; deals still in a stage "
                "are in the table.")  # fmt: skip
    else:
        st.plotly_chart(bar(ended, "stage", "median_days", "Median days in stage (stays that ended in the range)",
                            fmt=",.1f", horizontal=True, x_title="Deal stage",
                            y_title=axis_title("Median time in stage", "days")), key="time_in_stage")  # fmt: skip
    table(stages, "time-in-stage", "stage_time", drill=Link("deals", "sales/time_in_stage", {"set": "open"},
          {"deal_stage": "stage"}, "Open the open deals now in this stage"))  # labels and formats: queries/columns.py

pipeline.show(view)  # how the pipeline moved between deals exports and where the range lands: ui/pipeline.py
