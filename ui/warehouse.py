"""Which warehouse the app shows, said plainly: its path and whether it is the demo, where a demo set
aside went and how to open it, and what an empty warehouse of the user's own shows instead of blank
tiles: how to load exports (the demo is never a load's target: etl/demo_aside.py)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from etl.demo_aside import aside_path, demos_aside, is_demo
from etl.errors import WarehouseError

DEMO = ("**Demo data**: invented numbers from the demo exports, not yours. Load your exports: the demo "
        "is moved aside, never mixed with them.")  # fmt: skip


def code(path: Path | str) -> str:
    """A path as Markdown code: a backtick in it cannot end the code span."""
    return "`" + str(path).replace("`", "'") + "`"


def open_demo(path: Path) -> str:
    return code(f"REVLINE_DB={path} python3 -m streamlit run app.py")


def moved(db: Path, demo: Path) -> None:
    """After an upload onto the demo: where it went, once (the load summary's line)."""
    st.info(f"{code(db)} held the demo, so your exports started your own warehouse there. The demo was "
            f"moved, intact, to {code(demo)}: {open_demo(demo)} opens it.", icon=":material/science:")  # fmt: skip


def which(db: Path) -> None:
    """The Data page's line: the warehouse's path, whether it is the demo, what a load does to it."""
    if not is_demo(db):
        st.markdown(f":material/database: Warehouse {code(db)}: **your own** (only the exports loaded into it).")
    else:
        try:
            where = f"moves the demo, intact, to {code(aside_path(db))} and starts your own warehouse at {code(db)}"
        except WarehouseError:  # a demo already set aside: loads are refused here
            where = f"is refused here: your own warehouse is {code(db.with_name('warehouse.duckdb'))}"
        st.markdown(f":material/science: Warehouse {code(db)}: **the demo** (invented numbers). Loading exports "
                    f"{where}; nothing is mixed.")  # fmt: skip
    for demo in demos_aside(db):
        if demo != db:
            st.caption(f"Open the demo: it is kept at {code(demo)}; {open_demo(demo)} opens it, and your own "
                       f"warehouse stays as it is (start the app without `REVLINE_DB` to come back).")


def first_run(db: Path, data_page: bool = True) -> None:
    """An own warehouse with nothing loaded yet: how to load exports, not a page of empty tiles."""
    st.title("Your warehouse is empty")
    st.markdown(f"Revline shows your numbers once your exports are in {code(db)}. Download them from the tools "
                "as they are (CSV or XLSX: HubSpot, Salesforce, Meta, Google Ads, TikTok, LinkedIn), then:")  # fmt: skip
    st.markdown("- upload them on the **Data** page, or\n"
                f"- run {code(f'python3 -m etl load ~/Downloads/ --db {db}')} (files or folders; `--dry-run` first "
                "checks them and writes nothing).")  # fmt: skip
    if data_page:  # a viewer who may open it
        st.page_link("pages/data.py", label="Upload exports on the Data page", icon=":material/upload_file:")
    for demo in demos_aside(db):
        st.caption(f"The demo is kept at {code(demo)}: {open_demo(demo)} opens it.")
