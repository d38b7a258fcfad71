"""Two engines, one set of SQL: the models and marts (etl/sql/*.sql) and the KPI queries
(queries/<area>/<name>.sql) run on DuckDB (the default: etl/models.py and queries/runner.py, untouched)
or on Apache Spark SQL, from the same files.

On Spark a file is parsed by SQLGlot in DuckDB's dialect, its DuckDB macros are expanded (a scalar
macro's body substituted for its call, a table macro's body as a subquery), the few constructs whose
translation SQLGlot gets wrong are rewritten by the named equivalents of etl/engine_rewrites.py, and
the tree is written in Spark's dialect. `$name` parameters become Spark's named parameter markers
(`:name`), bound by `spark.sql(text, args=...)`, never formatted into the text.
`create or replace table X as ...` runs the select and keeps its result as a checkpointed temporary
view `X` (Parquet storage comes next).
docs/decisions/0149-one-set-of-sql-translated-at-run-time-for-spark.md,
docs/decisions/0150-duckdb-macros-are-expanded-before-translation.md.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from etl import engine_rewrites

ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
MACRO_FILES = (Path(__file__).parent / "sql" / "00_macros.sql", Path(__file__).parent / "sql" / "05_deal_stages.sql")
QUERY_MACROS = Path(__file__).parents[1] / "queries" / "macros.sql"
# Spark in local mode on a small machine: two cores, few shuffle partitions, no web UI, times in UTC
# as DuckDB's TIMESTAMP (docs/decisions/0019-times-are-utc-and-date-only-values-stay-calendar-dates.md). ANSI mode stays on (Spark 4's default): a bad cast is an
# error, as in DuckDB, and try_cast is NULL in both.
SPARK_CONF = {
    "spark.sql.shuffle.partitions": "1",
    # small inputs: compiling each plan to Java (whole-stage codegen) costs more than it saves
    "spark.sql.codegen.wholeStage": "false",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
    "spark.sql.adaptive.enabled": "false",  # re-planning at each shuffle: time without gain on small inputs
    # short-lived local JVM: the quick JIT tier only, one GC thread (most of a cold run is compiling)
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
    "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.warehouse.dir": str(Path(tempfile.gettempdir()) / "revline-spark-warehouse"),  # not the working folder
}


class EngineError(ValueError):
    """A statement the engine cannot translate or run, naming the file and the statement."""


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression  # an expression, or a query for a table macro
    table: bool


def macros_in(sql: str) -> dict[str, Macro]:
    """Every `create [or replace] [temp] macro` of `sql`, by name."""
    return {m.name: m for m in (_macro(s) for s in _parse(sql)) if m is not None}


def _macro(stmt: exp.Expression | None) -> Macro | None:
    if not isinstance(stmt, exp.Create) or (stmt.args.get("kind") or "").upper() != "MACRO":
        return None
    udf = stmt.this
    params = tuple(p.name.lower() for p in udf.expressions)
    body = stmt.expression
    table = isinstance(body, exp.Query)
    return Macro(udf.this.name.lower(), params, body if table else _hygienic(body), table)


INNER = "__macro_"  # prefix of a scalar macro's subquery columns (_hygienic)


def _hygienic(body: exp.Expression) -> exp.Expression:
    """A scalar macro's body whose subqueries cannot capture its arguments. DuckDB binds a macro's
    parameters to the call's values; substituted as text, a column argument `platform` inside
    `(select ... from config_channel_rules r where list_contains(r.platform, platform))` would name
    the rules' own column. So each table a subquery reads is read through a projection of the columns
    the body names on it (`r.platform`), renamed INNER + name: an argument's column then resolves
    only outside, as in DuckDB. The bodies name their tables' columns qualified (`r.x`, `l.x`)."""
    if body.find(exp.Select) is None:
        return body
    body = body.copy()
    for table in list(body.find_all(exp.Table)):
        alias = table.alias_or_name
        used = sorted({c.name for c in body.find_all(exp.Column) if c.table == alias})
        inner = exp.select(*(exp.alias_(exp.column(c), INNER + c) for c in used)).from_(
            exp.Table(this=table.this.copy(), db=table.args.get("db")))
        table.replace(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(alias))))
    for column in body.find_all(exp.Column):
        if column.table and not column.name.startswith(INNER):
            column.set("this", exp.to_identifier(INNER + column.name))
    return body


@functools.cache
def query_macros() -> dict[str, Macro]:
    """The macros a KPI query may call: the warehouse's (etl/sql/00_macros.sql, 05_deal_stages.sql) and
    the query layer's (queries/macros.sql)."""
    found: dict[str, Macro] = {}
    for path in (*MACRO_FILES, QUERY_MACROS):
        found.update(macros_in(path.read_text(encoding="utf-8")))
    return found


# `$name` parameters are read as columns named PARAM_PREFIX + name and turned into Spark's named
# markers after parsing: SQLGlot's tokenizer fails on a parameter inside another's subscript
# (`$zones[list_position($names, owner)]`, handoff/mql_response).
PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
PARAM_PREFIX = "__param__"


def _parse(sql: str) -> list[exp.Expression]:
    trees = sqlglot.parse(engine_rewrites.before_parse(PARAM.sub(PARAM_PREFIX + r"\1", sql)), read="duckdb")
    return [s.transform(_placeholder) for s in trees if s is not None]


def _placeholder(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Column) and not node.table and node.name.startswith(PARAM_PREFIX):
        return exp.Placeholder(this=node.name[len(PARAM_PREFIX):])
    return node


def expand(tree: exp.Expression, macros: Mapping[str, Macro]) -> exp.Expression:
    """`tree` with every macro call replaced by the macro's body, its parameters by the call's
    arguments (parenthesised), recursively: a scalar macro as an expression, a table macro in a FROM
    or JOIN as a subquery under the call's alias (else the macro's name)."""

    def visit(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
            macro = macros.get(node.this.name.lower())
            if macro is not None and macro.table:
                body = _substitute(macro, node.this.expressions, macros)
                return exp.Subquery(this=body, alias=exp.TableAlias(this=exp.to_identifier(node.alias or macro.name)))
        if isinstance(node, exp.Anonymous):
            macro = macros.get(node.name.lower())
            if macro is not None and not macro.table:
                return exp.Paren(this=_substitute(macro, node.expressions, macros))
        return node

    return tree.transform(visit)


def _substitute(macro: Macro, args: list[exp.Expression], macros: Mapping[str, Macro]) -> exp.Expression:
    if len(args) != len(macro.params):
        raise EngineError(f"macro {macro.name} takes {len(macro.params)} arguments, called with {len(args)}")
    values = {p: _wrapped(expand(a.copy(), macros)) for p, a in zip(macro.params, args, strict=True)}

    def put(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in values:
            return values[node.name.lower()].copy()
        return node

    return expand(macro.body.copy().transform(put), macros)


def _wrapped(arg: exp.Expression) -> exp.Expression:
    simple = (exp.Column, exp.Literal, exp.Placeholder, exp.Parameter, exp.Null, exp.Boolean, exp.Paren)
    return arg if isinstance(arg, simple) else exp.Paren(this=arg)


def contract_columns(table: str) -> list[str]:
    """A staging table's columns, from its contract (as etl/staging.py creates it)."""
    from etl.contracts import all_contracts

    for c in all_contracts():
        if c.stg_table == table:
            return ["load_id", "source_line", *(col.name for col in c.columns), "row_hash"]
    raise EngineError(f"no contract stages {table!r}")


def to_spark(tree: exp.Expression, macros: Mapping[str, Macro], columns_of: Callable[[str], list[str]] = contract_columns,
             lists: Iterable[str] = ()) -> str:  # fmt: skip
    """One DuckDB statement as Spark SQL: macros expanded, the per-engine equivalents applied (`lists`:
    the parameters bound as lists)."""
    tree = engine_rewrites.for_spark(expand(tree, macros), columns_of, lists)
    return tree.sql(dialect=engine_rewrites.Spark4, unsupported_level=ErrorLevel.RAISE)


def translate(sql: str, macros: Mapping[str, Macro] | None = None, lists: Iterable[str] = ()) -> list[str]:
    """Every statement of a DuckDB SQL text as Spark SQL (its macro definitions are collected and
    expanded where they are called, not emitted). Raises for a construct SQLGlot cannot write."""
    known = dict(query_macros() if macros is None else macros)
    out = []
    for stmt in _parse(sql):
        macro = _macro(stmt)
        if macro is not None:
            known[macro.name] = macro
            continue
        out.append(to_spark(stmt, known, lists=lists))
    return out


# --- Spark ------------------------------------------------------------------------------------------


@functools.cache
def spark_session():
    """The process's one SparkSession, local[2] (SPARK_CONF)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("revline")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("OFF")  # a failing statement is raised with its message, not logged too
    return spark


def run_models_spark(spark, sql_files: Iterable[Path], replace: Mapping[str, str], prelude: Iterable[str] = ()) -> list[str]:
    """Run the models on Spark: the `prelude` statements (views over staging, etl/models.prelude), then
    the files in order, each `create or replace table X as <select>` kept as a checkpointed temporary
    view X. Returns the tables made. The staging, config and load_log tables must be temporary views."""
    macros: dict[str, Macro] = {}
    made: list[str] = []
    sources = [("prelude", text) for text in prelude] + [(p.name, p.read_text(encoding="utf-8")) for p in sql_files]
    for origin, text in sources:
        for key, value in replace.items():
            text = text.replace(key, value)
        for stmt in _parse(text):
            macro = _macro(stmt)
            if macro is not None:
                macros[macro.name] = macro
                continue
            name, columns, query, table = _created(stmt, origin)
            try:
                df = spark.sql(to_spark(query, macros, lambda table: spark.table(table).columns))
            except Exception as exc:
                raise EngineError(f"{origin}: {name} does not run on Spark: {_first_line(exc)}") from exc
            if columns:
                df = df.toDF(*columns)
            (df.localCheckpoint(eager=True) if table else df).createOrReplaceTempView(name)
            made += [name] if table else []
    return made


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:500] if str(exc).strip() else type(exc).__name__


def _created(stmt: exp.Expression, origin: str) -> tuple[str, list[str], exp.Expression, bool]:
    """(name, column names or [], query, whether a table) of `create or replace [temp] table|view`."""
    kind = (stmt.args.get("kind") or "").upper() if isinstance(stmt, exp.Create) else ""
    if kind not in ("TABLE", "VIEW") or not isinstance(stmt.expression, exp.Query):
        raise EngineError(f"{origin}: only `create or replace table|view X as select` runs on Spark, not {stmt.sql()[:80]!r}")
    target = stmt.this
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else []
    name = target.this.name if isinstance(target, exp.Schema) else target.name
    return name, columns, stmt.expression, kind == "TABLE"


def run_query_spark(spark, sql: str, params: Mapping[str, Any], lists: Iterable[str] = ()):
    """A KPI query's composed SQL (queries/runner.sql_of) on Spark, as an Arrow table."""
    (statement,) = translate(sql, lists=lists)
    return spark.sql(statement, args=dict(params) or None).toArrow()
