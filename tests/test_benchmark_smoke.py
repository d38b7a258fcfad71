"""Small-scale smoke run of the benchmark (correctness only, nothing timed): the headline KPIs the
benchmark reads from Revline equal the pandas notebook baseline computed from the same exports, and
every page's query set runs."""

from __future__ import annotations

import math

import pytest

from benchmarks.__main__ import PERIOD, parse_scale
from benchmarks.page_queries import PAGES, headline, render
from benchmarks.pandas_baseline import headline as pandas_headline
from etl.demo_data import write_demo
from etl.loader import load


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    """The demo at just over scale 1: every export streamed as CSV, as at benchmark scales."""
    root = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    files = write_demo(root / "exports", scale=1.01)
    db = root / "w.duckdb"
    assert all(r.ok for r in load(files, db))
    yield root / "exports", db
    mp.undo()


def test_kpis_equal_the_pandas_baseline(streamed):
    exports, db = streamed
    ours = headline(db, *PERIOD)
    theirs = pandas_headline(exports, *PERIOD)
    assert set(ours) == set(theirs)
    for k, v in theirs.items():
        assert ours[k] is not None and math.isclose(ours[k], v, rel_tol=1e-9, abs_tol=0.01), (k, ours[k], v)
    assert ours["leads"] > 1000 and ours["revenue"] > 0


def test_every_page_query_set_runs(streamed):
    _exports, db = streamed
    for page in PAGES:
        render(db, page)


def test_scale_names():
    assert parse_scale("100k") == 100_000 and parse_scale("1m") == 1_000_000 and parse_scale("10M") == 10_000_000
