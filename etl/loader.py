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

from etl.bundle import given_cells, opened_zips
from etl.config import Config, email_hash_key, load_config
from etl.contracts import norm_header
from etl.db import execute, one
from etl.deal_stages import unmapped_note
from etl.demo_aside import is_demo
from etl.errors import LoadError
from etl.export_time import NEWEST_IN_FILE, ExportTime, export_time, newest_in_rows, range_end_in_rows
from etl.models import build_models
from etl.newest import backfill_export_times, older_rows
from etl.read import read_export
from etl.redact import redact_text
from etl.reject import printable_name
from etl.scratch import clean_stale_temp, throwaway_copy
from etl.staging import Staged, discard, stage
from etl.warehouse import next_version, write_config_tables

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}  # files the OS leaves in folders


@dataclass
class FileResult:
    path: Path
    status: str  # loaded | loaded_with_rejects | duplicate_file | failed
    adapter: str = ""
    message: str = ""
    counts: Staged = field(default_factory=Staged)
    exported: ExportTime | None = None  # when the export was made (etl/export_time.py)
    rows_older: int = 0  # rows that lost to a newer version already loaded (etl/newest.py)
    name: str = ""  # as shown in messages: relative to the folder given, escaped (`found_files`)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class Found:
    files: list[tuple[Path, str]]  # (path, name shown in messages), in load order
    skipped: list[tuple[str, str]]  # (name shown, why): not exports, not failures, not logged


def found_files(paths: Iterable[str | Path]) -> Found:
    """Files as given; folders recursively, without hidden files and folders, Excel lock files
    (`~$deals.xlsx`, there while the workbook is open) and the files the OS leaves in folders.
    Order: modification time, then name (older first). A file found in folder `exports/` is shown
    as `exports/hubspot/deals.csv`, a file given by itself by its name; names that are not UTF-8 or
    hold control characters are shown escaped (`shown`)."""
    files: dict[Path, str] = {}
    skipped: list[tuple[str, str]] = []
    for given in map(Path, paths):
        if given.is_dir():
            hidden: dict[str, None] = {}
            for f in given.rglob("*"):
                rel = f.relative_to(given)
                name = printable_name(str(Path(given.name or given.resolve().name) / rel))
                if any(part.startswith(".") for part in rel.parts[:-1]):
                    top = next(i for i, part in enumerate(rel.parts) if part.startswith("."))
                    hidden[printable_name(str(Path(given.name or given.resolve().name, *rel.parts[: top + 1])))] = None
                    continue  # hidden folders are not looked into
                if not f.is_file():
                    continue
                if why := _skip_reason(f.name):
                    skipped.append((name, why))
                elif f not in files:
                    files[f] = name
            skipped += [(h, "a hidden folder: not looked into") for h in hidden]
        elif given.name.startswith("~$"):
            skipped.append((printable_name(given.name), _skip_reason(given.name)))
        else:
            files.setdefault(given, printable_name(given.name))
    order = sorted(files, key=lambda f: (f.stat().st_mtime_ns if f.exists() else 0, str(f)))
    return Found([(f, files[f]) for f in order], skipped)


def _skip_reason(name: str) -> str:
    if name.startswith("~$"):
        return "an Excel lock file (there while the workbook is open), not an export"
    if name in SKIP_NAMES:
        return "a file the operating system keeps in folders, not an export"
    if name.startswith("."):
        return "a hidden file"
    return ""


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """The files a load of `paths` reads, in order (see `found_files`)."""
    return [f for f, _ in found_files(paths).files]


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
    dry_run: bool = False,
    demo_to: list[Path] | None = None,
) -> list[FileResult]:
    """Load `paths` into `db`. A dry run loads into a private throwaway copy of `db` (same
    recognition, checks and results) and deletes it: `db` and its folder are never written.
    The demo is never a target: files loaded into it start a new warehouse at `db` and the demo is
    set aside; where it went is appended to `demo_to` (etl/demo_aside.py)."""
    clean_stale_temp()  # transcoded copies and dry-run warehouses of loads that were killed
    if dry_run:  # onto the demo, a real load would start an empty warehouse: so does the dry run
        with throwaway_copy(db, empty=is_demo(db)) as copy:
            return load(paths, copy, cfg, on_file)
    cfg = cfg or load_config()
    files = found_files(paths).files
    key = email_hash_key(db)
    results = []
    moved = [] if demo_to is None else demo_to  # a rebuild (no files) leaves the demo where it is
    with next_version(db, key=key if files else None, demo_to=moved if files else None) as con:
        write_config_tables(con, cfg)
        backfill_export_times(con, cfg.timezones)
        with opened_zips(files) as members:  # a Search Console zip: its CSV files (etl/bundle.py)
            for f, name in members:
                results.append(load_file(con, f, cfg, key, name))
                if on_file:
                    on_file(results[-1])
        build_models(con)
    return results


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, cfg: Config, key: str, name: str | None = None
) -> FileResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    load_id = one(con, "select coalesce(max(load_id), 0) + 1 from load_log")[0]
    name = name or printable_name(path.name)
    if not path.exists():
        result = FileResult(path, "failed", message=f"{printable_name(str(path))}: no such file.", name=name)
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
        result = FileResult(path, "duplicate_file", prior[0], "already loaded: nothing changed", counts, name=name)
        _log(con, load_id, path, digest, result, started, None)
        return result
    raw = None
    try:
        raw = read_export(path, cfg.max_field_bytes)
        s = raw.sniffed
        raw.given = given_cells(path, s.match.contract)
        exported = export_time(path, s.encoding, s.header_index, cfg.timezones)
        counts = stage(con, raw, load_id, cfg, key)
        exported = range_end_in_rows(con, s.match.contract, load_id, exported)
        exported = newest_in_rows(con, s.match.contract, load_id, exported)
        older = older_rows(con, s.match.contract, load_id, exported.at, exported.downloaded)
        status = "loaded_with_rejects" if counts.rows_rejected else "loaded"
        notes = [*raw.notes, *_notes(s.header, counts), *_cap_note(s.match.contract, counts), *_older_note(older, exported),
                 *_dated_note(con, s.match.contract, exported), *unmapped_note(con, s.match.contract, load_id, exported.at)]  # fmt: skip
        msg = "; ".join(notes)
        result = FileResult(path, status, s.match.contract.name, msg, counts, exported, older, name=name)
        _log(con, load_id, path, digest, result, started, raw)
        return result
    except Exception as exc:  # any failure: roll the whole file back and record why
        if raw:
            discard(con, raw.sniffed.match.contract, load_id)
        message = printable_name(
            f"{name}: {exc.problem}" + (f" Expected: {exc.expected}" if exc.expected else "")
            if isinstance(exc, LoadError)
            # a library's message may quote a cell: no e-mail or phone reaches load_log or the screen
            else f"{name}: could not be loaded ({type(exc).__name__}: {redact_text(str(exc))})"
        )
        adapter = raw.sniffed.match.contract.name if raw else ""
        result = FileResult(path, "failed", adapter, message, getattr(exc, "counts", None) or Staged(), name=name)
        _log(con, load_id, path, digest, result, started, raw)
        return result
    finally:
        if raw:
            raw.batches.close()  # a transcoded copy is removed even when staging stopped early


def _notes(header: list[str], counts: Staged) -> list[str]:
    """What a user should know about a file that did load."""
    notes = []
    if counts.rows_rejected:
        notes.append(f"{counts.rows_rejected} rows rejected: see Rejected rows on the Data page")
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


def _cap_note(c, counts: Staged) -> list[str]:
    """A table cut at the vendor's row limit holds only its top rows: the rest exist but are not in it."""
    if not c.row_cap or counts.rows_read < c.row_cap:
        return []
    return [f"{counts.rows_read:,} rows: the {c.row_cap:,}-row limit of the export, so rows beyond the top "
            f"{c.row_cap:,} are missing from it (their totals are in the by-day chart)"]


def _older_note(older: int, exported: ExportTime) -> list[str]:
    if not older:
        return []
    rows = "1 row is" if older == 1 else f"{older} rows are"
    return [f"{rows} older than the version already loaded (this export: {exported.at:%Y-%m-%d %H:%M} UTC, "
            f"from its {exported.source}): the newer values were kept"]


def _dated_note(con, c, exported: ExportTime) -> list[str]:
    """Which rule dated an export whose name carries no date (Stripe): its newest timestamp, or, when
    an export of the same type already loaded has the same newest timestamp, the download time."""
    if exported.source != NEWEST_IN_FILE:
        return []
    tied = one(con, """select file_name, downloaded_at from load_log where adapter = ? and exported_at = ?
                       and status like 'loaded%' order by load_id desc limit 1""", [c.name, exported.at])
    at = f"{exported.at:%Y-%m-%d %H:%M} UTC"
    if not tied:
        return [f"export time: its newest timestamp ({at}), since the file name carries no date; "
                "the download time only breaks a tie"]
    mine = f"{exported.downloaded:%Y-%m-%d %H:%M}" if exported.downloaded else "unknown"
    theirs = f"{tied[1]:%Y-%m-%d %H:%M}" if tied[1] else "unknown"
    return [f"same newest timestamp ({at}) as {tied[0]}: the download time decided "
            f"(this file {mine} UTC, {tied[0]} {theirs} UTC; the later one wins)"]


def _log(con, load_id: int, path: Path, digest: str, r: FileResult, started: datetime, raw) -> None:
    c = r.counts
    s = raw.sniffed if raw else None
    row = {
        "load_id": load_id, "file_name": printable_name(path.name), "file_sha256": digest, "adapter": r.adapter,
        "started_at": started, "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "rows_read": c.rows_read, "rows_loaded": c.rows_loaded, "rows_rejected": c.rows_rejected,
        "rows_duplicate": c.rows_duplicate, "rows_skipped": c.rows_skipped, "status": r.status,
        "message": r.message, "file_path": printable_name(str(path)), "encoding": s.encoding if s else None,
        "delimiter": s.delimiter if s else None, "header_line": s.header_index + 1 if s else None,
        "date_order": c.date_order, "number_format": c.number_format, "rows_merged": c.rows_merged,
        "file_spend": c.file_spend, "file_impressions": c.file_impressions, "file_clicks": c.file_clicks,
        "stored_spend": c.stored_spend, "stored_impressions": c.stored_impressions,
        "stored_clicks": c.stored_clicks, "invariant_ok": c.invariant_ok,
        "exported_at": r.exported.at if r.exported else None,
        "exported_at_source": r.exported.source if r.exported else None, "rows_older": r.rows_older,
        "downloaded_at": r.exported.downloaded if r.exported else None,
    }  # fmt: skip
    execute(con, f"insert into load_log ({', '.join(row)}) values ({', '.join('?' for _ in row)})", list(row.values()))
