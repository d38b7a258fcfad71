"""Run statements to completion (DuckDB 2.0 keeps a connection busy until a result is drained), and quote names."""

from __future__ import annotations

from typing import Any

import duckdb


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> None:
    con.execute(sql, params).fetchall()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> tuple:
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else ()


def many(con: duckdb.DuckDBPyConnection, sql: str, rows: list) -> None:
    if rows:
        con.executemany(sql, rows).fetchall()


def quoted(name: str) -> str:
    """A column or table name double-quoted for SQL text (names from the contracts, not values)."""
    return f'"{name}"'
