"""Revenue: recurring revenue from the Stripe exports for leadership and sales: MRR and its movements,
ARR, retention by signup cohort, and which acquisition channels bring customers that stay and grow."""

import streamlit as st

from queries.pages import page
from queries.view import COMPARE
from ui.auth import require_viewer
from ui.coverage import notice
from ui.kpi import tiles
from ui.revenue import revenue_section
from ui.state import current_view

require_viewer("revenue")  # before anything else: signed in and allowed this page

view = current_view()
st.title("Revenue")
notice(view)
st.caption(f"{view.start:%b %d, %Y} – {view.end:%b %d, %Y}, compared with the {COMPARE[view.compare].lower()}")
tiles(view, page("revenue").tiles)  # the catalogue: queries/pages.py
revenue_section(view)
