"""Read-only access to the live warehouse that follows each load's atomic swap, one version per answer.

An in-memory DuckDB connection ATTACHes the warehouse file READ_ONLY. When the file's
(st_mtime_ns, st_ino) changes, the next query gets a fresh connection attached to the new file;
queries still running on the old one finish against the old file (its inode stays open).

An answer made of several queries (a page run, the summary, a digest) reads one version: inside
`snapshot()`, or after `pin()` for the rest of the thread (the app pins at the start of each
script run, and Streamlit runs each script in its own thread), every cursor comes from the
connection current when it was pinned; a newer file is attached only between answers.
A file that cannot be read raises `WarehouseUnreadable` with the message a user needs (the last
good generation and the restore command). See docs/decisions/0046-loads-build-a-copy-and-swap-it-in.md and
docs/decisions/0051-one-answer-reads-one-warehouse-version.md.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.models import model_tables
from etl.warehouse import damaged, db_path, is_unreadable, memory_limit, problem_in

MACROS = Path(__file__).parent / "macros.sql"
_lock = threading.Lock()
_state: dict[str, object] = {}
_pins = threading.local()  # per thread: {path: (version, connection)}
_all_pins: list[dict] = []  # every thread's pins, so the exit hook reaches daemon threads' (ui/prewarm.py)


class WarehouseUnreadable(Exception):
    """The warehouse file is damaged or carries a foreign write-ahead log; the message says how back."""


class WarehouseOutdated(Exception):
    """Built by an older Revline: it lacks model tables this version reads; the message names the fix."""


def _pinned() -> dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]]:
    if not hasattr(_pins, "by_path"):
        _pins.by_path = {}
        with _lock:
            _all_pins.append(_pins.by_path)
    return _pins.by_path


def _path(db: Path | None) -> Path:
    return Path(db or db_path()).resolve()


def _stat_version(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_ino)


def version(db: Path | None = None) -> tuple[int, int] | None:
    """Identity of the warehouse version this thread reads: the pinned one, else the current file's
    (changes on every successful load)."""
    path = _path(db)
    pinned = _pinned().get(str(path))
    return pinned[0] if pinned else _stat_version(path)


def unreadable(path: Path, exc: BaseException) -> WarehouseUnreadable:
    return WarehouseUnreadable(damaged(path, exc))


def _current(path: Path) -> tuple[tuple[int, int], duckdb.DuckDBPyConnection]:
    """The connection on the current file, attached anew when the file changed. A load can swap in
    the next version between the attach and the length check (which reads the path's size): a check
    that fails while the path now names another file is that race, not damage, so the newer file is
    attached and checked again."""
    for attempt in range(3):
        current = _stat_version(path)
        if current is None:
            raise FileNotFoundError(f"no warehouse at {path}: load exports with `python -m etl load`")
        with _lock:
            if _state.get("key") == (str(path), current):
                return current, _state["con"]  # type: ignore[return-value]
            spill = Path(tempfile.gettempdir()) / "revline-duckdb"  # not the app's working folder
            limits = {"memory_limit": memory_limit("REVLINE_APP_MEMORY", "1GB"), "temp_directory": str(spill)}
            con = duckdb.connect(":memory:", config=limits)
            try:
                con.execute("attach ? as wh (read_only)", [str(path)]).fetchall()
                why = problem_in(con, "wh", False, path)  # cut short? load_log readable? (no full read)
            except duckdb.Error as exc:
                con.close()
                if attempt < 2 and _stat_version(path) != current:
                    continue  # swapped while attaching: attach the new version
                if is_unreadable(exc):
                    raise unreadable(path, exc) from None
                raise
            if why is not None:
                con.close()
                if attempt < 2 and _stat_version(path) != current:
                    continue  # swapped between the attach and the length check: not damage
                raise WarehouseUnreadable(damaged(path, why))
            install_macros(con)
            _state.update(key=(str(path), current), con=con)
            return current, con
    raise AssertionError("unreachable: the third attempt returns or raises")


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The query layer's macros (queries/macros.sql) into the in-memory catalog: their bodies name
    warehouse tables, found through the search path (the attached file is read-only)."""
    con.execute("set search_path = 'memory.main,wh.main'").fetchall()
    try:
        con.execute(MACROS.read_text(encoding="utf-8")).fetchall()
    except duckdb.CatalogException:
        pass  # a warehouse without its models (none loaded yet): missing_models() says so, not this
    finally:
        con.execute("reset search_path").fetchall()


def cursor(db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on the version this thread reads, with the warehouse as the default catalog and the
    query layer's macros (queries/macros.sql) on the search path."""
    path = _path(db)
    pinned = _pinned().get(str(path))
    con = pinned[1] if pinned else _current(path)[1]
    cur = con.cursor()
    cur.execute("use wh").fetchall()
    cur.execute("set search_path = 'wh.main,memory.main'").fetchall()
    return cur


@contextlib.contextmanager
def snapshot(db: Path | None = None) -> Iterator[tuple[int, int]]:
    """Every query of this thread inside reads one warehouse version (an enclosing pin or snapshot
    of the same file is kept); yields that version."""
    path = _path(db)
    pins = _pinned()
    if str(path) in pins:
        yield pins[str(path)][0]
        return
    pins[str(path)] = _current(path)
    try:
        yield pins[str(path)][0]
    finally:
        pins.pop(str(path), None)


def pin(db: Path | None = None) -> tuple[int, int]:
    """Pin the current version for the rest of this thread (or until the next `pin`): the app calls
    it at the start of each script run. Returns the version."""
    path = _path(db)
    _pinned().pop(str(path), None)
    _pinned()[str(path)] = _current(path)
    return _pinned()[str(path)][0]


def missing_models(db: Path | None = None) -> list[str]:
    """Model tables (contract tables, marts) the warehouse lacks: built by an older Revline."""
    cur = cursor(db)
    try:
        have = {r[0] for r in cur.execute("select table_name from duckdb_tables() where database_name = 'wh'").fetchall()}
    finally:
        cur.close()
    return [t for t in model_tables() if t not in have]


def require_models(db: Path | None = None) -> None:
    """Raise WarehouseOutdated naming the model tables the warehouse lacks and the command that builds
    them: the one wording of the app and the command lines."""
    if missing := missing_models(db):
        raise WarehouseOutdated(f"This warehouse was built by an older version of Revline and lacks {', '.join(missing)}. "
                                "Rebuild its tables from what is loaded (no export is read again): `python -m etl rebuild`")  # fmt: skip


@atexit.register
def close_all() -> None:
    """At exit, close the connections and drop every reference to them. A connection still held at
    interpreter shutdown (by the prewarm daemon thread's pins, say) makes DuckDB's bindings print a
    "nanobind: leaked N instances" report on every Ctrl-C or SIGTERM of the app."""
    with _lock:
        cons = [c for pins in _all_pins for _, c in pins.values()] + [_state.get("con")]
        for pins in _all_pins:
            pins.clear()
        _all_pins.clear()
        _state.clear()
    for con in cons:
        with contextlib.suppress(Exception):
            con.close()  # type: ignore[union-attr]
    del cons
    gc.collect()
