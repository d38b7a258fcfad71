"""The queries a page declares in the catalogue (queries/pages.py `Page.queries`, what the benchmark
times) are the queries the page runs: each page is rendered from app.py on the demo warehouse with
its controls at their defaults, and every query it asks the app's runner for (ui/data.py: the
real run, watched on its way through) is compared with the declaration. A page that gains a chart
without its query in the catalogue fails here, so the benchmark cannot drift from the pages again."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st

import ui.data
from queries.dimensions import DIMENSIONS
from queries.pages import FRAME_QUERIES, PAGES, page
from queries.settings import load_settings

VIEW = {"range": "custom", "start": "2026-10-01", "end": "2026-11-22"}
# the page's own arguments are what is left once the view (range, as-of, filters) and the settings are bound
BOUND = {"start_date", "end_date", "as_of", *DIMENSIONS, *load_settings().params()}
# a page whose query depends on its URL: each link it is opened with (Records: a leads or a deals list)
LINKS: dict[str, list[dict[str, str]]] = {"records": [{}, {"records": "deals"}]}


def _key(name: str, args: dict[str, Any]) -> tuple:
    return name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))


@pytest.fixture(scope="module")
def frame(demo_warehouse, app_once):
    """`opened(name, link)`: a new session's first run on page `name` (as a browser opening
    /name?link, no landing page first), once a first run of app.py in this process settled: until
    some run calls st.navigation a page asked for by name runs alone and goes on to the landing page."""

    def opened(name: str | None = None, link: dict[str, str] | None = None):
        return app_once(demo_warehouse[1], name, timeout=180, **VIEW, **(link or {}))

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_DB", str(demo_warehouse[1]))  # for the runs after open_app's own
        mp.setenv("REVLINE_PREWARM", "0")  # no background warming of the landing page meanwhile
        opened().run()  # the landing page's own run, finished before anything is watched
        yield mp, opened


@pytest.fixture(scope="module")
def ran(frame) -> dict[str, set[tuple]]:
    """Page -> the (query, own arguments) it ran, over each of its links."""
    mp, opened = frame
    calls: list[tuple] = []
    real = ui.data.run

    def watched(name: str, **params: Any):
        calls.append(_key(name, {k: v for k, v in params.items() if k not in BOUND}))
        return real(name, **params)

    mp.setattr(ui.data, "run", watched)
    out: dict[str, set[tuple]] = {}
    for p in PAGES:
        out[p.name] = set()
        for link in LINKS.get(p.name, [{}]):
            st.cache_data.clear()  # every query of the page is asked for, none answered from the cache
            calls.clear()
            opened(p.name, link)
            out[p.name] |= {c for c in calls if c[0] not in FRAME_QUERIES}
    mp.setattr(ui.data, "run", real)
    return out


@pytest.mark.parametrize("name", [p.name for p in PAGES])
def test_a_page_runs_the_queries_it_declares(name, ran):
    declared = [_key(q, args) for q, args in page(name).queries]
    assert len(set(declared)) == len(declared), f"{name}: a query declared twice"
    assert ran[name] == set(declared), (
        f"{name}: run but not declared {sorted(ran[name] - set(declared))}; "
        f"declared but not run {sorted(set(declared) - ran[name])}"
    )


def test_the_frame_runs_its_own_queries_on_every_page(frame):
    """FRAME_QUERIES are app.py's, not a page's: the Definitions page, which runs no query, shows them."""
    opened = frame[1]
    seen: list[str] = []
    real = ui.data.run
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ui.data, "run", lambda name, **params: seen.append(name) or real(name, **params))
        st.cache_data.clear()
        opened("definitions", {})
    assert not page("definitions").queries and set(seen) == set(FRAME_QUERIES)
