"""Every numeric column of every aggregate query is cut by each dimension it claims: its query takes
the dimension and registry.toml [not_split_by] does not disclaim it for that column. Checked on the
golden warehouses: filtered by one value of the dimension, the column's value changes on some row
that both answers have (a column that ignored the filter, as the per-rep meetings once did under a
channel filter, keeps the unfiltered values on every row and fails here)."""

from __future__ import annotations

import functools
from datetime import date

import polars as pl
import pytest

from queries.examples import all_queries, arguments
from queries.registry import DIMENSIONS, not_split_by
from queries.runner import parameters, run
from tests.kpi_fixtures import rows

START, END = date(2026, 9, 1), date(2026, 11, 30)  # both golden months and the deals created before
# lists of records, bases other queries aggregate (score_band_leads: a row per lead and MQL, what
# handoff/score_bands sums), filter values, load facts and targets: no measures
NOT_AGGREGATES = ("records/", "filters/", "data/", "shared/annotations", "shared/targets_in_range",
                  "pipeline/moves", "pipeline/slippage",  # a row per deal: what pipeline/waterfall sums
                  "handoff/mql_response", "handoff/unworked_queue",
                  "handoff/score_band_leads")  # fmt: skip
# numeric columns that key a row or describe the range, not measures
NOT_MEASURES = {"stage_order", "step", "band_order", "weekday", "hour", "days", "elapsed_days", "elapsed_share", "week", "weeks"}
ARGS = {"by": "total", "grain": "month", "mode": "flow"}
GOLDEN = ("revenue_db", "handoff_db", "meetings_db", "web_db", "activity_db", "pipeline_db")


def aggregates() -> list[str]:
    return [q for q in all_queries() if not q.startswith(NOT_AGGREGATES) and set(DIMENSIONS) & parameters(q)]


def answer(query: str, db, **dims) -> pl.DataFrame:
    args = {k: v for k, v in ARGS.items() if k in parameters(query)}
    return run(query, db=db, **arguments(query, START, END, **args, **dims))


def keyed(frame: pl.DataFrame) -> tuple[list[str], list[str]]:
    keys = [c for c, t in frame.schema.items() if not t.is_numeric() or c in NOT_MEASURES]
    return keys, [c for c in frame.columns if c not in keys]


def changed(base: pl.DataFrame, cut: pl.DataFrame, keys: list[str], column: str) -> bool:
    """The column differs on some row (same keys) present in both answers."""
    both = base.select(*keys, column).join(cut.select(*keys, column), on=keys, how="inner", nulls_equal=True)
    return both.filter(pl.col(column).ne_missing(pl.col(f"{column}_right"))).height > 0


def empty(frame: pl.DataFrame, measures: list[str]) -> bool:
    """No row, or every measure null or 0: a cut of it can only be the same."""
    return all(frame[c].fill_null(0).eq(0).all() for c in measures)


COLUMN = {"channel": "channel", "platform": "platform", "campaign": "campaign_name", "owner": "owner"}


@functools.cache  # per golden warehouse and dimension, not per query
def values(db, dim: str) -> list[str]:
    """Every value of the dimension in the leads, deals and ad spend (the sidebar offers only the ad
    platforms' campaigns; a UTM campaign is a value here too)."""
    col = COLUMN[dim]
    tables = ["leads"] + (["ad_spend"] if dim != "owner" else []) + (["deals"] if dim in ("channel", "owner") else [])
    union = " union ".join(f"select {col} as v from {t}" for t in tables)
    return [r[0] for r in rows(db, f"select distinct v from ({union}) where v is not null order by v")]


@pytest.mark.parametrize("query", aggregates())
def test_each_column_is_cut_by_each_dimension_it_claims(query, request):
    claims: set[tuple[str, str]] = set()
    verified: set[tuple[str, str]] = set()
    for fixture in GOLDEN:
        if claims and claims <= verified:  # every claim shown cut: the other warehouses cannot add one
            break
        db = request.getfixturevalue(fixture)
        base = answer(query, db)
        keys, measures = keyed(base)
        dims = [d for d in DIMENSIONS if d in parameters(query)]
        claims |= {(c, d) for d in dims for c in measures if d not in not_split_by(query, c)}
        if empty(base, measures):
            continue  # nothing here a filter could cut (its sources are in another golden warehouse)
        for dim in dims:
            mine = {(c, dim) for c in measures if dim not in not_split_by(query, c)}
            for v in values(db, dim):
                if mine <= verified:  # each claim already shown cut: more values cannot change the verdict
                    break
                cut = answer(query, db, **{dim: [v]})
                verified |= {(c, d) for c, d in mine if changed(base, cut, keys, c)}
    unverified = sorted(claims - verified)
    assert not unverified, f"{query}: columns not cut by a dimension they claim (or no golden data shows it): {unverified}"


def test_declarations_name_real_columns_and_metrics_take_their_columns(revenue_db):
    """Each column registry.toml says is not split names a column its query returns (no typo hides
    a claim from the test above); a metric is split by what its column is split by."""
    from queries.registry import _columns, metric

    for query, columns in _columns().items():
        returned = answer(query, revenue_db).columns
        assert set(columns) - {"*"} <= set(returned), (query, sorted(set(columns) - {"*"} - set(returned)))
    assert not_split_by("paid_media/performance", "spend") == {"owner": "ad spend is not recorded per rep"}
    assert not_split_by("paid_media/performance", "ctr") == {"owner": "ad delivery is not recorded per rep"}
    assert set(metric("quota_attainment").not_split_by) == {"channel", "platform", "campaign"}
    assert metric("win_rate").not_split_by == {} and not_split_by("sales/performance", "meetings") == {}
