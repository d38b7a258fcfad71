"""Handoff: how fast reps first touch new MQLs, who meets the SLA, which MQLs sit untouched or are
about to breach, and how response time relates to conversion."""

import polars as pl
import streamlit as st

from queries.pages import page
from ui import score_bands
from ui.auth import require_viewer
from ui.charts import bar, has_data, heatmap
from ui.coverage import notice
from ui.data import query, settings
from ui.drill import Link, deadline_words, human_duration, link_row, with_links
from ui.format import table
from ui.kpi import tiles
from ui.state import current_view

require_viewer("handoff")  # before anything else: signed in and allowed this page

BENCHMARKS = ("Calling within 5 minutes instead of 30 gave 100x the odds of contact and 21x the odds of "
              "qualifying (MIT / InsideSales lead response study, 2007). Firms responding within an hour were "
              "~7x as likely to qualify the lead as an hour later (HBR, 2011).")  # fmt: skip

RESPONSE = "Time from MQL to first rep touch"
SLA = "MQLs touched within the SLA (%)"

view = current_view()
st.title("Handoff")
notice(view)
tiles(view, page("handoff").tiles)  # the catalogue: queries/pages.py

st.subheader("Unworked queue")
queue = query("handoff/unworked_queue", view)
urgent = queue.filter(pl.col("status") == "about_to_breach")
if queue.is_empty():
    st.caption("Every MQL in this range has been touched.")
else:
    st.caption(f"{queue.height} untouched MQLs, {urgent.height} about to breach the SLA.")
    queue, captions = with_links(queue.with_columns(
        pl.col("age_hours").map_elements(human_duration, return_dtype=pl.String).alias("age"),
        pl.col("hours_to_deadline").map_elements(deadline_words, return_dtype=pl.String).alias("deadline_in"),
    ), "leads", "lead_id")  # fmt: skip
    for text in captions:
        st.caption(text)
    table(queue, "unworked-queue", "queue")  # labels, formats, sort: queries/columns.py

left, right = st.columns(2)
bands = query("handoff/response_bands", view)
if not has_data(bands, "mqls"):
    left.info("No MQLs in this range, so no response times or conversion by response time to show.")
else:
    left.plotly_chart(bar(bands, "band", "mqls", "Time to first rep touch", x_title=RESPONSE, y_title="MQLs"),
                      key="h_bands")  # fmt: skip
    right.plotly_chart(bar(bands, "band", "sql_rate", "MQL → SQL conversion by response time", fmt=".1%",
                           x_title=RESPONSE, y_title="MQLs that became SQLs (%)"), key="h_conv")  # fmt: skip
if has_data(bands, "mqls"):
    link_row(bands, "band", "mqls", Link("leads", "handoff/response_bands", {"basis": "handoff"}, {"band": "band"}))
st.caption(BENCHMARKS)

score_bands.show(view)  # conversion, speed and routing by lead score band: ui/score_bands.py

st.subheader("SLA compliance")
left, right = st.columns(2)
by_rep = query("handoff/speed_and_sla", view, grain="total", by="owner")
if not has_data(by_rep, "mqls"):
    left.info("No MQLs in this range, so no SLA to judge.")
else:
    left.plotly_chart(bar(by_rep, "segment", "compliance", "By rep", fmt=".0%", horizontal=True, x_title="Rep",
                          y_title=SLA, full_percent=True), key="h_rep")  # fmt: skip
    by_channel = query("handoff/speed_and_sla", view, grain="total", by="channel").rename({"segment": "channel"})
    right.plotly_chart(bar(by_channel, "channel", "compliance", "By channel", color="channel", fmt=".0%",
                           horizontal=True, x_title="Channel", y_title=SLA, full_percent=True),
                       key="h_channel")  # fmt: skip
heat = query("handoff/speed_and_sla", view, grain="total", by="hour_weekday")
if not heat.is_empty():
    st.plotly_chart(heatmap(heat, settings().business_timezone), key="h_heat")

st.subheader("Speed-to-lead per rep")
table(by_rep.select("segment", "mqls", "touched", "never_touched", "median_minutes", "p90_minutes",
                    "within_5_min_rate", "met", "breached", "pending", "compliance").rename({"segment": "rep"}),
      "speed-to-lead", "h_speed", drill=Link("leads", "handoff/speed_and_sla", {"basis": "handoff"}, {"rep": "rep"},
                                              "Open this rep's MQLs"))  # fmt: skip
st.subheader("Recycled and rejected MQLs")
table(query("handoff/recycled_rejected", view), "recycled-mqls", "h_recycled")
