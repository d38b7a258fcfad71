"""Load export files into the warehouse, file by file, then rebuild the unified tables.

Each file loads all or nothing and leaves one load_log row, whatever happens to it: a file that
fails has its rows removed again (`discard`). Not one transaction per file: DuckDB keeps a
transaction's appends in memory, and a 5 GB export would not fit; the live warehouse never sees
a half-loaded file anyway, since a load works on a copy that is swapped in at the end
(etl/warehouse.py). The same
file loaded again (same SHA-256) changes nothing but is logged as a duplicate file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.config import Config, email_hash_key, load_config
from etl.contracts import norm_header
from etl.db import one, run
from etl.errors import LoadError
from etl.models import build_models
from etl.read import read_export
from etl.stage import Staged, discard, stage
from etl.warehouse import next_version, write_config_tables

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class FileResult:
    path: Path
    status: str  # loaded | loaded_with_rejects | duplicate_file | failed
    adapter: str = ""
    message: str = ""
    counts: Staged = field(default_factory=Staged)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders recursively. Order: modification time, then name (older first)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += [
                f
                for f in p.rglob("*")
                if f.is_file() and not f.name.startswith(".") and f.name not in SKIP_NAMES
            ]
        else:
            found.append(p)
    return sorted(set(found), key=lambda f: (f.stat().st_mtime_ns if f.exists() else 0, str(f)))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def load(
    paths: Iterable[str | Path],
    db: Path,
    cfg: Config | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    cfg = cfg or load_config()
    files = expand(paths)
    key = email_hash_key(db)
    results = []
    with next_version(db) as con:
        write_config_tables(con, cfg)
        for f in files:
            results.append(load_file(con, f, cfg, key))
            if on_file:
                on_file(results[-1])
        build_models(con)
    return results


def load_file(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config, key: str) -> FileResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    load_id = one(con, "select coalesce(max(load_id), 0) + 1 from load_log")[0]
    if not path.exists():
        result = FileResult(path, "failed", message=f"{path}: no such file.")
        _log(con, load_id, path, "", result, started, None)
        return result
    digest = sha256(path)
    prior = one(
        con,
        """select adapter, rows_read from load_log where file_sha256 = ? and status like 'loaded%'
           order by load_id limit 1""",
        [digest],
    )
    if prior:
        counts = Staged(rows_read=prior[1], rows_duplicate=prior[1])
        result = FileResult(path, "duplicate_file", prior[0], "already loaded: nothing changed", counts)
        _log(con, load_id, path, digest, result, started, None)
        return result
    raw = None
    try:
        raw = read_export(path)
        counts = stage(con, raw, load_id, cfg, key)
        status = "loaded_with_rejects" if counts.rows_rejected else "loaded"
        msg = "; ".join(_notes(raw.sniffed.header, counts))
        result = FileResult(path, status, raw.sniffed.match.contract.name, msg, counts)
        _log(con, load_id, path, digest, result, started, raw)
        return result
    except Exception as exc:  # any failure: roll the whole file back and record why
        if raw:
            discard(con, raw.sniffed.match.contract, load_id)
        message = (
            str(exc)
            if isinstance(exc, LoadError)
            else f"{path.name}: could not be loaded ({type(exc).__name__}: {exc})"
        )
        adapter = raw.sniffed.match.contract.name if raw else ""
        result = FileResult(path, "failed", adapter, message)
        _log(con, load_id, path, digest, result, started, raw)
        return result
    finally:
        if raw:
            raw.batches.close()  # a transcoded copy is removed even when staging stopped early


def _notes(header: list[str], counts: Staged) -> list[str]:
    """What a user should know about a file that did load."""
    notes = []
    if counts.rows_rejected:
        notes.append(f"{counts.rows_rejected} rows rejected: see rejected_rows")
    if counts.rows_read == 0:
        notes.append("no records after the header")
    if counts.note:
        notes.append(counts.note)
    seen: set[str] = set()
    for h in header:
        key = norm_header(h)
        if key in seen and key:
            notes.append(f"column {h!r} appears twice in the header: the first one was used")
        seen.add(key)
    return notes


def _log(con, load_id: int, path: Path, digest: str, r: FileResult, started: datetime, raw) -> None:
    c = r.counts
    s = raw.sniffed if raw else None
    run(con,
        "insert into load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id, path.name, digest, r.adapter, started, datetime.now(UTC).replace(tzinfo=None),
            c.rows_read, c.rows_loaded, c.rows_rejected, c.rows_duplicate, c.rows_skipped,
            r.status, r.message, str(path), s.encoding if s else None,
            s.delimiter if s else None, s.header_index + 1 if s else None, c.date_order,
            c.number_format,
        ],
    )  # fmt: skip
