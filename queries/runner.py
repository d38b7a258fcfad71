"""The one way pages, the summary command and scripts run a KPI query.

A query is `queries/<area>/<name>.sql`, called as "<area>/<name>". Its `$name` parameters are
found in the text and checked against the arguments (missing or unexpected is an error naming the
query); values are bound, never formatted into SQL. The result is a Polars frame.
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


class QueryError(ValueError):
    pass


@cache
def sql_of(name: str) -> str:
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR not in path.parents or not path.is_file():
        raise QueryError(f"no query named {name!r} (looked for queries/{name}.sql)")
    return path.read_text(encoding="utf-8")


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
