"""Records: the leads or deals behind an aggregate row (a campaign, rep, response band, stage or
cohort), one row each, with the CRM id linked to the record where [crm] is configured. The list is
said by the URL (queries/drill.py), so it can be bookmarked; no names, e-mails or phones."""

from dataclasses import replace

import polars as pl
import streamlit as st

from queries.drill import DEAL_SETS, describe, parse
from queries.markdown import plain
from queries.pages import closed_list, page
from queries.values import value_label
from ui.auth import may_see, require_viewer
from ui.coverage import notice
from ui.data import query
from ui.drill import human_duration, with_links
from ui.format import table
from ui.state import as_code, current_view

require_viewer("records")  # before anything else: signed in and allowed this page

view = current_view()
st.title("Records")
notice(view)
drill = parse(st.query_params.to_dict())
if (closed := closed_list(drill, may_see)) is not None:  # a list opens for the roles of the page it drills from
    source = " or ".join(page(p).title for p in closed) or "another"
    st.info(f"This list opens from the {source} page, which your role does not include.", icon=":material/lock:")
    st.stop()
if drill.records == "deals":  # a rep's closed deals, or its won, lost, created or open ones: kept in the URL
    picked = st.segmented_control("Deals", list(DEAL_SETS), default=drill.values["set"], format_func=DEAL_SETS.get,
                                  key="rec_set") or drill.values["set"]  # fmt: skip
    if picked != drill.values["set"]:
        st.query_params["set"] = picked
        drill = parse(st.query_params.to_dict())
for note in drill.notes:
    st.info(f"The link's {as_code(note, 80)}", icon=":material/link_off:")
kept = drill.kept_filters()
if kept is not None and (dropped := [d for d in view.filters if d not in kept]):
    view = replace(view, dims={d: v for d, v in view.dims.items() if d not in dropped})
    st.caption(f"Not split by {' or '.join(dropped)}, as the row this list comes from.")

rows = query(drill.query, view, **drill.args())
st.markdown("**" + plain(describe(drill, rows.height, view.start, view.end)) + "**")
if view.filters:
    st.caption(plain("Filters: " + "; ".join(f"{d} " + ", ".join(value_label(d, v) or v for v in values)
                                             for d, values in view.filters.items())))  # values from files
id_column = "deal_id" if drill.records == "deals" else "lead_id"
if not rows.is_empty():
    rows, captions = with_links(rows, drill.records, id_column)
    for text in captions:
        st.caption(text)
    if "response_minutes" in rows.columns:
        rows = rows.with_columns(pl.col("response_minutes").map_elements(
            lambda m: human_duration(m / 60), return_dtype=pl.String).alias("response"))  # fmt: skip
table(rows, f"records-{drill.records}", "records")  # the CSV button is the download of exactly these rows
