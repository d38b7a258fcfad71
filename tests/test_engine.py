"""The Spark engine's translation, without a JVM (so it runs in the inner loop): every model file and
every KPI query translates from DuckDB's dialect to Spark's (a query cannot exist for one engine
only), macros expand as DuckDB binds them, and each per-engine equivalent of etl/engine_rewrites.py
writes what it says. That the translations give DuckDB's answers is tests/test_spark.py's (spark tier)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from etl import engine, engine_rewrites
from etl.models import SQL_DIR, VERSION_ORDER, prelude
from queries import runner

QUERIES = sorted(p.relative_to(runner.QUERIES_DIR).with_suffix("").as_posix()
                 for p in runner.QUERIES_DIR.rglob("*.sql") if p.name != "macros.sql")  # fmt: skip


def uncommented(sql: str) -> str:
    return re.sub(r"/\*.*?\*/", "", sql, flags=re.S).strip()


def spark(sql: str) -> str:
    (out,) = engine.translate(sql, engine.query_macros())
    return out


@pytest.mark.parametrize("path", sorted(SQL_DIR.glob("*.sql")), ids=lambda p: p.name)
def test_every_model_file_translates_for_spark(path: Path):
    statements = [uncommented(s) for s in engine.translate(path.read_text(encoding="utf-8").replace("{version_order}", VERSION_ORDER), {})]
    creates = [s for s in statements if s.startswith(("CREATE OR REPLACE ", "CREATE TEMPORARY VIEW "))]
    assert creates == statements, "a model file holds only macros and `create or replace table|view ... as select`"


def test_the_views_the_models_read_translate_for_spark():
    assert all(engine.translate(sql, {}) for sql in prelude())


@pytest.mark.parametrize("name", QUERIES)
def test_every_kpi_query_translates_for_spark(name: str):
    out = uncommented(spark(runner.sql_of(name)))
    assert "$" not in out.replace("$'", "")  # every parameter a Spark marker (:name), none left as text
    for param in runner.parameters(name):
        assert f":{param}" in out
    ctes = [c.alias_or_name.lower() for w in sqlglot.parse_one(out, read="spark").find_all(exp.With) for c in w.expressions]
    assert len(ctes) == len(set(ctes)), "Spark refuses a CTE name given twice (the 'nested with' equivalent)"


def test_a_nested_with_gives_way_to_the_outer_names_and_keeps_its_references():
    out = spark("with b as (select 1 as x), u as (with b as (select 2 as x) select b.x from b) select * from b, u")
    assert "b__2 AS (SELECT 2 AS x)" in out and "SELECT b.x FROM b__2 AS b" in out
    assert out.endswith("SELECT * FROM b, u")


def test_scalar_macros_bind_their_arguments_not_the_subquerys_columns():
    """channel_of's subquery reads config_channel_rules, which has a `platform` column too: the
    argument `platform` (the caller's column) must not be captured by it."""
    out = spark("select channel_of(platform, null, null, null, null) as channel from ad_rows")
    assert "ARRAY_CONTAINS(r.__macro_platform, LOWER(TRIM(platform)))" in out
    assert "FROM config_channel_rules) AS r" in out


def test_table_macros_become_subqueries_and_arguments_are_parenthesised():
    out = spark("select count(*) from deals_in_view($channel, $owner, $platform, $campaign) d")
    assert "FROM (SELECT * FROM deals AS d WHERE" in out and ") AS d" in out
    assert spark("select to_reporting(a + b, 2)") == "SELECT (CAST(ROUND((a + b) * 2, 2) AS DECIMAL(18, 2)))"


@pytest.mark.parametrize(("duckdb", "expected"), [
    ("select * from t qualify row_number() over (partition by k order by v) = 1", "QUALIFY ROW_NUMBER()"),
    ("select x similar to '.*(a|b).*'", "x RLIKE '^(?:.*(a|b).*)$'"),
    ("select regexp_full_match(x, '[0-9]+')", "x RLIKE '^(?:[0-9]+)$'"),
    ("select regexp_replace(x, 'a', 'b', 'g')", "REGEXP_REPLACE(x, 'a', 'b')"),
    ("select l[1], l[i]", "TRY_ELEMENT_AT(l, 1), TRY_ELEMENT_AT(l, i)"),
    ("select s[length(p) + 4:], s[2:3]", "SUBSTRING(s, LENGTH(p) + 4), SUBSTRING(s, 2, 3 - 2 + 1)"),
    ("select len(l), length(s)", "SIZE(l), LENGTH(s)"),
    ("select list_position(l, x)", "NULLIF(ARRAY_POSITION(l, x), 0)"),
    ("select list_contains(l, x)", "ARRAY_CONTAINS(l, x)"),
    ("select epoch(t), epoch(b - a)", "UNIX_MICROS(t) / 1e6, (UNIX_MICROS(b) - UNIX_MICROS(a)) / 1e6"),
    ("select to_days(3)", "MAKE_DT_INTERVAL(3, 0, 0, 0)"),
    ("select to_minutes(5), to_seconds(s)", "MAKE_DT_INTERVAL(0, 0, 5, 0), MAKE_DT_INTERVAL(0, 0, 0, s)"),
    ("select to_months(n)", "MAKE_YM_INTERVAL(0, n)"),
    ("select timezone(z, timezone('UTC', t))", "FROM_UTC_TIMESTAMP(t, z)"),
    ("select timezone('UTC', timezone(z, t))", "TO_UTC_TIMESTAMP(t, z)"),
    ("select date_diff('day', a, b)", "DATEDIFF(CAST(b AS DATE), CAST(a AS DATE))"),
    ("select p.last_day - p.first_day, x::date - 1", "DATEDIFF(p.last_day, p.first_day), CAST(x AS DATE) - 1"),
    ("select a, b from t union all by name select b, a from u", "SELECT a, b FROM t UNION ALL SELECT a, b FROM u"),
    ("select trim(unnest(string_split(s, ';'))) as v from t", "EXPLODE(TRANSFORM(SPLIT(s, CONCAT('\\\\Q', ';', '\\\\E')), _u -> TRIM(_u))) AS v"),
    ("select max(try_cast(to_json(l) ->> 'x' as int)) from load_log l", "TO_JSON(STRUCT(l.*))"),
    ("select greatest(*columns('_at$')) from stg_hubspot__contacts", "GREATEST(created_at, became_lead_at, mql_at"),
    ("select try_cast(x as int), arg_min(a, b)", "TRY_CAST(x AS INT), MIN_BY(a, b)"),
    ("select $zones[list_position($names, owner)]", "TRY_ELEMENT_AT(:zones, CAST(NULLIF(ARRAY_POSITION(:names, owner), 0) AS INT))"),
])  # fmt: skip
def test_each_per_engine_equivalent(duckdb: str, expected: str):
    assert expected in spark(duckdb)


def test_asof_join_keeps_each_left_rows_latest_match():
    out = spark("select g.*, e.* exclude (k) from grid g asof left join decided e on e.k = g.k and g.s >= e.s")
    assert "g.* EXCEPT (__asof_row)" in out and "LEFT JOIN decided AS e ON e.k = g.k AND g.s >= e.s" in out
    assert "QUALIFY ROW_NUMBER() OVER (PARTITION BY g.__asof_row ORDER BY e.s DESC) = 1" in out
    assert "ASOF" not in out


@pytest.mark.parametrize("duckdb", [
    "select regexp_replace(x, 'a', 'b')",  # DuckDB replaces the first match only
    "select timezone('America/New_York', t)",  # its meaning depends on t's type
    "select date_diff('month', a, b)",  # DuckDB counts month boundaries
])  # fmt: skip
def test_constructs_without_an_equivalent_are_refused_by_name(duckdb: str):
    with pytest.raises(engine_rewrites.Untranslatable):
        spark(duckdb)


def test_every_equivalent_is_named_once():
    assert len(engine_rewrites.EQUIVALENTS) == len(set(engine_rewrites.EQUIVALENTS.values()))
    assert {"qualify", "asof join", "list parameter", "timezone", "list index"} <= set(engine_rewrites.EQUIVALENTS)
