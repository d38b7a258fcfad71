"""Which warehouse the app opens, and the demo: built only when no warehouse is configured at all.

A configured path (`REVLINE_DB`) that does not exist is an error naming it, never a reason to build
the demo: a mistyped path would otherwise show demo numbers as if they were the user's. The demo
warehouse carries a marker file next to it (`<db>.demo`), so every page can say "Demo data". Exports
are never loaded into it: the first load moves it aside (etl/demo_aside.py) and starts the user's own
warehouse at its place, without the marker.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from etl.demo_aside import demo_marker, is_demo
from etl.loader import FileResult, load
from etl.warehouse import DEFAULT_DB


class WarehouseMissing(Exception):
    """A configured warehouse path that does not exist."""


@dataclass(frozen=True)
class Warehouse:
    path: Path
    configured: bool  # named by REVLINE_DB, not the default location


def locate(env: dict[str, str] | None = None) -> Warehouse:
    """The warehouse to open: `REVLINE_DB` if set (it must exist), else the default location."""
    configured = (os.environ if env is None else env).get("REVLINE_DB", "").strip()
    if not configured:
        return Warehouse(DEFAULT_DB, configured=False)
    path = Path(configured)
    if not path.is_file():
        raise WarehouseMissing(
            f"REVLINE_DB is set to {configured!r}, but there is no warehouse file at {path.resolve()}. "
            "Fix the path, load exports into it first (`python -m etl load --db PATH FILES...`), "
            "or unset REVLINE_DB to open the demo."
        )
    return Warehouse(path, configured=True)


__all__ = ["Warehouse", "WarehouseMissing", "build_demo_warehouse", "demo_marker", "is_demo", "locate"]


def build_demo_warehouse(db: Path, exports_dir: Path | None = None) -> list[FileResult]:
    """Write the demo exports and load them, once: sessions starting together wait for the first."""
    from etl.demo_data import write_demo

    db.parent.mkdir(parents=True, exist_ok=True)
    with db.with_name(db.name + ".bootstrap.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if db.exists():  # another session built it while this one waited
            return []
        files = write_demo(exports_dir or db.parent / "demo")
        demo_marker(db).write_text("Built from the demo exports by the app's first start (etl/bootstrap.py).\n")
        return load(files, db)
