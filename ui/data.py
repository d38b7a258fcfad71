"""Query results for pages, cached by query, parameters and warehouse version.

A new load changes the warehouse file's version, so the next run asks again; nothing is stale and
nothing is recomputed while the data is the same.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from queries.connection import version
from queries.runner import parameters, run
from queries.settings import load_settings
from ui.state import Filters


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, items: tuple, warehouse_version: tuple | None) -> pl.DataFrame:
    return run(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in items})


@st.cache_resource
def settings_params() -> dict[str, Any]:
    return load_settings().params()


def q(name: str, filters: Filters | None = None, **args: Any) -> pl.DataFrame:
    """Run query `name` with the page's filters, the KPI settings and `args`, keeping only the
    parameters the query declares."""
    available = {**settings_params(), **(filters.args() if filters else {}), **args}
    wanted = parameters(name)
    items = tuple(sorted((k, _hashable(v)) for k, v in available.items() if k in wanted))
    return _cached(name, items, version())


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v
