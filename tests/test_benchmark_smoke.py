"""Small-scale smoke run of the benchmark (correctness only, nothing timed): on exports in the
benchmark's (issue) shape, the headline KPIs the benchmark reads from Revline equal the pandas notebook
baseline computed from the same exports, and every page's query set runs; reused exports and a failed
pandas run are handled."""

from __future__ import annotations

import math

import pytest

from benchmarks.__main__ import SHAPES, exports_for, pandas_run, parse_scale, table_rows
from benchmarks.page_queries import PERIOD, QUERY_SETS, headline, render
from benchmarks.pandas_baseline import headline as pandas_headline
from etl.demo_data import write_demo
from etl.loader import load


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    """The demo at just over scale 1 in the benchmark's shape: every export streamed as CSV, as at
    benchmark scales."""
    root = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    files = write_demo(root / "exports", scale=1.01, **SHAPES["issue"])
    db = root / "w.duckdb"
    results = load(files, db)
    assert all(r.ok for r in results)
    # only the demo's three deliberately unparseable MQL dates are rejected
    assert sum(r.counts.rows_rejected for r in results) == 3
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
    for page in QUERY_SETS:
        render(db, page)


def test_issue_shape_proportions(streamed):
    """Per lead: about 2 ad-platform rows, 0.2 deals and 3 activities (issue #5); activities never
    before their lead was created."""
    import duckdb

    _exports, db = streamed
    n = table_rows(db)
    con = duckdb.connect(str(db), read_only=True)
    sql = "select count(*) from activities a join leads l using (lead_id) where a.occurred_at < l.created_at"
    assert con.execute(sql).fetchone()[0] == 0
    con.close()
    assert 1.8 < n["ad_spend"] / n["leads"] < 2.3 and 0.17 < n["deals"] / n["leads"] < 0.23
    assert 2.7 < n["activities"] / n["leads"] < 3.3


def test_reuse_skips_generation_of_finished_exports(tmp_path, monkeypatch):
    import etl.demo_data

    calls = []

    def fake(out, scale, **options):
        calls.append(options)
        (out / "x").mkdir(parents=True)
        (out / "x" / "a.csv").write_text("a\n")
        return [out / "x" / "a.csv"]

    monkeypatch.setattr(etl.demo_data, "write_demo", fake)
    files, _, reused = exports_for(100_000, tmp_path, "issue", reuse=True)
    assert not reused and calls == [SHAPES["issue"]] and files == [tmp_path / "exports" / "x" / "a.csv"]
    assert exports_for(100_000, tmp_path, "issue", reuse=True)[2]  # marker matches: not written again
    assert len(calls) == 1
    assert not exports_for(100_000, tmp_path, "demo", reuse=True)[2]  # another shape: written again
    assert not exports_for(100_000, tmp_path, "demo", reuse=False)[2]  # no --reuse: written again
    assert len(calls) == 3


def test_a_failed_pandas_run_is_recorded(tmp_path):
    r = pandas_run(tmp_path / "missing")
    assert r["ok"] is False and r["error"] and r["peak_rss_mb"] > 0


def test_scale_names():
    assert parse_scale("100k") == 100_000 and parse_scale("1m") == 1_000_000 and parse_scale("10M") == 10_000_000
