"""Files of one export that are read together: a Search Console performance export is a zip (or its
unzipped folder) of tables, and its Queries.csv and Pages.csv carry no dates. Their range is the
first and last day of the chart file of the same export (`Chart.csv`, or `Dates.csv` before
2025-11), found by its header, never by its name (localised UIs rename the files). The zip is opened
into a private folder named like it, so that its members are read as the folder's files are.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from etl.contracts import Contract
from etl.errors import LoadError
from etl.read import check_workbook, read_export
from etl.reject import printable_name
from etl.scratch import work_dir

MAX_ZIP_UNPACKED = 2_000_000_000  # bytes a CSV zip may unpack to; beyond, etl/read.py refuses it as a workbook would be
SHEET_FILE = re.compile(r"[^\w .-]")  # a sheet name as a file name in the private folder
ISO_DAY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


# `https___www.example.co.uk_-Performance-on-Search-2026-03-03 (1)`: the property before the marker
PROPERTY = re.compile(r"^(.+?)-Performance-on-(?:Search|Discover)-\d{4}-\d{2}-\d{2}(?: \(\d+\))?$", re.I)


def given_cells(path: Path, c: Contract) -> dict[str, str]:
    """The cells every row of `path` gets from the rest of its export: the property (two sites'
    exports of the same days are two series), and range_start, range_end."""
    given = {}
    if c.property_from_folder:
        m = PROPERTY.match(path.parent.name)
        given["property"] = m.group(1) if m else ""  # loose files: one unnamed property
    if not c.range_from:
        return given
    days: list[str] = []
    for other in sorted(path.parent.iterdir()):
        if other == path or not other.is_file() or other.name.startswith((".", "~$")):
            continue
        try:
            raw = read_export(other)
        except LoadError:
            continue
        try:
            m = raw.sniffed.match
            if m.contract.name != c.range_from:
                continue
            date_col = next(col.name for col in m.contract.columns if col.type == "date" and col.name in m.positions)
            cell = f"c{m.positions[date_col] + 1}"
            for frame in raw.batches:
                days += [d.strip() for d in frame[cell].drop_nulls().to_list() if ISO_DAY.match(d)]
        finally:
            raw.batches.close()
    if not days:
        raise LoadError(
            path.name,
            f"is the {c.label} table, which carries no dates, and no chart by day of the same export "
            "(Chart.csv or Dates.csv) is beside it to give its date range.",
            "the whole export: the zip as downloaded, or its unzipped folder with its Chart.csv (Dates.csv).",
        )
    return given | {"range_start": min(days), "range_end": max(days)}


def export_sheets(path: Path) -> list[tuple[str, list[list[str]]]] | None:
    """The visible sheets of an XLSX download of a multi-table export (Search Console "Download
    Excel": Chart, Queries, Pages, … one per sheet), as rows of text; None for any other workbook
    (read as one table by etl/read.py). CTR is a number there (0.0054 shown as 0.54%): written back
    as the CSV download writes it ("0.54%"); a date re-saved as a serial (45658) as its ISO day."""
    if path.suffix.lower() != ".xlsx" or not zipfile.is_zipfile(path):
        return None
    import fastexcel  # only workbooks pay for it

    from etl.contracts import detect

    try:  # bounded before any reader unpacks it: a lying workbook is refused by etl/read.py, unread
        check_workbook(path)
        reader = fastexcel.read_excel(str(path))
        if len(reader.sheet_names) < 2:  # one table: etl/read.py reads it, no sheet loaded twice
            return None
        sheets = []
        for i, name in enumerate(reader.sheet_names):
            sheet = reader.load_sheet(i, header_row=None, dtypes="string")
            if sheet.visible == "visible":
                sheets.append((name, [["" if v is None else str(v) for v in row] for row in sheet.to_polars().iter_rows()]))
    except Exception:  # a corrupt workbook: etl/read.py refuses it with its reasons
        return None
    tables = []
    for _name, rows in sheets:
        full, _ = detect(rows[0]) if rows else (None, None)
        if full and full.contract.property_from_folder:
            tables.append(full)
            _as_downloaded_csv(rows, full)
    return sheets if len(tables) >= 2 else None


def _as_downloaded_csv(rows: list[list[str]], m) -> None:
    ctr, day = m.positions.get("ctr"), m.positions.get("date")
    for row in rows[1:]:
        if ctr is not None and ctr < len(row) and re.fullmatch(r"\d+(\.\d+)?(E-\d+)?", row[ctr], re.I):
            row[ctr] = f"{round(float(row[ctr]) * 100, 2):g}%"
        if day is not None and day < len(row) and re.fullmatch(r"\d{5}(\.0)?", row[day]):
            row[day] = (date(1899, 12, 30) + timedelta(days=int(float(row[day])))).isoformat()


def is_csv_zip(path: Path) -> bool:
    """A ZIP download of CSV files (Search Console), not an XLSX workbook (also a ZIP)."""
    if path.suffix.lower() != ".zip" or not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        expanded = sum(i.file_size for i in z.infolist())
    return "xl/workbook.xml" not in names and expanded <= MAX_ZIP_UNPACKED and any(
        n.lower().endswith(".csv") for n in names
    )


@contextmanager
def opened_zips(files: list[tuple[Path, str]]) -> Iterator[list[tuple[Path, str]]]:
    """`files` with each CSV zip (and Excel download of a multi-table export) replaced by its members, extracted into a private folder named like
    the zip (removed afterwards) and shown as `<zip name>/<member>`. Members keep the time the zip
    gives them (the export time, etl/export_time.py reads it as their modification time); a member in
    a sub-folder is read by its base name, so no member writes outside the folder."""
    if not any(is_csv_zip(path) or path.suffix.lower() == ".xlsx" for path, _ in files):
        yield files  # nothing extracted: no named copy of anything in the private folder
        return
    # the members are named copies of the export, in this process's private 0700 folder: removed when
    # the load ends, and by the next load's clean_stale_temp if this one is killed (etl/scratch.py)
    with tempfile.TemporaryDirectory(dir=work_dir()) as tmp:
        out: list[tuple[Path, str]] = []
        for path, name in files:
            if sheets := export_sheets(path):  # an Excel download of the export: its sheets as its CSVs
                folder = Path(tmp) / f"{len(out)}" / path.stem
                folder.mkdir(parents=True)
                stamp = path.stat().st_mtime
                for sheet, rows in sheets:
                    target = folder / (SHEET_FILE.sub("_", sheet) + ".csv")
                    with target.open("w", encoding="utf-8", newline="") as fh:
                        csv.writer(fh, lineterminator="\n").writerows(rows)
                    os.utime(target, (stamp, stamp))
                    out.append((target, f"{name}/{printable_name(sheet)}"))
                continue
            if not is_csv_zip(path):
                out.append((path, name))
                continue
            folder = Path(tmp) / f"{len(out)}" / path.stem
            folder.mkdir(parents=True)
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    base = Path(info.filename).name
                    if info.is_dir() or not base or base.startswith("."):
                        continue
                    target = folder / base
                    with z.open(info) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    stamp = time.mktime((*info.date_time, 0, 0, -1))
                    os.utime(target, (stamp, stamp))
                    out.append((target, f"{name}/{printable_name(base)}"))
        yield out
