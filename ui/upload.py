"""Uploaded exports: size and type checked, saved under the data folder with a safe name, then
loaded by the same ETL (which swaps the warehouse, so every page shows the new data at once)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from etl.loader import FileResult, load
from etl.warehouse import db_path
from ui.auth import may_see

MAX_MB = 200
ALLOWED = {".csv", ".tsv", ".xlsx"}


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", Path(name).name).strip(" .") or "upload"
    return stem[:120]


def load_uploads(files) -> list[FileResult]:
    if not may_see("data"):  # the Data page checks first; this lock is on the warehouse's door itself
        return [FileResult(Path(safe_name(f.name)), "failed", message="Sign in first: nothing was loaded.")
                for f in files]  # fmt: skip
    db = db_path()
    folder = db.parent / "uploads" / datetime.now().strftime("%Y%m%d-%H%M%S")
    saved, refused = [], []
    for f in files:
        name = safe_name(f.name)
        if Path(name).suffix.lower() not in ALLOWED:
            refused.append(FileResult(Path(name), "failed", message=f"{name}: not a CSV or XLSX file."))
            continue
        if f.size > MAX_MB * 1024 * 1024:
            refused.append(FileResult(Path(name), "failed", message=f"{name}: larger than {MAX_MB} MB."))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        target.write_bytes(f.getvalue())
        saved.append(target)
    return refused + (load(saved, db) if saved else [])
