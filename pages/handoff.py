"""Handoff: how fast reps first touch new MQLs, who meets the SLA, which MQLs sit untouched or are
about to breach, and how response time relates to conversion."""

import plotly.express as px
import polars as pl
import streamlit as st

from ui.auth import require_viewer
from ui.catalogue import page
from ui.charts import LAYOUT, bar
from ui.coverage import notice
from ui.data import q
from ui.format import table
from ui.kpi import tiles
from ui.state import current_filters

require_viewer("handoff")  # before anything else: signed in and allowed this page

BENCHMARKS = ("Calling within 5 minutes instead of 30 gave 100x the odds of contact and 21x the odds of "
              "qualifying (MIT / InsideSales lead response study, 2007). Firms responding within an hour were "
              "~7x as likely to qualify the lead as an hour later (HBR, 2011).")  # fmt: skip

f = current_filters()
st.title("Handoff")
notice(f)
tiles(f, page("handoff").tiles)  # the catalogue: ui/catalogue.py

st.subheader("Unworked queue")
queue = q("handoff/unworked_queue", f)
urgent = queue.filter(pl.col("status") == "about_to_breach")
if queue.is_empty():
    st.caption("Every MQL in this range has been touched.")
else:
    st.caption(f"{queue.height} untouched MQLs, {urgent.height} about to breach the SLA.")
    table(queue, "unworked-queue", "queue")  # labels, formats, sort: ui/columns.py

left, right = st.columns(2)
bands = q("handoff/response_bands", f)
left.plotly_chart(bar(bands, "band", "mqls", "Time to first rep touch"), key="h_bands")
fig = px.bar(bands, x="band", y="sql_rate", title="MQL -> SQL conversion by response time")
fig.update_traces(hovertemplate="%{x}<br>%{y:.1%}<extra></extra>")
right.plotly_chart(fig.update_layout(**LAYOUT, yaxis_tickformat=".0%"), key="h_conv")
st.caption(BENCHMARKS)

st.subheader("SLA compliance")
left, right = st.columns(2)
by_rep = q("handoff/speed_and_sla", f, grain="total", by="owner")
left.plotly_chart(bar(by_rep, "segment", "compliance", "By rep", fmt=".0%", horizontal=True), key="h_rep")
by_channel = q("handoff/speed_and_sla", f, grain="total", by="channel").rename({"segment": "channel"})
right.plotly_chart(bar(by_channel, "channel", "compliance", "By channel", color="channel", fmt=".0%",
                       horizontal=True), key="h_channel")  # fmt: skip
heat = q("handoff/speed_and_sla", f, grain="total", by="hour_weekday")
if not heat.is_empty():
    grid = heat.pivot(on="hour", index="weekday", values="compliance", sort_columns=True).sort("weekday")
    fig = px.imshow(grid.drop("weekday").to_numpy(), x=[str(c) for c in grid.columns[1:]],
                    y=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][: grid.height] if grid.height == 7
                    else [str(d) for d in grid["weekday"]], color_continuous_scale="RdYlGn", zmin=0, zmax=1,
                    aspect="auto", title="SLA compliance by hour of day (local) and weekday of the MQL")  # fmt: skip
    fig.update_traces(hovertemplate="%{y} %{x}:00<br>%{z:.0%}<extra></extra>")
    st.plotly_chart(fig.update_layout(**LAYOUT), key="h_heat")

st.subheader("Speed-to-lead per rep")
table(by_rep.select("segment", "mqls", "touched", "never_touched", "median_minutes", "p90_minutes",
                    "within_5_min_rate", "met", "breached", "pending", "compliance").rename({"segment": "rep"}),
      "speed-to-lead", "h_speed")  # fmt: skip
st.subheader("Recycled and rejected MQLs")
table(q("handoff/recycled_rejected", f), "recycled-mqls", "h_recycled")
