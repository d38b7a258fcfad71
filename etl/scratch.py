"""Temporary files of a load in one private folder, `<tempdir>/revline-<uid>/` (mode 0700).

A UTF-16 export's UTF-8 copy is a plain copy of the user's data, and a dry run copies the whole
warehouse: neither may sit world-readable in /tmp, nor outlive a killed load. Each process works in
its own subfolder and holds an flock on it while it lives; the next load (or app start) removes the
subfolders nobody holds any more (`clean_stale_temp`).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_held: tuple[Path, int] | None = None  # this process's subfolder and the fd holding its lock
YOUNG_SECONDS = 60  # a subfolder this new may not be locked yet by its creator: left alone


def private_root() -> Path:
    """`<tempdir>/revline-<uid>`, created 0700; refused if another user owns it or it is a link."""
    root = Path(tempfile.gettempdir()) / f"revline-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise RuntimeError(f"{root} is not a folder of this user: refusing to put temporary copies there")
    if stat.S_IMODE(st.st_mode) != 0o700:
        os.chmod(root, 0o700)
    return root


def work_dir() -> Path:
    """This process's private subfolder (created on first use, locked until the process ends)."""
    global _held
    if _held is None or not _held[0].is_dir():
        d = Path(tempfile.mkdtemp(prefix=f"p{os.getpid()}-", dir=private_root()))
        fd = os.open(d, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held = (d, fd)
        atexit.register(shutil.rmtree, d, True)  # a clean exit leaves nothing; a killed one, clean_stale_temp
    return _held[0]


def clean_stale_temp() -> list[Path]:
    """Remove the subfolders of processes that ended (killed loads included); returns them."""
    removed = []
    try:
        entries = list(private_root().iterdir())
    except (OSError, RuntimeError):
        return removed
    for d in entries:
        if _held and d == _held[0]:
            continue
        try:
            if time.time() - d.lstat().st_mtime < YOUNG_SECONDS or not d.is_dir() or d.is_symlink():
                continue
            fd = os.open(d, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its process still runs
        else:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
        finally:
            os.close(fd)
    return removed


@contextlib.contextmanager
def throwaway_copy(db: Path, empty: bool = False) -> Iterator[Path]:
    """A private copy of the warehouse `db` (and its email-hash key file) for a dry run: a load
    into it never touches `db`, and the copy is deleted afterwards, whatever happens. `empty`: no
    copy of the file, as a load onto the demo starts a new warehouse (etl/demo_aside.py)."""
    d = Path(tempfile.mkdtemp(prefix="dry-run-", dir=work_dir()))
    try:
        copy = d / (db.name or "warehouse.duckdb")
        if db.exists() and not empty:
            shutil.copyfile(db, copy)
        key = db.with_name(db.name + ".key")
        if key.exists():
            shutil.copyfile(key, copy.with_name(copy.name + ".key"))
        yield copy
    finally:
        shutil.rmtree(d, ignore_errors=True)
