"""First start: with no warehouse yet, build one from freshly written demo exports."""

from __future__ import annotations

from pathlib import Path

from etl.loader import FileResult, load


def build_demo_warehouse(db: Path, exports_dir: Path | None = None) -> list[FileResult]:
    from etl.demo_data import write_demo

    out = exports_dir or db.parent / "demo"
    files = write_demo(out)
    return load(files, db)
