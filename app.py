"""Revline: the frame of the dashboard. Page config, the warehouse check (first start builds the
demo warehouse), shared sidebar filters kept in the URL, and navigation with a role-aware landing
page. Pages live in pages/ and read top to bottom like the dashboards they draw."""

from __future__ import annotations

from datetime import date

import streamlit as st

from etl.bootstrap import build_demo_warehouse
from etl.warehouse import db_path
from ui.data import q
from ui.state import ROLES, sidebar_filters, url_value

st.set_page_config(page_title="Revline", page_icon=":material/monitoring:", layout="wide")

db = db_path()
if not db.exists():
    with st.spinner("First start: building the demo warehouse from the demo exports…"):
        build_demo_warehouse(db)

span = q("filters/date_range").row(0, named=True)
if span["last_date"] is None:
    st.title("Revline")
    st.info(
        "The warehouse is empty. Load your exports with `python -m etl load PATH...` "
        "or upload them on the Data page.",
        icon=":material/upload_file:",
    )

options: dict[str, list[str]] = {}
for kind, value in q("filters/options").iter_rows():
    options.setdefault(kind, []).append(value)

role_keys = list(ROLES)
role = st.sidebar.selectbox("I am", role_keys, format_func=ROLES.get, key="f_role",
                            index=role_keys.index(url_value("role", ROLES, "leadership")))  # fmt: skip
st.query_params["role"] = role
st.session_state["filters"] = sidebar_filters(options, date.today())

landing = {"leadership": "overview", "marketer": "marketing", "sales": "handoff"}[role]
pages = {
    "Dashboards": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=landing == "overview"),
        st.Page("pages/marketing.py", title="Marketing", icon=":material/campaign:", default=landing == "marketing"),
        st.Page("pages/sales.py", title="Sales", icon=":material/handshake:"),
        st.Page("pages/funnel.py", title="Funnel", icon=":material/filter_alt:"),
        st.Page("pages/handoff.py", title="Handoff", icon=":material/timer:", default=landing == "handoff"),
    ],
    "Data": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
        st.Page("pages/definitions.py", title="Definitions", icon=":material/menu_book:"),
    ],
}
st.navigation(pages).run()
