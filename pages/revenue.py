"""Revenue: recurring revenue from the Stripe exports for leadership and sales: MRR and its movements,
ARR, retention by signup cohort, and which acquisition channels bring customers that stay and grow."""

import streamlit as st

from queries.pages import page
from ui.auth import require_viewer
from ui.kpi import period_top
from ui.revenue import revenue_section
from ui.state import current_view

require_viewer("revenue")  # before anything else: signed in and allowed this page

view = current_view()
st.title("Revenue")
period_top(view, page("revenue").tiles)  # coverage, range, tiles (the catalogue: queries/pages.py)
revenue_section(view)
