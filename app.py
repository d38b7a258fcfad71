"""Revline: the frame of the dashboard. Pages arrive with the dashboard issue; until then the app
shows what the warehouse holds, building the demo warehouse on first start."""

from __future__ import annotations

import streamlit as st

from etl.bootstrap import build_demo_warehouse
from etl.warehouse import db_path
from queries.runner import run

st.set_page_config(page_title="Revline", page_icon=":material/monitoring:", layout="wide")

db = db_path()
if not db.exists():
    with st.spinner("First start: building the demo warehouse from demo exports…"):
        build_demo_warehouse(db)

st.title("Revline")
st.caption(f"Warehouse: `{db}`")

st.subheader("What the warehouse holds")
st.dataframe(run("data/table_counts"), hide_index=True)

st.subheader("Load history")
st.dataframe(run("data/load_history"), hide_index=True)
