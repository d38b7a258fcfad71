"""The demo is never a load's target: loading exports into the demo warehouse moves the demo aside
and starts the user's own warehouse where it was (docs/decisions/0113-the-demo-is-moved-aside-by-the-first-load.md).

The demo is the warehouse with a marker file beside it (`<db>.demo`, written by etl/bootstrap.py).
A load whose target is a demo at `P` moves it to `demo.duckdb` in P's folder (`demo-2.duckdb`... if
taken), with its marker, generations and key, and loads into a new, empty warehouse at `P`; the
moved demo still opens with `REVLINE_DB=<folder>/demo.duckdb`. A demo already moved aside (named
`demo*.duckdb`) is refused as a target: loading there would mix real rows into invented ones again.
The move itself happens inside the load's swap, under its lock (etl/warehouse.py `next_version`).
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.errors import WarehouseError

ASIDE = re.compile(r"demo(-\d+)?\.duckdb")  # the names a demo moved aside takes


def demo_marker(db: Path) -> Path:
    return db.with_name(db.name + ".demo")


def is_demo(db: Path) -> bool:
    return demo_marker(db).exists()


def _taken(path: Path) -> bool:
    return any(path.with_name(path.name + s).exists() for s in ("", ".demo", ".gen", ".key", ".wal"))


def aside_path(db: Path) -> Path:
    """Where the demo at `db` goes when exports are loaded there: the first free `demo.duckdb`,
    `demo-2.duckdb`... beside it. A demo already set aside is refused as a target, with the way on."""
    if ASIDE.fullmatch(db.name):
        own = db.with_name("warehouse.duckdb")
        raise WarehouseError(
            f"{db} is the demo warehouse (invented numbers), set aside so that your exports never mix "
            f"with it: nothing was loaded. Load into your own warehouse instead: `python -m etl load "
            f"FILES --db {own}` (the app opens it when REVLINE_DB is unset or names it)."
        )
    n, dest = 1, db.with_name("demo.duckdb")
    while _taken(dest):
        n += 1
        dest = db.with_name(f"demo-{n}.duckdb")
    return dest


def demos_aside(db: Path) -> list[Path]:
    """The demos set aside beside `db`, as the Data page and the load summary name them."""
    folder = db.parent
    found = [p for p in folder.glob("demo*.duckdb") if ASIDE.fullmatch(p.name) and is_demo(p)] if folder.is_dir() else []
    return sorted(found, key=lambda p: (len(p.name), p.name))


def describe(db: Path) -> str:
    """The warehouse in one phrase: its path and whether it holds the demo's invented numbers."""
    return f"{db} (the demo: invented numbers)" if is_demo(db) else f"{db} (your own warehouse)"


def moved_note(db: Path, dest: Path) -> str:
    """The load summary's line about the move."""
    return (f"{db} held the demo, so your exports started your own warehouse there; the demo was moved, "
            f"intact, to {dest} (open it with `REVLINE_DB={dest} python3 -m streamlit run app.py`).")
