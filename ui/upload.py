"""Uploaded exports: size and type checked, staged in a private folder with a safe name, loaded by
the same ETL (which swaps the warehouse, so every page shows the new data at once), then deleted.

Exports carry personal data (names, e-mails, phones); the warehouse keeps e-mails only as a keyed
hash, so a kept upload would be the one plain copy. Staging is `<data>/uploads/` (mode 0700), one
private folder per upload (mkdtemp), files 0600; the folder is removed once loaded, whatever the
outcome. The file's SHA-256 and name stay in load_log, which is what duplicate detection needs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from etl.errors import WarehouseError
from etl.loader import FileResult, load
from etl.warehouse import db_path
from ui.auth import may_see

MAX_MB = 200
ALLOWED = {".csv", ".tsv", ".xlsx"}
STALE_S = 24 * 3600  # staging folders older than this were left by a crashed app: removed


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", Path(name).name).strip(" .") or "upload"
    return stem[:120]


def staging_root(db: Path) -> Path:
    """`<data>/uploads/`, readable by this user only (also when an older Revline made it 0755)."""
    root = db.parent / "uploads"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root.chmod(0o700)
    return root


def _remove_stale(root: Path) -> None:
    """Uploads an earlier Revline kept, or a crashed run left: they are loaded or never will be."""
    cutoff = time.time() - STALE_S
    for p in root.iterdir():
        if p.lstat().st_mtime >= cutoff:
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def load_uploads(files, demo_to: list[Path] | None = None) -> list[FileResult]:
    """Load the uploaded files into the app's warehouse; onto the demo, they start the user's own
    warehouse and the demo is set aside: where it went is appended to `demo_to` (etl/demo_aside.py)."""
    if not may_see("data"):  # the Data page checks first; this lock is on the warehouse's door itself
        return [FileResult(Path(safe_name(f.name)), "failed", message="Sign in first: nothing was loaded.")
                for f in files]  # fmt: skip
    db = db_path()
    refused, accepted = [], []
    for f in files:
        name = safe_name(f.name)
        if Path(name).suffix.lower() not in ALLOWED:
            refused.append(FileResult(Path(name), "failed", message=f"{name}: not a CSV or XLSX file."))
        elif f.size > MAX_MB * 1024 * 1024:
            refused.append(FileResult(Path(name), "failed", message=f"{name}: larger than {MAX_MB} MB."))
        else:
            accepted.append((name, f))
    if not accepted:
        return refused
    try:
        root = staging_root(db)
        _remove_stale(root)
        folder = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=root))  # 0700
    except OSError as exc:
        why = f"could not be staged in {db.parent / 'uploads'} ({exc.strerror}): make that folder writable."
        return refused + [FileResult(Path(name), "failed", message=f"{name}: {why}") for name, _ in accepted]
    try:
        saved = []
        for n, (name, f) in enumerate(accepted):
            target = folder / name
            if target.exists():  # two uploads with one name: both load
                target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(f.getvalue())
            saved.append(target)
        return refused + load(saved, db, demo_to=demo_to)
    except WarehouseError as exc:  # full disk, damaged warehouse, another hash key: said per file
        return refused + [FileResult(Path(name), "failed", message=str(exc)) for name, _ in accepted]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
