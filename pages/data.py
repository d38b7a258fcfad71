"""Data: what was loaded when, what was rejected and why, how fresh each source is, and upload of
new exports (loaded by the same ETL, shown at once without a restart)."""

import streamlit as st

from etl.warehouse import db_path
from queries.markdown import plain
from ui.auth import require_viewer
from ui.coverage import notice, timeline
from ui.data import query
from ui.format import chart, table
from ui.revenue import billing_match
from ui.upload import MAX_MB, load_uploads
from ui.warehouse import moved, which

require_viewer("data")  # before anything else: signed in and allowed this page

st.title("Data")
which(db_path())  # the warehouse's path and whether it is the demo
notice()

st.subheader("Upload exports")
files = st.file_uploader(f"CSV or XLSX exports, up to {MAX_MB} MB each", type=["csv", "xlsx", "tsv"],
                         accept_multiple_files=True, key="uploads")  # fmt: skip
if files and st.button("Load into the warehouse", type="primary"):
    demo_to: list = []
    with st.spinner("Loading…"):
        st.session_state["upload_results"] = load_uploads(files, demo_to=demo_to)
    if demo_to:  # the demo was set aside: this run still reads it, the next one reads the new warehouse
        st.session_state["upload_moved"] = demo_to[0]
        st.rerun()
if results := st.session_state.pop("upload_results", None):
    if demo := st.session_state.pop("upload_moved", None):
        moved(db_path(), demo)
    for r in results:
        c = r.counts
        if r.ok:
            st.success(plain(f"{r.name or r.path.name}: {c.rows_read:,} rows read: {c.rows_loaded:,} loaded, "
                             f"{c.rows_merged:,} merged, {c.rows_rejected:,} rejected, {c.rows_duplicate:,} duplicate"
                             + (f". {r.message}" if r.message else "")))  # fmt: skip
        else:
            st.error(plain(r.message))

st.subheader("Coverage per source")
chart(query("data/coverage"), timeline, "coverage_timeline",
      "Nothing loaded yet: upload exports above or run `python -m etl load PATH...`.")
st.subheader("Freshness per source")
st.caption("By the data's own dates: how far each source goes, how many days it lags the newest one, "
           "days no export covers (gaps), and when it was last exported and loaded.")  # fmt: skip
table(query("data/freshness"), "freshness", "freshness")  # labels and formats: queries/columns.py
st.subheader("Load history")
table(query("data/load_history"), "load-history", "history")
st.subheader("Rejected rows")
table(query("data/rejected_rows"), "rejected-rows", "rejected")
st.subheader("Deal stages without an outcome")
unmapped = query("data/unmapped_stages")
if unmapped.is_empty():
    st.caption("Every deal stage maps to won, lost or open (the export's own flags or config/revline.toml).")
else:
    st.warning(f"{int(unmapped['deals'].sum()):,} deals have a stage that no rule maps: they count as open "
               "until you add each stage to config/revline.toml (as open, won or lost), then run "
               "`python -m etl rebuild`.")  # fmt: skip
    table(unmapped, "unmapped-stages", "unmapped_stages")
billing_match()  # Stripe customers matched to CRM leads by e-mail hash (ui/revenue.py)
st.subheader("Warehouse tables")
table(query("data/table_counts"), "tables", "tables")
