"""The dashboard's shared filters and the pages' own controls, kept in the URL so a view can be
bookmarked and shared.

Every filter and page control has a URL query parameter; on each run the widgets start from the URL
and write their values back, so a reload or a shared link restores the same view. A URL is typed by
anyone: a value that is not valid (unknown key or choice, impossible or far-off date, reversed
range) falls back to a valid one and leaves a note (`url_notes`).

Dimension filters are multi-select (a repeated URL parameter per value: names may hold commas) and
cascade: each offers the values that have data with the other filters' choices, and a choice that
became impossible (a link, or another filter changed) is dropped with a note (queries/selection.py),
never a blank page. A page draws only the filters it uses (queries/pages.py `Page.filters`); the view
still carries the others, kept in the session, so moving between pages keeps them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl
import streamlit as st

from queries.connection import version
from queries.drill import DRILL_KEYS
from queries.pages import CONTROLS, FILTERS, role_name
from queries.registry import DIMENSIONS
from queries.runner import run
from queries.selection import known, options, settle, split_values
from queries.values import value_label
from queries.view import COMPARE, Selection, View, as_of_for
from ui.coverage import coverage
from ui.periods import PRESETS, resolve

ROLES = {"leadership": "Leadership", "marketing": "Marketer", "sales": "Sales manager"}  # "I am": EVERY_ROLE
DEFAULT_RANGE, DEFAULT_COMPARE = "last_30", "previous"  # the view a bare URL opens (ui/prewarm.py warms it)
EARLIEST, LATEST = date(1970, 1, 1), date(2099, 12, 31)  # a URL date outside is a typo, not a view
URL_KEYS = {"range", "start", "end", "compare", "role", *DIMENSIONS, *CONTROLS, *DRILL_KEYS}  # pages' own; drill




def _note(text: str) -> None:
    st.session_state.setdefault("url_notes", []).append(text)


def as_code(value: str, limit: int = 60) -> str:
    """A value typed into a URL, quoted for a markdown note as code: never a link, image or markup."""
    return "`" + " ".join(value[:limit].replace("`", "'").split()) + "`"


def url_notes() -> list[str]:
    """The notes about URL values that were replaced in this run (then forgotten)."""
    return st.session_state.pop("url_notes", [])


def url_value(key: str, allowed: dict | tuple | list | None = None, default: str | None = None) -> str | None:
    value = st.query_params.get(key)
    if value is None:
        return default
    if allowed is not None and value not in allowed:
        _note(f"The link's {key} {as_code(value)} is not one of the choices: showing {default or 'the default'}.")
        return default
    return value


def url_role() -> str:
    """The sidebar's "I am" of the link: a role (queries/pages.py), the old word `marketer` read as `marketing`."""
    if (given := st.query_params.get("role")) and role_name(given) != given:
        st.query_params["role"] = role_name(given)
    return url_value("role", ROLES, "leadership")


def parse_day(text: str | None) -> date | None:
    """A day from ISO text within EARLIEST..LATEST, else None."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or EARLIEST <= day <= LATEST else None


def url_day(key: str, default: date) -> date:
    text = st.query_params.get(key)
    day = parse_day(text)
    if text and day is None:
        _note(f"The link's {key} date {as_code(text, 40)} is not a day between {EARLIEST} and {LATEST}: "
              f"using {default:%Y-%m-%d}.")  # fmt: skip
    return day or default


def url_range(default: tuple[date, date]) -> tuple[date, date]:
    """The custom range of the URL, valid: each day parsed and bounded, a reversed range swapped."""
    start, end = url_day("start", default[0]), url_day("end", default[1])
    if start > end:
        _note(f"The link's range ends before it starts: showing {end:%Y-%m-%d} to {start:%Y-%m-%d}.")
        start, end = end, start
    return start, end


def anchor_day(today: date, data_through: date | None) -> date:
    """The day presets end on: the latest day the loaded exports cover, not the calendar (data
    through April opened in November shows April, not a month of zeros); today when nothing is loaded."""
    return data_through or today


def default_view(today: date, data_through: date | None, now: datetime | None = None) -> tuple[date, date, datetime]:
    """(start, end, as_of) of the view a bare URL opens; ui/prewarm.py warms exactly this."""
    start, end = resolve(DEFAULT_RANGE, anchor_day(today, data_through))
    return start, end, as_of_for(data_through, now or datetime.now())


@st.cache_resource(max_entries=2, show_spinner=False)
def _combos(warehouse_version: tuple | None) -> pl.DataFrame:
    return run("filters/combos")


def filter_combos() -> pl.DataFrame:
    """Which channel, platform, campaign and owner occur together (queries/filters/combos.sql), once
    per warehouse version and shared, not copied per run (hundreds of thousands of rows at 10M leads)."""
    return _combos(version())


def _kept() -> dict[str, Any]:
    """The filters of the last run: a page that does not draw a filter keeps its value (Streamlit
    forgets the state of a widget not drawn in a run, and a page switch may drop the URL's)."""
    return st.session_state.setdefault("_kept_filters", {})


def _changed(dim: str) -> None:
    """A multi-select's on_change: keep the user's choice (read at the next run's start, where the
    widget's own state is not reliably there yet) and let this filter win a conflict."""
    _kept().setdefault("dims", {})[dim] = tuple(st.session_state.get(f"f_{dim}") or ()) or None
    st.session_state["_changed_dim"] = dim


def url_selection(dim: str, values: Collection[str]) -> Selection:
    """A dimension's values in the URL (repeated, or comma-separated where that names known values);
    a value not among `values` is dropped with a note."""
    given = split_values(st.query_params.get_all(dim), values)
    if bad := [v for v in given if v not in values]:
        rest = [v for v in given if v in values]
        _note(f"The link's {dim} {', '.join(as_code(v) for v in bad[:3])} is not one of the choices: "
              f"showing {'the others' if rest else 'all'}.")  # fmt: skip
    return tuple(v for v in given if v in values) or None


def dimension_filters(combos: pl.DataFrame, show: Collection[str]) -> dict[str, Selection]:
    """Draw the cascading multi-selects of `show` and return every dimension's selection (those not
    drawn as kept from the last run, or from the URL)."""
    kept = _kept().get("dims")  # the last run's, with the user's change since (`_changed`)
    values = known(combos)
    chosen = {d: kept.get(d) if kept is not None else url_selection(d, values[d]) for d in DIMENSIONS}
    changed = st.session_state.pop("_changed_dim", None)
    settled, dropped = settle(combos, chosen, [changed] if changed else [])
    for d, gone in dropped:
        others = "; ".join(f"{e} {', '.join(as_code(v, 40) for v in settled[e][:3])}" for e in DIMENSIONS
                           if e != d and settled[e])  # fmt: skip
        _note(f"Dropped {d} {', '.join(as_code(v, 40) for v in gone[:3])}: no data with "
              f"{others or 'the other filters'}.")  # fmt: skip
    for d in DIMENSIONS:
        if d in show:
            st.session_state[f"f_{d}"] = list(settled[d] or ())  # drawn with the settled choice
            st.sidebar.multiselect(d.capitalize(), options(combos, settled, d), key=f"f_{d}", placeholder=f"All {d}s",
                                   format_func=functools.partial(value_label, d), on_change=_changed, args=(d,))  # fmt: skip
    return settled


def sidebar_filters(combos: pl.DataFrame, today: date, show: Collection[str] = FILTERS) -> View:
    """Draw the shared filters of `show` (a page's, queries/pages.py) in the sidebar and mirror every
    filter into the URL. Presets end on the data's last day (`anchor_day`)."""
    sb, kept = st.sidebar, _kept()
    anchor = anchor_day(today, coverage().through)
    preset_keys = list(PRESETS)
    preset = kept["range"] if "range" in kept else url_value("range", PRESETS, DEFAULT_RANGE)
    if "dates" in show:
        preset = sb.selectbox("Date range", preset_keys, index=preset_keys.index(preset), format_func=PRESETS.get,
                              key="f_range", help=f"Presets end on the data's last day, {anchor:%b %d, %Y}.")  # fmt: skip
    if preset == "custom":
        start0, end0 = kept.get("dates") or url_range((resolve(DEFAULT_RANGE, anchor)[0], anchor))
        picked = sb.date_input("From - to", (start0, end0), key="f_dates", min_value=EARLIEST,
                               max_value=LATEST) if "dates" in show else None  # fmt: skip
        start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (start0, end0))
    else:
        start, end = resolve(preset, anchor)
    compare_keys = list(COMPARE)
    compare = kept["compare"] if "compare" in kept else url_value("compare", COMPARE, DEFAULT_COMPARE)
    if "compare" in show:
        compare = sb.selectbox("Compare with", compare_keys, format_func=COMPARE.get, key="f_compare",
                               index=compare_keys.index(compare))  # fmt: skip
    dims = dimension_filters(combos, show)
    kept.update(range=preset, compare=compare, dims=dims, **({"dates": (start, end)} if preset == "custom" else {}))
    params: dict[str, str | list[str]] = {"range": preset, "compare": compare, **{d: list(v) for d, v in dims.items() if v}}
    if preset == "custom":
        params.update(start=start.isoformat(), end=end.isoformat())
    if unknown := sorted(set(st.query_params.keys()) - URL_KEYS):
        _note(f"Ignored what this link says about {', '.join(as_code(k, 30) for k in unknown[:5])}: not a filter.")
    now = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {**{k: v for k, v in now.items() if k == "role" or k in CONTROLS or k in DRILL_KEYS},
              **{k: v if isinstance(v, list) else [v] for k, v in params.items()}}  # fmt: skip
    if now != wanted:
        st.query_params.from_dict(wanted)
    return View(start, end, compare, as_of_for(coverage().through, datetime.now()), dims)


def _control_changed(key: str) -> None:
    st.session_state.setdefault("_controls", {})[key] = st.session_state.get(key)


def url_control(key: str, choices: Sequence[str], default: str) -> dict[str, Any]:
    """A page's own control (a mode, a stage, a sort) kept in the URL under its widget key: its value
    is the user's last choice, else the link's (a value not among `choices` falls back to `default`
    with a note); it is written back to the URL. Returns the widget's key and change hook, for a
    widget drawn with no default or index: `st.segmented_control("Mode", MODES, **url_control(...))`.
    The key must be declared in the page catalogue (queries/pages.py `Page.controls`)."""
    if key not in CONTROLS:
        raise KeyError(f"page control {key!r} is not declared in queries/pages.py (Page.controls)")
    value = st.session_state.setdefault("_controls", {}).get(key)
    if value not in choices:  # first run on the page, or a choice cleared: the link's
        value = url_value(key, choices, default)
        for note in url_notes():
            st.info(note, icon=":material/link_off:")
    st.session_state["_controls"][key] = st.session_state[key] = value
    if value == default:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    return {"key": key, "on_change": _control_changed, "args": (key,)}


def url_flag(key: str) -> dict[str, Any]:
    """A page's on/off switch kept in the URL as `key=on` (off: absent), like `url_control`; returns
    the widget's key and change hook: `st.toggle("Show drivers", **url_flag("ov_drivers"))`."""
    if key not in CONTROLS:
        raise KeyError(f"page control {key!r} is not declared in queries/pages.py (Page.controls)")
    value = st.session_state.setdefault("_controls", {}).get(key)
    if value is None:  # first run on the page: the link's
        value = url_value(key, ("on", "off"), "off") == "on"
        for note in url_notes():
            st.info(note, icon=":material/link_off:")
    st.session_state["_controls"][key] = st.session_state[key] = value
    if value:
        st.query_params[key] = "on"
    else:
        st.query_params.pop(key, None)
    return {"key": key, "on_change": _control_changed, "args": (key,)}


def current_view() -> View:
    """The filters app.py put in the session. A page never runs without the frame: on the very first
    request after a server start, Streamlit's legacy `pages/` mode can run a deep-linked page on its
    own; send that one request through app.py (it keeps the query parameters)."""
    if "filters" not in st.session_state:
        st.switch_page("app.py", query_params={k: st.query_params.get_all(k) for k in st.query_params})  # all values
    return st.session_state["filters"]
