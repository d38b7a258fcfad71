"""The constructs SQLGlot does not translate from DuckDB to Spark as they mean: each has one named
equivalent here, applied to every statement the Spark engine runs (etl/engine.py), and a test in
tests/test_engine.py
(docs/decisions/0151-what-does-not-translate-has-one-named-spark-equivalent.md). DuckDB runs the SQL files as written: nothing here
touches its path.

Each entry of EQUIVALENTS names a DuckDB construct and what it becomes on Spark; `for_spark` applies
them to a parsed statement (macros already expanded), `before_parse` the one textual one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlglot import exp, transforms
from sqlglot.dialects.spark import Spark
from sqlglot.generators.spark import SparkGenerator

LIST_PARAMETER = "array<string>"  # the type a NULL list parameter is bound as on Spark

EQUIVALENTS = {
    "qualify": "kept: Spark 4 has QUALIFY (SQLGlot's Spark 3 rewrite leaks its `_w` column through `select *`)",
    "similar to": "x SIMILAR TO p (a whole-string match) -> x RLIKE '^(?:p)$'",
    "regexp_full_match": "regexp_full_match(x, p) -> x RLIKE '^(?:p)$'",
    "regexp_replace": "with 'g' -> REGEXP_REPLACE (Spark replaces every match); without 'g' DuckDB replaces the first only: refused",
    "list index": "l[i] (1-based, NULL outside) -> try_element_at(l, i) (Spark's [] is 0-based and fails outside under ANSI)",
    "string slice": "s[a:] / s[a:b] (1-based, inclusive) -> substring(s, a[, b - a + 1])",
    "len": "len(list) -> size(list) (DuckDB's len is a list's length here; length() stays a string's)",
    "list_position": "list_position(l, x) (NULL when absent) -> nullif(array_position(l, x), 0)",
    "epoch": "epoch(ts) (seconds, fractional) -> unix_micros(ts) / 1e6; epoch(t2 - t1) -> (unix_micros(t2) - unix_micros(t1)) / 1e6",
    "to_minutes/to_seconds/to_hours/to_days": "-> make_dt_interval(days, hours, minutes, seconds)",
    "to_months/to_years": "-> make_ym_interval(years, months)",
    "timezone": "timezone(z, timezone('UTC', ts)) -> from_utc_timestamp(ts, z); "
                "timezone('UTC', timezone(z, ts)) -> to_utc_timestamp(ts, z) (DuckDB's meaning depends on the type)",
    "date_diff": "date_diff('day', a, b) -> datediff(b, a) on dates (DuckDB counts day boundaries)",
    "union by name": "UNION [ALL] BY NAME of two selects naming their columns -> the second's columns put in the first's order",
    "nested unnest": "f(unnest(l)) in a select list -> explode(transform(l, u -> f(u))) (Spark takes a generator only at the top)",
    "asof join": "L l ASOF [LEFT] JOIN R r ON eqs AND l.t >= r.t -> [LEFT] JOIN on the same condition, each L row "
                 "numbered (__asof_row, hidden from l.* and *) and QUALIFY keeping its match with the greatest r.t",
    "columns(re)": "*columns('re') -> the FROM table's columns matching re, listed (Spark has no COLUMNS; the "
                   "engine reads the table's columns from Spark's catalog, the fast test from the contracts)",
    "to_json(row)": "to_json(alias) of a FROM alias (a whole row) -> to_json(struct(alias.*))",
    "date - date": "a - b of two dates (DuckDB: days, an integer; Spark: an interval) -> datediff(a, b). A date "
                   "is a cast to DATE, a DATE literal, or a column named date, day or *_day / *_date",
    "range/generate_series": "FROM range(a, b, step) r(m) (b excluded) -> FROM (SELECT m FROM (SELECT explode(sequence(a, b, "
                             "step)) AS m) WHERE m < b) r; generate_series keeps b",
    "nested with": "a WITH inside a CTE (a query another uses, inlined by queries/runner.sql_of) keeps its names in "
                   "its scope on DuckDB; Spark's writer hoists it to the top, where a name may be given once: a name "
                   "already given is renamed (name__2) with the references it answers",
    "list parameter": "a list parameter (a dimension: NULL for all) is read as CAST(:p AS " + LIST_PARAMETER + "): "
                      "Spark types a bound NULL as VOID, which no array function takes",
}


class Spark4(Spark):
    """Spark SQL as Spark 4 reads it: QUALIFY kept (SQLGlot dialect name "spark4")."""

    class Generator(SparkGenerator):
        TRANSFORMS = {  # noqa: RUF012 - SQLGlot reads the class attribute
            **SparkGenerator.TRANSFORMS,
            exp.Select: transforms.preprocess(
                [transforms.eliminate_distinct_on, transforms.unnest_to_explode, transforms.any_to_exists]
            ),
        }


class Untranslatable(ValueError):
    """A DuckDB construct with no Spark equivalent here: the message names it."""


LEN = re.compile(r"(?i)\blen\(")


def before_parse(sql: str) -> str:
    """The textual equivalent (len): DuckDB's `len` of a list as `array_length`, which SQLGlot reads
    as a list's size (it reads `len` and `length` alike, as a string's length)."""
    return LEN.sub("array_length(", sql)


def for_spark(tree: exp.Expression, columns_of: Callable[[str], list[str]], lists: Iterable[str] = ()) -> exp.Expression:
    """`tree` (macros expanded) with the DuckDB constructs rewritten to their Spark equivalents;
    `columns_of(table)` lists a table's columns (for `columns('re')`), `lists` names the parameters
    bound as lists (the dimensions)."""
    tree = _distinct_cte_names(tree.copy())
    lists = set(lists)
    for marker in list(tree.find_all(exp.Placeholder)):
        if marker.name in lists and not isinstance(marker.parent, exp.Cast):
            marker.replace(exp.cast(marker.copy(), exp.DataType.build(LIST_PARAMETER, dialect="spark")))
    for node in reversed(list(tree.dfs())):  # children first: a rewritten call keeps rewritten arguments
        new = _columns(node, columns_of) if isinstance(node, exp.Columns) else _rewrite(node)
        if new is not node:
            if node is tree:
                return new
            node.replace(new)
    return tree


def _distinct_cte_names(tree: exp.Expression) -> exp.Expression:
    """Every CTE of `tree` under a name no other CTE has ("nested with"): outer scopes first, so the
    query's own names stay and those of the queries it inlines give way."""
    given: set[str] = set()
    for with_ in list(tree.find_all(exp.With)):  # breadth first: the outer WITH before the nested
        scope = with_.parent
        for cte in with_.expressions:
            name = cte.alias_or_name
            if name.lower() in given:
                new = next(f"{name}__{n}" for n in range(2, 1000) if f"{name}__{n}".lower() not in given)
                _rename_references(scope, name, new)
                cte.set("alias", exp.TableAlias(this=exp.to_identifier(new)))
                name = new
            given.add(name.lower())
    return tree


def _rename_references(scope: exp.Expression, old: str, new: str) -> None:
    """Tables named `old` in `scope` (a query owning the WITH that defines it) read `new`, except in an
    inner query whose own WITH defines `old` again; a column qualified by the bare table name follows."""

    def answers(node: exp.Expression) -> bool:
        parent = node.parent
        while parent is not None and parent is not scope:
            inner = parent.args.get("with") if isinstance(parent, exp.Query) else None
            if inner is not None and any(c.alias_or_name.lower() == old.lower() for c in inner.expressions):
                return False
            parent = parent.parent
        return parent is scope

    for table in list(scope.find_all(exp.Table)):
        if not table.args.get("db") and table.name.lower() == old.lower() and answers(table):
            bare = not table.alias
            table.set("this", exp.to_identifier(new))
            if bare:
                table.set("alias", exp.TableAlias(this=exp.to_identifier(old)))


def _func(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _anchored(pattern: exp.Expression) -> exp.Expression:
    if isinstance(pattern, exp.Literal) and pattern.is_string:
        return exp.Literal.string(f"^(?:{pattern.this})$")
    return _func("concat", exp.Literal.string("^(?:"), pattern, exp.Literal.string(")$"))


def _is_utc(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and node.is_string and node.this.upper() == "UTC"


def _timezone_args(node: exp.Expression) -> tuple[exp.Expression, exp.Expression] | None:
    if isinstance(node, exp.Anonymous) and node.name.lower() == "timezone" and len(node.expressions) == 2:
        return node.expressions[0], node.expressions[1]
    return None


INTERVAL_UNITS = {"to_days": 0, "to_hours": 1, "to_minutes": 2, "to_seconds": 3}


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.SimilarTo):
        return exp.RegexpLike(this=node.this, expression=_anchored(node.expression))
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "list_position":
            return exp.Nullif(this=_func("array_position", *node.expressions), expression=exp.Literal.number(0))
        if name in ("to_years", "to_months"):
            years, months = (node.expressions[0], exp.Literal.number(0))[:: 1 if name == "to_years" else -1]
            return _func("make_ym_interval", years, months)
        if name in INTERVAL_UNITS:
            parts: list[exp.Expression] = [exp.Literal.number(0)] * 4
            parts[INTERVAL_UNITS[name]] = node.expressions[0]
            return _func("make_dt_interval", *parts)
        if name == "timezone" and len(node.expressions) == 2:
            if _timezone_args(node.parent) is not None:
                return node  # the inner call of a pair: its outer call rewrites both
            zone, inner = node.expressions
            pair = _timezone_args(inner)
            if pair and _is_utc(pair[0]) and not _is_utc(zone):
                return _func("from_utc_timestamp", pair[1], zone)
            if pair and _is_utc(zone):
                return _func("to_utc_timestamp", pair[1], pair[0])
            raise Untranslatable(f"timezone() outside a UTC pair has no Spark equivalent here: {node.sql('duckdb')}")
    if type(node).__name__ == "RegexpFullMatch" or (isinstance(node, exp.Anonymous) and node.name.lower() == "regexp_full_match"):
        this, pattern = (node.this, node.expression) if not isinstance(node, exp.Anonymous) else node.expressions
        return exp.RegexpLike(this=this, expression=_anchored(pattern))
    if isinstance(node, exp.Explode) and not isinstance(node.parent, exp.Alias | exp.Select):
        return _nested_unnest(node)
    if isinstance(node, exp.Select) and any((j.text("method") or "").upper() == "ASOF" for j in node.args.get("joins") or []):
        return _asof(node)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries):
        return _series(node)
    if isinstance(node, exp.Union) and node.args.get("by_name"):
        return _union_by_position(node)
    if _is_call(node, "to_json") and len(node.expressions) == 1 and _is_row_alias(node.expressions[0]):
        return _func("to_json", _func("struct", exp.Column(this=exp.Star(), table=exp.to_identifier(node.expressions[0].name))))
    if isinstance(node, exp.Sub) and _is_date(node.this) and _is_date(node.expression):
        return _func("datediff", node.this, node.expression)
    if type(node).__name__ in ("ToDays", "ToHours", "ToMinutes", "ToSeconds"):
        parts = [exp.Literal.number(0)] * 4
        parts[INTERVAL_UNITS["to_" + type(node).__name__[2:].lower()]] = node.this
        return _func("make_dt_interval", *parts)
    if isinstance(node, exp.TimeToUnix):
        if isinstance(node.this, exp.Sub):  # epoch of an interval (t2 - t1): its seconds
            micros = exp.Sub(this=_func("unix_micros", node.this.this), expression=_func("unix_micros", node.this.expression))
            return exp.Div(this=exp.Paren(this=micros), expression=exp.Literal.number("1e6"))
        return exp.Div(this=_func("unix_micros", node.this), expression=exp.Literal.number("1e6"))
    if isinstance(node, exp.RegexpReplace):
        modifiers = node.args.get("modifiers")
        if modifiers is None or "g" not in modifiers.name:
            raise Untranslatable(f"regexp_replace without 'g' replaces the first match only in DuckDB: {node.sql('duckdb')}")
        node.set("modifiers", None)
        node.set("single_replace", None)
        return node
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        index = node.expressions[0]
        if isinstance(index, exp.Slice):
            start = index.this or exp.Literal.number(1)  # a slice's bounds stay 1-based in SQLGlot's tree
            if index.expression is None:
                return _func("substring", node.this, start)
            length = exp.Add(this=exp.Sub(this=index.expression, expression=start), expression=exp.Literal.number(1))
            return _func("substring", node.this, start, length)
        if isinstance(index, exp.Literal) and not index.is_string:  # SQLGlot made a literal 0-based
            index = exp.Literal.number(int(index.this) + 1)
        elif not isinstance(index, exp.Placeholder | exp.Column):
            index = exp.cast(index, "int")  # array_position is a BIGINT; an index an INT
        return _func("try_element_at", node.this, index)
    if isinstance(node, exp.DateDiff):
        unit = (node.text("unit") or "day").lower()
        if unit != "day":
            raise Untranslatable(f"date_diff by {unit!r} has no Spark equivalent here: {node.sql('duckdb')}")
        return _func("datediff", exp.cast(node.this, "date"), exp.cast(node.expression, "date"))
    return node


def _union_by_position(node: exp.Union) -> exp.Expression:
    left, right = node.left, node.right
    if not (isinstance(left, exp.Select) and isinstance(right, exp.Select)) or any(
        isinstance(e, exp.Star) for e in (*left.expressions, *right.expressions)
    ):
        raise Untranslatable(f"UNION BY NAME needs two selects naming their columns: {node.sql('duckdb')[:120]}")
    by_name = {e.alias_or_name: e for e in right.expressions}
    if set(by_name) != {e.alias_or_name for e in left.expressions}:
        raise Untranslatable(f"UNION BY NAME of selects with different columns: {node.sql('duckdb')[:120]}")
    right.set("expressions", [by_name[e.alias_or_name] for e in left.expressions])
    node.set("by_name", None)
    return node


def _nested_unnest(node: exp.Explode) -> exp.Expression:
    """Rewrites the projection holding `node` (an unnest inside an expression) as one explode of a
    transform; returns `node` unchanged when the projection was rewritten (its parent now a lambda)."""
    top = node
    while not isinstance(top.parent, exp.Alias | exp.Select):
        top = top.parent
        if top is None or isinstance(top, exp.Query):
            raise Untranslatable(f"unnest inside an expression outside a select list: {node.sql('duckdb')}")
    if any(isinstance(e, exp.Explode) and e is not node for e in top.find_all(exp.Explode)):
        raise Untranslatable(f"two unnests in one expression: {top.sql('duckdb')}")
    values = node.this
    node.replace(exp.column("_u"))
    body = top.copy()
    top.replace(exp.Explode(this=_func("transform", values, exp.Lambda(this=body, expressions=[exp.to_identifier("_u")]))))
    return exp.column("_u")


ASOF_ROW = "__asof_row"
INEQUALITIES = {exp.GTE: "left_newer", exp.GT: "left_newer", exp.LTE: "left_older", exp.LT: "left_older"}


def _asof(select: exp.Select) -> exp.Expression:
    joins = select.args["joins"]
    source = select.args.get("from_") or select.args.get("from")
    if len(joins) != 1 or select.args.get("qualify") or not isinstance(source.this, exp.Table | exp.Subquery):
        raise Untranslatable(f"an ASOF join must be the only join of its select: {select.sql('duckdb')[:120]}")
    join, left = joins[0], source.this
    lalias = left.alias_or_name
    order = None
    for cond in join.args["on"].flatten() if isinstance(join.args["on"], exp.And) else [join.args["on"]]:
        kind = INEQUALITIES.get(type(cond))
        if kind is None:
            continue
        a, b = cond.this, cond.expression
        if isinstance(a, exp.Column) and isinstance(b, exp.Column):
            lhs_left = a.table == lalias
            right_col = b if lhs_left else a
            newest = (kind == "left_newer") == lhs_left  # the match is the greatest r.t below l.t
            order = exp.Ordered(this=right_col.copy(), desc=newest)
    if order is None:
        raise Untranslatable(f"an ASOF join needs one inequality between the two sides: {join.sql('duckdb')[:120]}")
    rows = (exp.Table(this=left.this.copy(), db=left.args.get("db")) if isinstance(left, exp.Table)
            else exp.Subquery(this=left.this.copy(), alias=exp.TableAlias(this=exp.to_identifier("__asof_left"))))
    numbered = exp.select(exp.Star(), exp.alias_(_func("monotonically_increasing_id"), ASOF_ROW)).from_(rows)
    left.replace(exp.Subquery(this=numbered, alias=exp.TableAlias(this=exp.to_identifier(lalias))))
    join.set("method", None)
    for projection in select.expressions:  # the row number stays out of l.* and *
        star = projection.this if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star) and projection.table == lalias else projection
        if isinstance(star, exp.Star):
            star.set("except_", [*(star.args.get("except_") or []), exp.column(ASOF_ROW)])
    window = exp.Window(this=exp.RowNumber(), partition_by=[exp.column(ASOF_ROW, lalias)], order=exp.Order(expressions=[order]))
    select.set("qualify", exp.Qualify(this=exp.EQ(this=window, expression=exp.Literal.number(1))))
    return select


def _columns(node: exp.Columns, columns_of: Callable[[str], list[str]]) -> exp.Expression:
    """`*columns('re')` as the first argument of a call: the call's arguments become the matching
    columns of the select's one FROM table."""
    select = node.find_ancestor(exp.Select)
    source = select and (select.args.get("from_") or select.args.get("from"))
    call = node.parent
    if not (node.args.get("unpack") and isinstance(node.this, exp.Literal) and source
            and isinstance(source.this, exp.Table) and call is not None and call.this is node):  # fmt: skip
        raise Untranslatable(f"columns() only as *columns('re') first in a call on one table: {node.sql('duckdb')}")
    names = [c for c in columns_of(source.this.name) if re.search(node.this.this, c)]
    if not names:
        raise Untranslatable(f"*columns({node.this.sql()}) matches no column of {source.this.name}")
    call.set("expressions", [exp.column(c) for c in names[1:]] + list(call.expressions))
    return exp.column(names[0])


def _is_call(node: exp.Expression, name: str) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == name


def _is_row_alias(node: exp.Expression) -> bool:
    """Whether `node` is a bare name that is an alias of its select's FROM or JOIN sources."""
    if not isinstance(node, exp.Column) or node.table:
        return False
    select = node.find_ancestor(exp.Select)
    sources = [s.alias_or_name for s in (select.find_all(exp.Table) if select else [])]
    return node.name in sources


DATE_NAME = re.compile(r"^(date|day|.*_day|.*_date)$")


def _is_date(node: exp.Expression) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Cast):
        return node.to.this == exp.DataType.Type.DATE
    if isinstance(node, exp.Column):
        return bool(DATE_NAME.match(node.name))
    return False


def _series(node: exp.Table) -> exp.Expression:
    series = node.this
    alias = node.args.get("alias")
    columns = alias.columns if alias is not None else []
    name = columns[0].name if columns else "range"
    values = exp.select(exp.alias_(exp.Explode(this=_func("sequence", series.args["start"], series.args["end"],
                                                          *[s for s in [series.args.get("step")] if s])), name))
    rows = exp.select(exp.column(name)).from_(exp.Subquery(this=values, alias=exp.TableAlias(this=exp.to_identifier("__series"))))
    if series.args.get("is_end_exclusive"):
        rows = rows.where(exp.LT(this=exp.column(name), expression=series.args["end"].copy()))
    return exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier(alias.name if alias is not None and alias.name else "__range")))
