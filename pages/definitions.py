"""Definitions: every metric with its formula, from the same registry as the tiles."""

import polars as pl
import streamlit as st

from queries.markdown import plain
from queries.registry import metrics
from queries.values import value_label
from ui.auth import require_viewer
from ui.coverage import notice
from ui.format import table
from ui.state import url_control

require_viewer("definitions")  # before anything else: signed in and allowed this page

st.title("Definitions")
notice()
st.caption("Every number in Revline is defined once, in SQL under queries/, and described here.")
TEAMS = ("all", "marketing", "sales", "shared")
team = st.segmented_control("Team", TEAMS, format_func=lambda t: "All" if t == "all" else value_label("team", t),
                            **url_control("def_team", TEAMS, "all"))  # in the URL
rows = pl.DataFrame([
    {"metric": m.label, "metric_id": m.name, "team": m.team, "definition": m.definition, "formula": m.formula,
     "unit": m.unit, "better when": "higher" if m.higher_is_better else "lower", "query": f"queries/{m.query}.sql"}
    for m in metrics() if team in (None, "all", m.team)
])  # fmt: skip
for m in metrics():  # read in full: a grid cuts long definitions at its column's width
    if team in (None, "all", m.team):
        formula = m.formula.replace("`", "'")
        st.markdown(f"**{plain(m.label)}** · {value_label('team', m.team)} · "
                    f"{value_label('unit', m.unit)}, {'higher' if m.higher_is_better else 'lower'} is better\n\n"
                    f"{plain(m.definition)}\n\n`{formula}` · `queries/{m.query}.sql` · id `{m.name}`")
with st.expander("All definitions as a table"):
    table(rows, "revline-definitions", "definitions")
