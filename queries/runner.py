"""The one way pages, the summary command and scripts run a KPI query.

A query is `queries/<area>/<name>.sql`, called as "<area>/<name>". Its `$name` parameters are
found in the text and checked against the arguments (missing or unexpected is an error naming the
query); values are bound, never formatted into SQL. The result is a Polars frame.

A query may build on another instead of copying its body: a header line
`-- uses: handoff/mql_response as mql` makes that query's result available as the CTE `mql`
(the using query starts with `with`), and its parameters become the using query's too.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from queries.connection import cursor

QUERIES_DIR = Path(__file__).parent
PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
USES = re.compile(r"^--\s*uses:\s*(\S+)\s+as\s+(\w+)\s*$", re.M)


class QueryError(ValueError):
    pass


@cache
def sql_of(name: str) -> str:
    """The query's SQL with the queries it uses inlined as leading CTEs."""
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR.resolve() not in path.parents or not path.is_file():
        raise QueryError(f"no query named {name!r} (looked for queries/{name}.sql)")
    text = path.read_text(encoding="utf-8")
    uses = USES.findall(text)
    if not uses:
        return text
    body = _strip_comments(text).strip()
    if not body.lower().startswith("with "):
        raise QueryError(f"query {name!r} uses other queries, so it must start with `with`")
    ctes = ", ".join(f"{alias} as (\n{sql_of(dep)}\n)" for dep, alias in uses)
    return f"with {ctes},\n{body[5:]}"


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


@cache
def parameters(name: str) -> frozenset[str]:
    return frozenset(PARAM.findall(_strip_comments(sql_of(name))))


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
    cur = cursor(db)
    try:
        return cur.sql(sql_of(name), params=params or None).pl()
    finally:
        cur.close()
