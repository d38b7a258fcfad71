"""How far the loaded data goes, for the app: the coverage of the current warehouse version (cached),
and the notice every page shows under its title ("Data through Apr 30, 2026; Meta through Apr 28")."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from queries.connection import version
from queries.coverage import Coverage, load_coverage
from queries.settings import load_settings
from queries.summary import coverage_notes

if TYPE_CHECKING:
    from ui.state import Filters


@st.cache_data(max_entries=8, show_spinner=False)
def _coverage(warehouse_version: tuple | None) -> Coverage:
    return load_coverage()


def coverage() -> Coverage:
    """What the current warehouse's exports cover (empty when nothing is loaded)."""
    return _coverage(version())


def notice(filters: Filters | None = None) -> None:
    """Under each page title: how far the data goes, lagging sources, gaps in the range, and a warning
    when the newest data is older than config [freshness] warn_after_days. The summary command prints
    the same notes (queries/summary.py coverage_notes)."""
    cov = coverage()
    if cov.through is None:
        return
    start, end = (filters.start, filters.end) if filters else (cov.through, cov.through)
    notes = coverage_notes(cov, start, end, date.today(), load_settings())
    stale = cov.stale(date.today(), load_settings().warn_after_days)
    info = [n for n in notes if n != stale]
    st.caption(" ".join(info), help="What the loaded exports cover, by the data's own dates: see the Data page.")
    if stale:
        st.warning(stale, icon=":material/history:")
