"""Drill-through in the app: from an aggregate row to the Records page (pages/records.py) listing the
records behind it, and CRM links for record ids.

A table drawn with `ui.format.table(..., drill=Link(...))` lets a row be selected; the selected row
gets a link to the Records page whose URL holds the row's keys and the current view (range,
comparison, filters), so the list can be bookmarked and shared. The keys and their checks are in
queries/drill.py; the records queries in queries/records/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st

from queries.drill import CHOICES, DRILL_KEYS, ORIGINS
from queries.settings import SETS, load_record_links
from queries.values import SOURCE_SYSTEM

PAGE = "pages/records.py"
PER_LINE = 4  # links per line under a full-width chart (link_row): "15-60 min · 1,234" fits at 1280 px


@dataclass(frozen=True)
class Link:
    """How a table's rows drill: the record list (`records`), fixed URL keys, and URL key -> the
    row's column holding its value. `of`: the aggregate query the row comes from."""

    records: str
    of: str
    fixed: dict[str, str] = field(default_factory=dict)
    from_row: dict[str, str] = field(default_factory=dict)
    label: str = "Open the records behind this row"

    def __post_init__(self) -> None:
        """A link sets only the keys its origin's rows set (queries/drill.py ORIGINS), which is what the
        Records page opens for the roles of the page the origin is shown on."""
        records, keys = ORIGINS.get(self.of, ("", ()))
        if records != self.records or (extra := (set(self.fixed) | set(self.from_row)) - set(keys)):
            raise ValueError(f"a drill from {self.of} lists {records or 'nothing'} by {', '.join(keys)}, not "
                             f"{self.records} by {', '.join(sorted(extra))}: say it in ORIGINS (queries/drill.py)")  # fmt: skip


def params_for(link: Link, row: dict[str, Any], url: dict[str, str | list[str]]) -> dict[str, str | list[str]] | None:
    """The Records page's URL parameters for `row`: the current view's URL (without another drill)
    plus the row's keys. None when the row has no value for a key (e.g. leads without a campaign) or
    one no record list is cut by (the flow funnel's visitors: GA4 sessions, no CRM record behind them)."""
    keys = {}
    for key, column in link.from_row.items():
        value = row.get(column)
        allowed = CHOICES.get(key, (None, None))[0]
        if value is None or value == "" or (allowed is not None and str(value) not in allowed):
            return None
        keys[key] = str(value)
    view = {k: v for k, v in url.items() if k not in DRILL_KEYS}
    return {**view, "records": link.records, "of": link.of, **link.fixed, **keys}


def current_url() -> dict[str, list[str]]:
    """Every URL parameter with all its values (a multi-select filter repeats its key)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def offer(link: Link, rows: pl.DataFrame, selected: list[int]) -> None:
    """Under a table: the link to the records of the selected row, or how to get one."""
    if not selected or selected[0] >= rows.height:
        st.caption(":material/ads_click: Select a row to open the records behind it.")
        return
    params = params_for(link, rows.row(selected[0], named=True), current_url())
    if params is None:
        st.caption("This row has no value to list records by.")
        return
    st.page_link(PAGE, label=link.label, icon=":material/list_alt:", query_params=params)


def with_links(df: pl.DataFrame, records: str, id_column: str) -> tuple[pl.DataFrame, list[str]]:
    """`df` with a `crm_link` column (the record's page in its CRM, only http(s) URLs) when any
    source is configured, and the captions naming the key to set for the sources that are not."""
    links = load_record_links()
    sources = [s for s in df["source_system"].unique().to_list() if s] if "source_system" in df.columns else []
    missing = [s for s in sources if not links.configured(s)]
    notes = [f"{SOURCE_SYSTEM.get(s, s)} ids are not linked: set `{SETS[s]}` under `[crm]` in config/revline.toml."
             for s in missing if s in SETS]  # fmt: skip
    if len(missing) == len(sources):
        return df, notes
    urls = [links.url(s, records, i) for s, i in zip(df["source_system"], df[id_column], strict=True)]
    return df.with_columns(pl.Series("crm_link", urls, dtype=pl.String)), notes


def human_duration(hours: float | None) -> str | None:
    """704.7 -> "29 d 9 h", 3.2 -> "3 h 12 min", 0.5 -> "30 min"; negative: the same, "ago" left to the label."""
    if hours is None:
        return None
    if abs(hours) >= 24:  # days and whole hours: minutes say nothing a month on
        d, h = divmod(round(abs(hours)), 24)
        return f"{d} d {h} h" if h else f"{d} d"
    h, m = divmod(round(abs(hours) * 60), 60)
    if h:
        return f"{h} h {m} min" if m else f"{h} h"
    return f"{m} min"


def deadline_words(hours: float | None) -> str | None:
    """Hours to the SLA deadline in words: "in 2 h 10 min", "overdue 29 d 9 h"."""
    if hours is None:
        return None
    return f"in {human_duration(hours)}" if hours >= 0 else f"overdue {human_duration(hours)}"


def link_row(rows: pl.DataFrame, key_column: str, count_column: str, link: Link, per_line: int = PER_LINE) -> None:
    """For a chart without a table (the Handoff response bands): one link per row with records,
    "1-4 h · 179", to the records behind it."""
    shown = rows.filter(pl.col(count_column) > 0)
    url = current_url()
    for start in range(0, shown.height, per_line):
        chunk = shown.slice(start, per_line)
        for cell, row in zip(st.columns(per_line), chunk.iter_rows(named=True), strict=False):
            params = params_for(link, row, url)
            if params is not None:
                cell.page_link(PAGE, label=f"{row[key_column]} · {row[count_column]:,}", icon=":material/list_alt:",
                               query_params=params)  # fmt: skip
