"""Read-only access to the live warehouse that follows each load's atomic swap.

An in-memory DuckDB connection ATTACHes the warehouse file READ_ONLY. When the file's
(st_mtime_ns, st_ino) changes, the next query gets a fresh connection attached to the new file;
queries still running on the old one finish against the old file (its inode stays open).
See docs/DECISIONS.md "Serving while loading" and STACK.md.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import duckdb

from etl.models import model_tables
from etl.warehouse import db_path, memory_limit

_lock = threading.Lock()
_state: dict[str, object] = {}


def version(db: Path | None = None) -> tuple[int, int] | None:
    """Identity of the current warehouse file: changes on every successful load."""
    try:
        st = os.stat(db or db_path())
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_ino)


def cursor(db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on the current warehouse version, with the warehouse as the default catalog."""
    path = Path(db or db_path()).resolve()
    current = version(path)
    if current is None:
        raise FileNotFoundError(f"no warehouse at {path}: load exports with `python -m etl load`")
    with _lock:
        if _state.get("key") != (str(path), current):
            spill = Path(tempfile.gettempdir()) / "revline-duckdb"  # not the app's working folder
            limits = {"memory_limit": memory_limit("REVLINE_APP_MEMORY", "1GB"), "temp_directory": str(spill)}
            con = duckdb.connect(":memory:", config=limits)
            con.execute("attach ? as wh (read_only)", [str(path)]).fetchall()
            _state.update(key=(str(path), current), con=con)
        con = _state["con"]
    cur = con.cursor()  # type: ignore[attr-defined]
    cur.execute("use wh").fetchall()
    return cur


def missing_models(db: Path | None = None) -> list[str]:
    """Model tables (contract tables, marts) the warehouse lacks: built by an older Revline."""
    cur = cursor(db)
    try:
        have = {r[0] for r in cur.execute("select table_name from duckdb_tables() where database_name = 'wh'").fetchall()}
    finally:
        cur.close()
    return [t for t in model_tables() if t not in have]
