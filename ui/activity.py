"""The Sales page's activity by rep (issue 27): meetings booked and held, no-shows, calls and
connected calls per rep, each beside its target where targets.csv has one
(queries/sales/activity_targets.sql), drilling to the rep's new leads."""

from __future__ import annotations

import streamlit as st

from queries.view import View
from ui.data import query
from ui.drill import Link
from ui.format import table

NO_ACTIVITY = ("No meetings or calls in this range. Load HubSpot Meetings and Calls exports (Activities > "
               "Meetings / Calls > Export), or a Salesforce activity report with Events and Tasks, on the Data "
               "page to see activity by rep.")  # fmt: skip
COUNTS = ("meetings_booked", "meetings_held", "meetings_no_show", "calls", "connected_calls")


def show(view: View) -> None:
    """Activity by rep, or which exports to load when there is none."""
    st.subheader("Activity by rep")
    reps = query("sales/activity_targets", view, by="owner").rename({"segment": "rep"})
    if reps.is_empty() or not any(reps[c].sum() for c in COUNTS):
        st.info(NO_ACTIVITY)
        return
    st.caption("Meetings booked by booking date; held and no-shows by start time; a meeting needs a lead or "
               "contact and a rescheduled one counts once. Targets from targets.csv (meetings_booked, "
               "meetings_held, calls, connected_calls per rep).")  # fmt: skip
    unset = [c for c in reps.columns if c.endswith("_target") and reps[c].null_count() == reps.height]  # no target set
    table(reps.drop(unset), "sales-activity", "activity", drill=Link(
        "leads", "sales/activity_targets", {}, {"rep": "rep"}, "Open this rep's new leads"))
