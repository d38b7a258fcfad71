"""The one way pages, the summary command and scripts run a KPI query.

A query is `queries/<area>/<name>.sql`, called as "<area>/<name>". Its `$name` parameters are
found in the text and checked against the arguments (missing or unexpected is an error naming the
query); values are bound, never formatted into SQL. The result is a Polars frame.

A query may build on another instead of copying its body: a header line
`-- uses: handoff/mql_response as mql` makes that query's result available as the CTE `mql`
(the using query starts with `with`), and its parameters become the using query's too; `... as mql
when $param` computes it only when that parameter is set.
"""

from __future__ import annotations

import hashlib
import re
import threading
import warnings
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl.warehouse import db_path, is_unreadable
from queries.connection import cursor, unreadable
from queries.dimensions import DIMENSIONS

QUERIES_DIR = Path(__file__).parent
PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
USES = re.compile(r"^--\s*uses:\s*(\S+)\s+as\s+(\w+)(?:\s+when\s+\$\w+)?\s*$", re.M)
WHEN = re.compile(r"^--\s*uses:\s*(\S+)\s+as\s+\w+\s+when\s+\$(\w+)\s*$", re.M)
# An aggregate query runs as one statement (`execute`), its result read as Arrow: `cur.sql(...)`
# builds a lazy relation, which binds the statement once for its schema and again to run it, and
# binding the macros is a fifth to a third of a tile query's CPU at 100k (docs/benchmarks.md "Where
# the time went"). That read copies the result once (the warning): a few rows for an aggregate, but
# the drills' row lists (16k leads at 100k, 100x that at 10M) keep the streamed read.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
ROW_LISTS = ("records/",)  # queries listing rows, not aggregating them: read as a stream


class QueryError(ValueError):
    pass


@cache
def _text(name: str) -> str:
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR.resolve() not in path.parents or not path.is_file():
        raise QueryError(f"no query named {name!r} (looked for queries/{name}.sql)")
    return path.read_text(encoding="utf-8")


@cache
def uses(name: str) -> tuple[tuple[str, str], ...]:
    """(query, alias) of each query `name` builds on."""
    return tuple(USES.findall(_text(name)))


@cache
def needed_when(name: str) -> dict[str, str]:
    """query -> parameter, for each query `name` builds on only when that parameter is set
    (`-- uses: pipeline/moves as moves when $move`): unset, its CTE is the same columns with no
    rows, planned but never computed (a Records list without a waterfall bar computed every move)."""
    return dict(WHEN.findall(_text(name)))


@cache
def bases() -> frozenset[str]:
    """Every query another one builds on (`-- uses:`). Run by itself (revenue/mrr as a tile after
    shared/headline, pipeline/moves after pipeline/waterfall), such a query reads the shared table
    its users made for the view, if they ran first: computed once per view, not once per caller."""
    return frozenset(dep for path in QUERIES_DIR.rglob("*.sql")
                     for dep, _ in uses(path.relative_to(QUERIES_DIR).with_suffix("").as_posix()))


def _compose(name: str, sources: dict[str, str]) -> str:
    text = _text(name)
    if not uses(name):
        return text
    body = _strip_comments(text).strip()
    if not body.lower().startswith("with "):
        raise QueryError(f"query {name!r} uses other queries, so it must start with `with`")
    ctes = ", ".join(f"{alias} as (\n{sources.get(dep) or sql_of(dep)}\n)" for dep, alias in uses(name))
    return f"with {ctes},\n{body[5:]}"


@cache
def sql_of(name: str) -> str:
    """The query's SQL with the queries it uses inlined as leading CTEs."""
    return _compose(name, {})


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


@cache
def parameters(name: str) -> frozenset[str]:
    return frozenset(PARAM.findall(_strip_comments(sql_of(name))))


@cache
def own_parameters(name: str) -> frozenset[str]:
    """The parameters of the query's own text, without those of the queries it uses: what it binds
    once they are shared tables (read once, not searched for in the composed text on every run)."""
    return frozenset(PARAM.findall(_strip_comments(_text(name))))


def run(name: str, /, *, db: Path | None = None, **params: Any) -> pl.DataFrame:
    """Run query `name` ("<area>/<file>") with its parameters bound; `db` overrides $REVLINE_DB."""
    wanted = parameters(name)
    missing = wanted - params.keys()
    unexpected = params.keys() - wanted
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing {sorted(missing)}")
        if unexpected:
            parts.append(f"unexpected {sorted(unexpected)}")
        raise QueryError(f"query {name!r}: {', '.join(parts)} parameter(s)")
    # a dimension is bound as a list of values (queries/view.py); a plain string is a one-value list
    params = {k: [v] if k in DIMENSIONS and isinstance(v, str) else v for k, v in params.items()}
    cur = cursor(db)
    try:
        shared = _shared(cur, name, params, create=False) if name in bases() else None
        if shared:  # the table a query built on it made for this view: read, not computed again
            return _result(cur, name, f"select * from {shared}", {})
        if not uses(name):
            return _result(cur, name, sql_of(name), params)
        when = needed_when(name)
        sources = {dep: f"select * from {_shared(cur, dep, params)}" if params.get(when.get(dep, ""), True) is not None
                   else f"select * from {_empty(cur, dep, params)}" for dep, _ in uses(name)}  # fmt: skip
        sql = _compose(name, sources)
        bound = {k: v for k, v in params.items() if k in own_parameters(name)}  # its bases are tables now
        return _result(cur, name, sql, bound)
    except duckdb.Error as exc:  # a damaged block found mid-query: the same message as at attach
        if is_unreadable(exc):
            raise unreadable(db_path(db), exc) from None
        raise
    finally:
        cur.close()


def _result(cur, name: str, sql: str, params: dict[str, Any]) -> pl.DataFrame:
    """The query's rows as a Polars frame: an aggregate's from one statement, bound and planned once;
    a row list's streamed from a relation (no copy of many rows)."""
    if name.startswith(ROW_LISTS):
        return cur.sql(sql, params=params or None).pl()
    return pl.from_arrow(cur.execute(sql, params or None).to_arrow_table())


MEMO_TABLES = 14  # shared bases kept per warehouse version: the default view uses 12 (the per-MQL rows, a few hundred MB at 10M leads, the largest;
# the forecast's stage rates a few rows), the Revenue page one more (a row per billing customer)
_memo_lock = threading.Lock()
_memo: OrderedDict[str, None] = OrderedDict()


def _exists(cur, table: str) -> bool:
    """Whether the in-memory catalog holds `table`: a probe of the name, 0.5 ms CPU, where a lookup in
    duckdb_tables() (which lists every table of the attached warehouse too) took 4 ms, once per base
    per query (15 on the Sales page)."""
    try:
        cur.execute(f"select 0 from {table} limit 0").fetchall()
    except duckdb.CatalogException:
        return False
    return True


def _empty(cur, dep: str, params: dict[str, Any]) -> str:
    """A base's columns with no rows, for a use whose parameter is unset (`when $move`): made once per
    warehouse version (the columns do not depend on the arguments), so the using query does not plan
    the base's whole query each time to compute nothing (records/deals: 26 -> 49 ms CPU at 100k leads
    when it inlined pipeline/moves `where false`)."""
    name = f"_empty_{hashlib.sha256(dep.encode()).hexdigest()[:24]}"
    with _memo_lock:
        if not _exists(cur, f"memory.main.{name}"):
            args = {k: params[k] for k in sorted(parameters(dep))}
            cur.execute(f"create table memory.main.{name} as select * from (\n{sql_of(dep)}\n) where false",
                        args or None).fetchall()
    return f"memory.main.{name}"


def _shared(cur, dep: str, params: dict[str, Any], create: bool = True) -> str | None:
    """A base several queries build on (the per-MQL handoff rows: 8 uses on the Handoff page) is
    computed once per warehouse version and argument set, into a table of the in-memory catalog;
    a load swaps in a new connection, and with it an empty memo. Least recently used ones go.
    With `create=False` (the base run by itself), None unless a query built on it made it already:
    a run by itself adds no table, so the default view still keeps every base (tests/test_prewarm.py)."""
    args = {k: params[k] for k in sorted(parameters(dep))}
    key = hashlib.sha256(repr((dep, args)).encode()).hexdigest()[:24]
    table = f"memory.main._shared_{key}"
    if not create:
        with _memo_lock:
            if table not in _memo or not _exists(cur, table):
                return None
            _memo.move_to_end(table)
        return table
    sql = sql_of(dep)
    if uses(dep):  # a base on a base (score bands on the per-MQL rows): that one from its own shared table
        sql = _compose(dep, {d: f"select * from {_shared(cur, d, params)}" for d, _ in uses(dep)})
    with _memo_lock:
        if not _exists(cur, table):
            bound = {k: v for k, v in args.items() if k in (own_parameters(dep) if uses(dep) else parameters(dep))}
            cur.execute(f"create table {table} as {sql}", bound or None).fetchall()
        _memo[table] = None
        _memo.move_to_end(table)
        while len(_memo) > MEMO_TABLES:
            old, _ = _memo.popitem(last=False)
            cur.execute(f"drop table if exists {old}").fetchall()
    return table
