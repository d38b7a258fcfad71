"""Revline: the frame of the dashboard. Page config, sign-in before anything else (until then the
sign-in form is the app's only page), the warehouse check (the demo is built only when no warehouse
is configured, and then says so on every page), shared sidebar filters kept in the URL, and
navigation with a role-aware landing page. Pages live in pages/ and read top to bottom."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import streamlit as st

from etl.bootstrap import WarehouseMissing, build_demo_warehouse, is_demo, locate
from etl.config_check import ConfigError
from queries.connection import WarehouseOutdated, WarehouseUnreadable, pin, require_models
from queries.pages import FILTERS, PAGES
from queries.pages import landing as landing_page
from reports.config import check_config
from ui import prewarm
from ui.auth import framed, only_page, require_sign_in, sign_out, wanted_page
from ui.data import query
from ui.state import ROLES, filter_combos, sidebar_filters, url_notes, url_role
from ui.warehouse import DEMO, first_run

# Arrow buffers (each table's IPC bytes for the browser) from the system allocator: pyarrow's default
# mimalloc pool kept ~160 MB after drawing the 168k-row Records list at 1M leads; the peak of a process
# rendering every page fell 1,170 -> ~1,100 MB (docs/benchmarks.md "Performance round 2 (#23)")
pa.set_memory_pool(pa.system_memory_pool())

st.set_page_config(page_title="Revline", page_icon=":material/monitoring:", layout="wide")
viewer = require_sign_in()


def stop_with(message: str, icon: str) -> None:
    """A warehouse Revline cannot show: the message as the app's one page (any URL lands on it)."""

    def draw() -> None:
        st.title("Revline")
        st.error(message, icon=icon)

    only_page(draw, "Revline", icon, "warehouse")


try:
    check_config()  # every config file readable, typed and in range, before anything runs (reports/config.py)
except ConfigError as exc:
    stop_with(str(exc), ":material/settings:")

try:
    warehouse = locate()
except WarehouseMissing as missing_file:
    stop_with(str(missing_file), ":material/database_off:")
db = warehouse.path
if not warehouse.configured and not db.exists():
    with st.spinner("First start: building the demo warehouse from the demo exports…"):
        build_demo_warehouse(db)
if is_demo(db):
    st.sidebar.warning(DEMO, icon=":material/science:")
    st.warning(DEMO, icon=":material/science:")
try:
    pin()  # every query of this run reads one warehouse version (queries/connection.py)
    require_models()
except WarehouseUnreadable as exc:  # damaged file: the way back (restore command), no traceback
    stop_with(str(exc), ":material/error:")
except WarehouseOutdated as exc:  # built by an older Revline: the rebuild command
    stop_with(str(exc), ":material/build:")
prewarm.start()  # once per process: after each load, the default view is warmed in the background

# empty: nothing loaded at all (a warehouse of deal stage history alone has no date range, yet data)
empty = query("filters/date_range").row(0, named=True)["last_date"] is None and not any(
    query("data/table_counts")["row_count"]) and not any(query("data/load_history")["rows_loaded"])

role_keys = list(ROLES)
role = st.sidebar.selectbox("I am", role_keys, format_func=ROLES.get, key="f_role",
                            index=role_keys.index(url_role()))  # fmt: skip
st.query_params["role"] = role

allowed = [p for p in PAGES if viewer is None or viewer.may_see(p.name)]  # the catalogue: queries/pages.py
landing = wanted_page() or landing_page(role)
if landing not in {p.name for p in allowed}:
    landing = allowed[0].name
pages = {p.name: st.Page(f"pages/{p.name}.py", title=p.title, icon=p.icon, url_path=p.name) for p in allowed}
# "/" is a hidden page that opens the role's landing page, so every page keeps its own path: a link to
# /overview (digests, bookmarks) would otherwise be "Page not found" while Overview is the default.
home = st.Page(lambda: None, title="Revline", url_path="home", default=True, visibility="hidden")
navigation: dict[str, list] = {}
for p in allowed:
    navigation.setdefault(p.section, []).append(pages[p.name])
navigation[allowed[0].section].insert(0, home)
current = st.navigation(navigation)  # the page this run shows: the sidebar draws only its filters
if current.url_path == home.url_path:
    st.switch_page(pages[landing], query_params={k: st.query_params.get_all(k) for k in st.query_params})
shown = next((p.filters for p in allowed if p.title == current.title), FILTERS)
view = st.session_state["filters"] = sidebar_filters(filter_combos(), date.today(), shown)
st.session_state["_unapplied_said"] = set()  # ui/data.py says each unapplied filter once per run
if shown:
    st.sidebar.caption(f"As of {view.as_of:%b %d, %Y %H:%M}: the end of the data's last day, or now if earlier. "
                       "Open SLA windows, pace and open pipeline are judged at this moment.")
for note in url_notes():
    st.info(note, icon=":material/link_off:")
if viewer is None:
    st.sidebar.caption("Sign-in is not configured: Revline serves on localhost only (docs/SECURITY.md).")
else:
    st.sidebar.caption(f"Signed in: {viewer.name}" + (f" ({viewer.role})" if viewer.role else ""))
    sign_out(viewer)

try:
    with framed():  # pages refuse to run outside it (ui/auth.py)
        if empty and "dates" in shown:  # nothing loaded: how to load, not a page of empty tiles
            first_run(db, data_page="data" in pages)
        else:
            current.run()
except WarehouseUnreadable as exc:  # a damaged block found by a page's query
    st.error(str(exc), icon=":material/error:")
