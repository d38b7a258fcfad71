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
from queries.settings import KpiSettings, load_settings
from queries.view import View


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, items: tuple, warehouse_version: tuple | None) -> pl.DataFrame:
    return run(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in items})


@st.cache_resource
def settings() -> KpiSettings:
    return load_settings()


def settings_params() -> dict[str, Any]:
    return settings().params()


def query(name: str, view: View | None = None, **args: Any) -> pl.DataFrame:
    """Run query `name` for the page's view (bound by `View.params`, the one binding) with `args`.
    A filter in use that the query does not take is said under the result, never dropped silently."""
    if view is None:
        wanted = parameters(name)
        params = {k: v for k, v in {**settings_params(), **args}.items() if k in wanted}
    else:
        params = view.params(name, settings(), **args)
        if unapplied := [d for d in view.unapplied(name) if d not in args]:
            say_unapplied(unapplied)
    items = tuple(sorted((k, _hashable(v)) for k, v in params.items()))
    return _cached(name, items, version())


def say_unapplied(dims: list[str]) -> None:
    """"Not split by owner" once per run and set of filters, where the numbers are shown."""
    shown = st.session_state.setdefault("_unapplied_said", set())  # app.py empties it on each run
    key = tuple(dims)
    if key not in shown:
        shown.add(key)
        st.caption(f":gray[:material/filter_alt_off: Not split by {' or '.join(dims)}: the {' and '.join(dims)} "
                   "filter does not apply to the numbers below.]")


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v
