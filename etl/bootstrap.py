"""First start: with no warehouse yet, build one from freshly written demo exports."""

from __future__ import annotations

import fcntl
from pathlib import Path

from etl.loader import FileResult, load


def build_demo_warehouse(db: Path, exports_dir: Path | None = None) -> list[FileResult]:
    """Write the demo exports and load them, once: sessions starting together wait for the first."""
    from etl.demo_data import write_demo

    db.parent.mkdir(parents=True, exist_ok=True)
    with db.with_name(db.name + ".bootstrap.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if db.exists():  # another session built it while this one waited
            return []
        files = write_demo(exports_dir or db.parent / "demo")
        return load(files, db)
