"""The query runner: parameters found in the SQL, checked, bound (never formatted), Polars out,
and a new warehouse version picked up after a load swaps the file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl.loader import load
from queries import runner
from queries.runner import QueryError, parameters, run

META = (
    "\ufeffCampaign name,Day,Campaign ID,Account ID,Reporting starts,Reporting ends,Impressions,"
    "Link clicks,Amount spent (USD),Results,Result indicator,Purchases conversion value\n"
    "Spring Sale,2026-03-01,120000000000000001,1000001,2026-03-01,2026-03-01,1000,20,12.50,2,actions:lead,\n"
)


@pytest.fixture()
def tiny_query(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    qdir = tmp_path / "queries"
    (qdir / "t").mkdir(parents=True)
    (qdir / "t" / "spend.sql").write_text(
        "-- spend on or after a day ($not_a_param in a comment)\n"
        "select count(*) as n, sum(spend) as spend from ad_spend where date >= $start_date and campaign_name <> $name\n"
    )
    monkeypatch.setattr(runner, "QUERIES_DIR", qdir)
    runner.sql_of.cache_clear()
    runner.parameters.cache_clear()
    yield qdir
    runner.sql_of.cache_clear()
    runner.parameters.cache_clear()


def test_parameters_are_read_from_sql_not_comments(tiny_query):
    assert parameters("t/spend") == {"start_date", "name"}


def test_missing_and_unexpected_parameters_name_the_query(tiny_query, tmp_path):
    with pytest.raises(QueryError, match=r"'t/spend'.*missing \['name'\]"):
        run("t/spend", db=tmp_path / "w.duckdb", start_date="2026-01-01")
    with pytest.raises(QueryError, match=r"unexpected \['owner'\]"):
        run("t/spend", db=tmp_path / "w.duckdb", start_date="2026-01-01", name="x", owner="y")


def test_unknown_query_and_path_escape_are_refused(tiny_query):
    with pytest.raises(QueryError, match="no query named"):
        run("t/nope")
    with pytest.raises(QueryError, match="no query named"):
        run("../etc/passwd")


def test_values_are_bound_and_new_versions_are_seen(tiny_query, tmp_path):
    exports = tmp_path / "meta.csv"
    exports.write_text(META, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load([exports], db)
    hostile = "x' or 1=1; drop table ad_spend; --"
    out = run("t/spend", db=db, start_date="2026-01-01", name=hostile)
    assert isinstance(out, pl.DataFrame)
    assert out.row(0) == (1, pytest.approx(12.5))
    # a second load swaps the file: the runner answers from the new version without a restart
    later = tmp_path / "meta2.csv"
    later.write_text(META.replace("2026-03-01", "2026-03-02"), encoding="utf-8")
    load([later], db)
    assert run("t/spend", db=db, start_date="2026-01-01", name=hostile).row(0)[0] == 2


def test_one_statement_read_gives_the_relation_reads_frames(revenue_db):
    """run() reads an aggregate from one statement (bound once) and a row list as a stream: every page
    query and tile query gives the same frame, column names, types and rows, as the relation read of
    its SQL, for a month with data under a filter, and for a range with none (an empty frame keeps its
    types)."""
    from datetime import date

    from queries.connection import cursor
    from queries.examples import arguments
    from queries.pages import PAGES
    from queries.registry import metrics

    cases = {(q, tuple(sorted(a.items()))) for p in PAGES for q, a in p.queries}
    cases |= {(m.query, tuple(sorted(m.args.items()))) for m in metrics()}
    cur = cursor(revenue_db)
    compared = 0
    for start, end, dims in ((date(2026, 10, 1), date(2026, 10, 31), {"channel": ["paid_search"]}),
                             (date(2031, 1, 1), date(2031, 1, 31), {})):  # fmt: skip
        for name, extra in sorted(cases, key=str):
            args = arguments(name, start, end, **dict(extra))
            args.update({k: v for k, v in dims.items() if k in args})
            got = run(name, db=revenue_db, **args)
            want = cur.sql(runner.sql_of(name), params=args).pl()
            assert (got.columns, got.dtypes) == (want.columns, want.dtypes), name
            assert got.sort(got.columns, nulls_last=True).equals(want.sort(want.columns, nulls_last=True)), name
            compared += 1
    assert compared == 2 * len(cases) and len(cases) > 30


def test_a_use_when_a_parameter_is_set_is_computed_only_then(pipeline_db):
    """records/deals builds on pipeline/moves only for a waterfall bar (`uses: ... when $move`):
    without one, no move is computed (no shared table is made) and the list is the same."""
    from datetime import date

    from queries.connection import cursor
    from queries.examples import arguments

    assert runner.needed_when("records/deals") == {"pipeline/moves": "move"}

    def shared_tables() -> int:
        return cursor(pipeline_db).execute(
            "select count(*) from duckdb_tables() where database_name = 'memory' and table_name like '_shared_%'"
        ).fetchone()[0]

    args = arguments("records/deals", date(2026, 11, 1), date(2026, 11, 30))
    before = shared_tables()
    unset = run("records/deals", db=pipeline_db, **args)
    assert shared_tables() == before  # pipeline/moves was not computed
    assert unset.height > 0
    pushed = run("records/deals", db=pipeline_db, **{**args, "move": "pushed_out"})
    assert shared_tables() == before + 1 and pushed.height > 0  # a bar computes the moves once
