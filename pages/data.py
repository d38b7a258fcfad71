"""Data: what was loaded when, what was rejected and why, how fresh each source is, and upload of
new exports (loaded by the same ETL, shown at once without a restart)."""

import streamlit as st

from ui.data import q
from ui.format import table
from ui.upload import MAX_MB, load_uploads

st.title("Data")

st.subheader("Upload exports")
files = st.file_uploader(f"CSV or XLSX exports, up to {MAX_MB} MB each", type=["csv", "xlsx", "tsv"],
                         accept_multiple_files=True, key="uploads")  # fmt: skip
if files and st.button("Load into the warehouse", type="primary"):
    with st.spinner("Loading…"):
        results = load_uploads(files)
    for r in results:
        if r.ok:
            st.success(f"{r.path.name}: {r.counts.rows_loaded:,} rows loaded, {r.counts.rows_rejected:,} rejected")
        else:
            st.error(r.message)

st.subheader("Freshness per source")
table(q("data/freshness"), "freshness", "freshness")
st.subheader("Load history")
table(q("data/load_history"), "load-history", "history")
st.subheader("Rejected rows")
table(q("data/rejected_rows"), "rejected-rows", "rejected")
st.subheader("Deal stages without an outcome")
unmapped = q("data/unmapped_stages")
if unmapped.is_empty():
    st.caption("Every deal stage maps to won, lost or open (the export's own flags or config/revline.toml).")
else:
    st.warning(f"{int(unmapped['deals'].sum()):,} deals have a stage that no rule maps: they count as open "
               "until you add each stage to config/revline.toml (as open, won or lost), then run "
               "`python -m etl rebuild`.")  # fmt: skip
    table(unmapped, "unmapped-stages", "unmapped_stages")
st.subheader("Warehouse tables")
table(q("data/table_counts"), "tables", "tables")
