"""The Handoff page's lead score bands (issue 27): conversion and speed per band, whether conversion
rises with the band, the MQL threshold the stated rule suggests, and the routing check (are higher
bands followed up faster, and which reps get them), from queries/handoff/score_bands.sql; each row
drills to the band's leads or MQLs."""

from __future__ import annotations

import polars as pl
import streamlit as st

from queries.scoring import calibration, mql_threshold, routing
from queries.view import View
from ui.charts import axis_title, bar
from ui.data import query, settings
from ui.drill import Link
from ui.format import table

NO_SCORES = ("No lead scores in this range. Load HubSpot contacts with the `HubSpot Score` column, or Salesforce "
             "leads with `Rating` or your score field (`[scoring] salesforce_score_field` in config/revline.toml), "
             "on the Data page. Bands are `[[scoring.band]]` in config/revline.toml.")  # fmt: skip


def show(view: View) -> None:
    """The score-band table, its two charts and the routing check, or which export to load."""
    st.subheader("Lead score bands")
    bands = query("handoff/score_bands", view, by="total")
    scored = bands.filter((pl.col("score_band") != "Unscored") & (pl.col("leads") + pl.col("mqls") > 0))
    if scored.is_empty():
        st.info(NO_SCORES)
        return
    rows = bands.to_dicts()
    st.markdown(f"**Calibration.** {calibration(rows)}  \n**MQL threshold.** "
                f"{mql_threshold(rows, settings().mql_min_sql_rate)}")  # fmt: skip
    shown = bands.filter(pl.col("leads") + pl.col("mqls") > 0)
    left, right = st.columns(2)
    left.plotly_chart(bar(shown, "score_band", "sql_rate", "Leads that became SQLs, by score band", fmt=".0%",
                          x_title="Score band", y_title="Leads that became SQLs (%)"), key="h_score_conv")  # fmt: skip
    right.plotly_chart(bar(shown, "score_band", "median_minutes", "Time to first rep touch, by score band",
                           fmt=",.0f", x_title="Score band", y_title=axis_title("Median time to first touch", "minutes")),
                       key="h_score_speed")  # fmt: skip
    table(shown.drop("segment", "band_order"), "score-bands", "h_scores", drill=Link(
        "leads", "handoff/score_bands", {"basis": "funnel"}, {"score_band": "score_band"}, "Open this band's leads"))
    st.markdown(f"**Routing.** {routing(rows)}")
    reps = query("handoff/score_bands", view, by="owner").filter(pl.col("mqls") > 0).rename({"segment": "rep"}).select(
        "rep", "score_band", "mqls", "band_mql_share", "touched", "median_minutes", "within_5_min_rate")
    table(reps, "score-routing", "h_routing", drill=Link("leads", "handoff/score_bands", {"basis": "handoff"},
          {"score_band": "score_band", "rep": "rep"}, "Open this rep's MQLs in this band"))  # fmt: skip
