"""KPI tiles: value, change vs the comparison period (coloured by whether up is good), target and
pace, and the registry's definition one click away. A tile whose sources' exports do not cover the
range says so: "–" with the reason where they cover none of it, "incomplete" and which source and
days where they cover part, and no change against a comparison period they do not cover."""

from __future__ import annotations

import streamlit as st

from queries.connection import version
from queries.movers import slices
from queries.notes import ASSUMED_NOTE, metric_notes, shown_label
from queries.registry import format_value, metric
from queries.settings import load_settings
from queries.summary import summarize
from queries.view import COMPARE, View
from ui.coverage import notice

SHOWN = {"no_data": ":gray[{}]", "incomplete": ":orange[:material/warning: {}]", "comparison": ":gray[{}]",
         "cohort": ":gray[{}]"}  # by note kind


@st.cache_data(max_entries=128, show_spinner=False)
def _summary(key: tuple, names: tuple, warehouse_version: tuple | None) -> dict:
    start, end, compare, as_of, dims = key
    return summarize(view=View(start, end, compare, as_of, dict(dims)), names=list(names))


def summary(view: View, names: list[str]) -> dict:
    """The summary command's numbers for this view: the tiles show exactly these."""
    return _summary(view.key(), tuple(names), version())


@st.cache_data(max_entries=32, show_spinner="Finding what drove each change…")
def _slices(key: tuple, names: tuple, warehouse_version: tuple | None) -> dict:
    start, end, compare, as_of, dims = key
    return slices(View(start, end, compare, as_of, dict(dims)), list(names))


def driver_slices(view: View, names: list[str]) -> dict:
    """The summary of `names` per channel, platform and rep of this view (queries/movers.py), cached
    per view and warehouse version: the Overview's "what drove each change"."""
    return _slices(view.key(), tuple(names), version())


def tiles(view: View, names: list[str], per_row: int = 4) -> None:
    result = summary(view, names)
    data = result["metrics"]
    currency = load_settings().reporting_currency
    for i in range(0, len(names), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, names[i : i + per_row], strict=False):
            m, r = metric(name), data[name]
            with col:
                notes = metric_notes(r, result["comparison"])
                if unsplit := [n.text for n in notes if n.kind == "not_split_by"]:
                    # never the unfiltered value under a filter it cannot take
                    st.metric(m.label, "–", help=f"{m.definition}\n\n**Formula:** {m.formula}")
                    st.caption(":gray[" + "; ".join(unsplit) + "]")
                    continue
                delta = None if r["change"] is None else f"{r['change']:+.1%} vs {COMPARE[view.compare].lower()}"
                st.metric(
                    shown_label(m.label, r),
                    format_value(m, r["value"], currency),
                    delta=delta,
                    delta_color="normal" if m.higher_is_better else "inverse",
                    help=f"{m.definition}\n\n**Formula:** {m.formula}",
                )
                if r["value"] is None and m.empty and r["coverage"]["status"] == "complete":
                    st.caption(f":gray[{m.empty}.]")
                if r.get("assumed"):  # LTV / CAC payback from config, not from billing
                    st.caption(f":gray[{ASSUMED_NOTE}]")
                if m.basis:  # flow counts: not the funnel's cohort counts
                    st.caption(f":gray[{m.basis[:1].upper()}{m.basis[1:]}]")  # "Entered MQL…", not "Entered mql…"
                if notes:  # the first: no data, else incomplete, else no comparison
                    st.caption(SHOWN[notes[0].kind].format(notes[0].text))
                if r["target"] is not None:
                    pace = "" if r["pace"] is None else f" · pace {r['pace']:.0%}"
                    st.caption(f"Target {format_value(m, r['target'], currency)}{pace}")


def period_top(view: View, names: list[str]) -> None:
    """Under a period page's title (Overview, Revenue): coverage notes, the range and what it is
    compared with, then the page's tiles (`names`: the catalogue's, queries/pages.py)."""
    notice(view)
    st.caption(f"{view.start:%b %d, %Y} – {view.end:%b %d, %Y}, compared with the {COMPARE[view.compare].lower()}")
    tiles(view, names)
