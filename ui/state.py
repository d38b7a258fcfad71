"""The dashboard's shared filters, kept in the URL so a view can be bookmarked and shared.

Every filter has a URL query parameter; on each run the sidebar widgets start from the URL and
write their values back, so a reload or a shared link restores the same view. A URL is typed by
anyone: a value that is not valid (unknown key or choice, impossible or far-off date, reversed
range) falls back to a valid one and leaves a note the frame shows (`url_notes`).
"""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from queries.drill import DRILL_KEYS
from queries.registry import DIMENSIONS
from queries.view import View, as_of_for
from ui.coverage import coverage
from ui.periods import PRESETS, resolve

ROLES = {"leadership": "Leadership", "marketer": "Marketer", "sales": "Sales manager"}
COMPARE = {"previous": "Previous period", "yoy": "Same period last year"}
DEFAULT_RANGE, DEFAULT_COMPARE = "last_30", "previous"  # the view a bare URL opens (ui/prewarm.py warms it)
EARLIEST, LATEST = date(1970, 1, 1), date(2099, 12, 31)  # a URL date outside is a typo, not a view
URL_KEYS = {"range", "start", "end", "compare", "role", *DIMENSIONS, *DRILL_KEYS}  # drill: pages/records.py


Filters = View  # the pages' name for the view (queries/view.py): range, comparison, as-of, filters


def _note(text: str) -> None:
    st.session_state.setdefault("url_notes", []).append(text)


def shown(value: str, limit: int = 60) -> str:
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
        _note(f"The link's {key} {shown(value)} is not one of the choices: showing {default or 'the default'}.")
        return default
    return value


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
        _note(f"The link's {key} date {shown(text, 40)} is not a day between {EARLIEST} and {LATEST}: "
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


def sidebar_filters(options: dict[str, list[str]], today: date) -> View:
    """Draw the shared filters in the sidebar and mirror them into the URL. Presets end on the data's
    last day (`anchor_day`)."""
    sb = st.sidebar
    anchor = anchor_day(today, coverage().through)
    preset_keys = list(PRESETS)
    preset = url_value("range", PRESETS, DEFAULT_RANGE)
    preset = sb.selectbox("Date range", preset_keys, index=preset_keys.index(preset), format_func=PRESETS.get,
                          key="f_range", help=f"Presets end on the data's last day, {anchor:%b %d, %Y}.")  # fmt: skip
    if preset == "custom":
        start0, end0 = url_range((resolve(DEFAULT_RANGE, anchor)[0], anchor))
        picked = sb.date_input("From - to", (start0, end0), key="f_dates",
                               min_value=EARLIEST, max_value=LATEST)  # fmt: skip
        start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (start0, end0))
    else:
        start, end = resolve(preset, anchor)
    compare_keys = list(COMPARE)
    compare = sb.selectbox("Compare with", compare_keys, format_func=COMPARE.get, key="f_compare",
                           index=compare_keys.index(url_value("compare", COMPARE, DEFAULT_COMPARE)))  # fmt: skip
    dims = {}
    for d in DIMENSIONS:
        choices = ["(all)", *options.get(d, [])]
        current = url_value(d, choices, "(all)")
        picked = sb.selectbox(d.capitalize(), choices, index=choices.index(current), key=f"f_{d}")
        dims[d] = None if picked == "(all)" else picked
    params = {"range": preset, "compare": compare, **{d: v for d, v in dims.items() if v}}
    if preset == "custom":
        params.update(start=start.isoformat(), end=end.isoformat())
    if unknown := sorted(set(st.query_params.to_dict()) - URL_KEYS):
        _note(f"Ignored what this link says about {', '.join(shown(k, 30) for k in unknown[:5])}: not a filter.")
    keep = {k: v for k, v in st.query_params.to_dict().items() if k == "role" or k in DRILL_KEYS}
    if st.query_params.to_dict() != {**keep, **params}:
        st.query_params.from_dict({**keep, **params})
    return View(start, end, compare, as_of_for(coverage().through, datetime.now()), dims)


def current_filters() -> View:
    """The filters app.py put in the session. A page never runs without the frame: on the very first
    request after a server start, Streamlit's legacy `pages/` mode can run a deep-linked page on its
    own; send that one request through app.py (it keeps the query parameters)."""
    if "filters" not in st.session_state:
        st.switch_page("app.py", query_params=st.query_params.to_dict())
    return st.session_state["filters"]
