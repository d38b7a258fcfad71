"""Read an export as Polars frames of text cells, one row per record, with physical line numbers.

Cells stay text here; typing happens in SQL (etl/staging.py) so that every value that fails to parse
can be rejected with its file, line and reason instead of becoming a silent null. CSV files are
read in batches of whole records (BATCH_BYTES), so memory stays flat however large the export.
"""

from __future__ import annotations

import codecs
import copy
import csv
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polars as pl

from etl.errors import FinalRefusal, LoadError
from etl.redact import redact_frame, redact_text
from etl.scratch import work_dir
from etl.sniff import HEAD_BYTES, Sniffed, container, encoding_of, find_header, head_lines

EXTRA = 4  # spare columns that catch rows with more fields than the header
# a batch of records. Each batch pays a dozen SQL statements; 1M-lead issue-shape load (1.2 GB of
# CSV): 16 MB 103 s / 2.15 GB peak RSS, 64 MB 78 s / 2.40 GB, 128 MB 71 s / 2.88 GB
BATCH_BYTES = int(os.environ.get("REVLINE_BATCH_BYTES", 64 << 20))
MAX_FIELD_BYTES = 1_000_000  # default of [limits] max_field_bytes: a longer cell rejects its row
NOTE = "\x1a"  # starts a read note in a row's last spare cell: etl/reject.py rejects the row with it
SCIENTIFIC = r"^\s*[+-]?\d+(?:[.,]\d+)?[eE]\+\d+\s*$"  # an ID Excel turned into 1.23457E+17


@dataclass
class RawFile:
    path: Path
    sniffed: Sniffed
    batches: Generator[pl.DataFrame]  # each: _line (int), c1..cN (+EXTRA) as text, in file order
    notes: list[str] = field(default_factory=list)  # for the load result (e.g. hidden sheets ignored)
    given: dict[str, str] = field(default_factory=dict)  # column -> text for every row, from the export's other files (etl/bundle.py)

    @property
    def width(self) -> int:
        return len(self.sniffed.header)


def cell(i: int) -> str:
    return f"c{i + 1}"


def read_export(path: Path, max_field_bytes: int = MAX_FIELD_BYTES) -> RawFile:
    """The export's records, checked and redacted batch by batch as they are read (`_guarded`)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise LoadError(path.name, f"cannot be opened ({exc.strerror}).") from exc
    if container(path, head) == "xlsx":
        raw = _read_xlsx(path)
    else:
        encoding = encoding_of(path, head)
        sniffed = find_header(path, head_lines(path, head, encoding), "csv")
        sniffed.encoding = encoding
        cr_only = b"\r" in head and b"\n" not in head  # classic Mac line endings
        raw = RawFile(path, sniffed, _csv_batches(path, sniffed, cr_only))
    raw.batches = _guarded(raw, raw.batches, max_field_bytes)
    return raw


def _csv_batches(path: Path, s: Sniffed, cr_only: bool = False) -> Generator[pl.DataFrame]:
    plain = s.encoding in ("utf-8", "utf-8-sig") and not cr_only
    with path.open("rb") if plain else _transcode(path, s.encoding, cr_only) as fh:
        for _ in range(s.header_index + 1):  # preamble and header: physical lines, as sniffed
            fh.readline()
        line = s.header_index + 2  # physical line of the first record
        carry = b""  # a record cut by a wrong chunk boundary (a stray quote misled the count)
        for chunk in record_chunks(fh, delimiter=s.delimiter):
            buf = carry + chunk
            frame, used = _parse_chunk(path, buf, s, line, final=False)
            carry, line = buf[used:], line + buf.count(b"\n", 0, used)
            if frame.height:
                yield frame
        if carry:
            yield _parse_chunk(path, carry, s, line, final=True)[0]


def record_chunks(fh, size: int | None = None, delimiter: str | None = None) -> Generator[bytes]:
    """Blocks of whole records: each ends at a newline outside quotes (an even count of `"` before it).

    A stray quote inside an unquoted field (`12" screen`) breaks the count: when no newline of a
    block over `size` looks outside quotes, the block is scanned field by field (`_segments`)."""
    rest = b""
    size = size or BATCH_BYTES
    while block := fh.read(size):
        buf = rest + block
        cut = _record_end(buf)
        if not cut and delimiter and len(buf) > size:
            cut = _segments(buf, delimiter, final=False)[1]
            cut = buf.rfind(b"\n", 0, cut) + 1
        buf, rest = buf[:cut], buf[cut:]
        if buf:
            yield buf
    if rest:
        yield rest


def _record_end(buf: bytes) -> int:
    end = buf.rfind(b"\n")
    if end < 0:
        return 0
    quotes = buf.count(b'"', 0, end)
    while quotes % 2:  # this newline is inside a quoted field: try the one before it
        prev = buf.rfind(b"\n", 0, end)
        if prev < 0:
            return 0
        quotes -= buf.count(b'"', prev, end)
        end = prev
    return end + 1


def _parse_chunk(path: Path, chunk: bytes, s: Sniffed, line: int, final: bool) -> tuple[pl.DataFrame, int]:
    """(records of `chunk` numbered from physical `line`, bytes used); unused bytes start a record
    cut short by the chunk boundary, for the next chunk."""
    try:
        return _with_lines(_polars_csv(chunk, s), line), len(chunk)
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower() and s.encoding in ("utf-8", "cp1252"):
            s.encoding = "cp1252"  # a Windows-1252 byte beyond the sniffed head
            return _parse_chunk(path, chunk.decode("cp1252", errors="replace").encode("utf-8"), s, line, True)
        if b'"' in chunk:
            parsed = _parse_by_record(path, chunk, s, line, final)
            if parsed:
                return parsed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LoadError(path.name, f"could not be parsed as CSV ({redact_text(first)}).") from exc


def _parse_by_record(
    path: Path, chunk: bytes, s: Sniffed, line: int, final: bool
) -> tuple[pl.DataFrame, int] | None:
    """Quoting the fast reader refuses: well-formed runs of records are read as usual, a record
    with a stray quote becomes a row that etl/reject.py rejects (its cells read leniently).
    None if the quoting is fine: the fast reader failed for another reason."""
    segments, used = _segments(chunk, s.delimiter, final)
    if used == len(chunk) and all(ok for *_, ok in segments):
        return None
    if used < len(chunk) and final:
        opened = line + chunk.count(b"\n", 0, used)
        raise LoadError(
            path.name,
            f"ends inside a quoted field (a quote is opened on line {opened} and never closed): the file "
            "looks truncated or damaged, so none of it was loaded.",
            "the complete export, downloaded again.",
        )
    frames = []
    for start, end, ok in segments:
        part = chunk[start:end]
        if ok:
            frames.append(_with_lines(_polars_csv(part, s), line))
        else:
            frames.append(_lenient_row(part, s, line))
        line += part.count(b"\n")
    width = len(s.header) + EXTRA
    empty = pl.DataFrame(schema={"_line": pl.Int64, **{cell(i): pl.String for i in range(width)}})
    return pl.concat([empty, *frames], how="vertical_relaxed"), used


def _lenient_row(part: bytes, s: Sniffed, line: int) -> pl.DataFrame:
    width = len(s.header) + EXTRA
    text = part.decode("utf-8", errors="replace").rstrip("\r\n")
    fields = next(csv.reader([text], delimiter=s.delimiter), [])[:width]
    cells: list[str | None] = [*fields, *[None] * (width - len(fields))]
    cells[-1] = (
        f"{NOTE}a quote (\") inside a field that does not start with one: the row's fields cannot be "
        "told apart reliably"
    )
    return pl.DataFrame(
        [[line], *[[v] for v in cells]],
        schema={"_line": pl.Int64, **{cell(i): pl.String for i in range(width)}},
        orient="col",
    )


def _segments(buf: bytes, delimiter: str, final: bool) -> tuple[list[tuple[int, int, bool]], int]:
    """Split `buf` (starting at a record) into runs of well-formed records and single records with a
    stray quote: [(start, end, well_formed)], and where an unfinished quoted field starts (or len).

    Only records holding a quote are matched, one regex each; quote-free lines are skipped in bulk.
    """
    record, unfinished = _record_res(delimiter)
    segments: list[tuple[int, int, bool]] = []
    pos = good = 0
    n = len(buf)
    used = n
    while (q := buf.find(b'"', pos)) >= 0:
        start = max(buf.rfind(b"\n", pos, q) + 1, pos)
        if m := record.match(buf, start):
            pos = max(m.end(), start + 1)
            continue
        if unfinished.match(buf, start):
            used = start
            break
        end = buf.find(b"\n", start)
        end = n if end < 0 else end + 1
        if start > good:
            segments.append((good, start, True))
        segments.append((start, end, False))
        pos = good = end
    if used > good:
        segments.append((good, used, True))
    return segments, used


_RES: dict[str, tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}


def _record_res(delimiter: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """(a well-formed record, a record whose quoted field is still open at the end of the buffer)."""
    if delimiter not in _RES:
        d = re.escape(delimiter.encode())
        quoted, plain = rb'"[^"]*(?:""[^"]*)*"', rb'[^"' + d + rb"\n]*"
        field_ = rb"(?:" + quoted + rb"|" + plain + rb")"
        _RES[delimiter] = (
            re.compile(field_ + rb"(?:" + d + field_ + rb")*(?:\r?\n|\Z)"),
            re.compile(rb"(?:" + field_ + d + rb")*" + quoted[:-1] + rb"\Z"),
        )
    return _RES[delimiter]


def _polars_csv(chunk: bytes, s: Sniffed) -> pl.DataFrame:
    width = len(s.header) + EXTRA
    frame = pl.read_csv(
        chunk,
        has_header=False,
        separator=s.delimiter,
        quote_char='"',
        schema={f"column_{i + 1}": pl.String for i in range(width)},
        missing_columns="insert",
        truncate_ragged_lines=True,
        empty_string_is_null=True,  # a quoted "" stays '': see _mark_missing_fields
        raise_if_empty=False,
        row_index_name="_row",
    ).rename({f"column_{i + 1}": cell(i) for i in range(width)})
    return _mark_missing_fields(frame, chunk, s)


def _mark_missing_fields(frame: pl.DataFrame, source: bytes, s: Sniffed) -> pl.DataFrame:
    """Empty cells become '', cells a short row does not have stay NULL (staging.py rejects the row).

    Polars reads a missing field and an unquoted empty one alike (NULL; '' with
    empty_string_is_null=False), so the fields of rows whose last cell is NULL are counted on
    their raw lines, outside quotes.
    """
    width = len(s.header)
    fields = pl.lit(width)
    unsure = frame[cell(width - 1)].is_null()
    if unsure.any():
        counts = _field_counts(source, s, unsure)
        if counts is not None:
            fields = pl.lit(counts)
    return frame.with_columns(
        pl.when(fields > i).then(pl.col(cell(i)).fill_null("")).alias(cell(i)) for i in range(width)
    )


def _field_counts(source: bytes, s: Sniffed, unsure: pl.Series) -> pl.Series | None:
    """Fields per record (`len(header)` where not `unsure`), or None if the line view disagrees."""
    lines = pl.read_csv(
        source, has_header=False, separator="\x1f", quote_char=None,
        schema={"line": pl.String}, truncate_ragged_lines=True, empty_string_is_null=False,
        raise_if_empty=False,
    )["line"].fill_null("")  # fmt: skip
    quotes = lines.str.count_matches('"', literal=True)
    record = ((quotes.cum_sum() - quotes) % 2 == 0).cum_sum() - 1  # a record starts outside quotes
    if record.len() == 0 or record[-1] + 1 != unsure.len():
        return None
    text = pl.DataFrame({"record": record, "line": lines})
    text = text.filter(pl.col("record").is_in(unsure.arg_true().implode()))
    if record.len() != unsure.len():  # some quoted field spans lines
        text = text.group_by("record", maintain_order=True).agg(pl.col("line").str.join("\n"))
    quoted = text["line"].str.contains('"', literal=True)
    plain, inside = text.filter(~quoted), text.filter(quoted)
    n_plain = plain["line"].str.count_matches(s.delimiter, literal=True) + 1
    n_inside = inside["line"].str.replace_all(r'"[^"]*"', "").str.count_matches(s.delimiter, literal=True) + 1
    counts = pl.Series("fields", [len(s.header)] * unsure.len(), pl.Int64)
    counts = counts.scatter(plain["record"], n_plain.cast(pl.Int64))
    return counts.scatter(inside["record"], n_inside.cast(pl.Int64))


def _transcode(path: Path, encoding: str, cr_only: bool = False) -> IO[bytes]:
    """Stream a UTF-16 or Windows-1252 file (or one with classic Mac CR line endings) into a
    temporary UTF-8 copy with LF line endings for the fast reader, returned open at its start.

    The copy is an unnamed file (`TemporaryFile`: unlinked as it is created, in the private temp
    folder): it holds the export in clear, and no name means a killed load leaves nothing behind."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""  # a CR at the end of a piece may be the first half of CRLF

    def text(piece: str) -> bytes:
        nonlocal pending
        if cr_only:
            piece, pending = pending + piece, ""
            if piece.endswith("\r"):
                piece, pending = piece[:-1], "\r"
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        return piece.encode("utf-8")

    dst = tempfile.TemporaryFile("w+b", dir=work_dir())  # noqa: SIM115 (returned open: the caller closes it)
    with path.open("rb") as src:
        dst.write(text(decoder.decode(src.read(1 << 20)).removeprefix("\ufeff")))  # the BOM only
        while chunk := src.read(1 << 20):
            dst.write(text(decoder.decode(chunk)))
        dst.write(text(decoder.decode(b"", final=True)) + pending.replace("\r", "\n").encode())
    dst.seek(0)
    return dst


def _with_lines(frame: pl.DataFrame, first_line: int) -> pl.DataFrame:
    """Physical line number of each record: quoted fields may span several lines."""
    cols = [c for c in frame.columns if c.startswith("c")]
    newlines = pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in cols)
    extra = newlines.cum_sum().shift(1, fill_value=0)
    line = (pl.col("_row").cast(pl.Int64) + first_line + extra).alias("_line")
    return frame.select(line, *cols)


# What a workbook may unpack to, counted while decompressing (the zip directory's sizes are written by
# whoever made the file and are not trusted). Reading costs about 4x the unpacked XML in memory (a
# 200,000-row, 12-column Meta export: 111 MB of sheet XML, 451 MB peak RSS), so 512 MB bounds a file at
# about 2 GB; Excel's own limit is 1,048,576 rows a sheet.
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
MAX_XLSX_ROWS = 1_048_576
MAX_XLSX_PARTS = 10_000  # files inside one workbook: an export has a dozen; each costs a directory entry
MAX_XLSX_RATIO = 200  # unpacked / packed: real exports stay far below, zip bombs far above
ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # a sheet's row element, with or without a prefix


def _rows_in(buf: bytes) -> int:
    return sum(buf.count(tag) for tag in ROW_TAGS)  # bytes.count: 0.03 s for 111 MB, a regex 3 s
CSV_INSTEAD = "the export's CSV download (no size limit), or the workbook split into smaller files."


def check_workbook(path: Path, limit: int = MAX_XLSX_UNPACKED, max_rows: int = MAX_XLSX_ROWS) -> None:
    """Refuse workbooks that unpack to more than `limit` bytes, hold a sheet over `max_rows` rows or
    unpack like a zip bomb, before any reader touches them. Every part is decompressed as a stream and
    its bytes (and a sheet's rows) counted as they come: the sizes the zip directory states are
    ignored, so a directory that under-states a part is caught as surely as an honest bomb."""
    packed = max(path.stat().st_size, 1)
    total = 0
    try:
        with path.open("rb") as fh:  # the end record, before the directory is parsed into memory
            end = zipfile._EndRecData(fh)  # the record ZipFile itself trusts (zip64 included)
        if end and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_XLSX_PARTS:
            _too_big(path, f"holds {end[zipfile._ECD_ENTRIES_TOTAL]:,} files, more than the {MAX_XLSX_PARTS:,} "
                     "a workbook may (an export has a dozen)")  # fmt: skip
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if len(names) > MAX_XLSX_PARTS:  # the end record under-stated them
                _too_big(path, f"holds {len(names):,} files, more than the {MAX_XLSX_PARTS:,} a workbook may")
            for info in z.infolist():
                if info.is_dir():
                    continue
                sheet = info.filename.startswith("xl/worksheets/")
                counted = copy.copy(info)
                counted.file_size = 1 << 62  # read to the stream's real end (its CRC still checked)
                rows, tail = 0, b""
                with z.open(counted) as part:
                    while piece := part.read(1 << 20):
                        total += len(piece)
                        if total > limit:
                            _too_big(path, f"unpacks to more than {limit / 1e6:,.0f} MB, the bound for one "
                                     f"workbook (counted while unpacking {info.filename}; its zip directory "
                                     f"says {info.file_size / 1e6:,.1f} MB)")  # fmt: skip
                        if total > 50_000_000 and total / packed > MAX_XLSX_RATIO:
                            _too_big(path, f"unpacks to over {total / 1e6:,.0f} MB from {packed / 1e6:,.1f} "
                                     "MB: refused as a possible zip bomb")  # fmt: skip
                        if sheet:
                            rows += _rows_in(tail + piece)
                            tail = piece[-5:]
                            rows -= _rows_in(tail)  # counted again with the next piece
                            if rows > max_rows:
                                _too_big(path, f"has more than {max_rows:,} rows in {info.filename} (Excel's "
                                         "own limit: a workbook Excel wrote never has more)")  # fmt: skip
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise LoadError(
            path.name, f"is not a readable XLSX workbook ({exc}).", "an .xlsx file as downloaded."
        ) from exc
    if "xl/workbook.xml" not in names:  # a ZIP download (Search Console, zipped exports), not a workbook
        inside = ", ".join(n for n in names if not n.endswith("/"))[:200]
        raise LoadError(
            path.name,
            f"is a ZIP archive, not an XLSX workbook (it holds: {inside}).",
            "the CSV or XLSX files inside it: unzip it and load those.",
        )


def _too_big(path: Path, why: str) -> None:
    raise LoadError(path.name, f"{why}; nothing of it was read or loaded.", CSV_INSTEAD)


def _read_xlsx(path: Path) -> RawFile:
    """The first visible sheet whose header Revline knows; hidden sheets (often a stale copy left
    by someone) are ignored and named in the load result."""
    import fastexcel  # imported here: only XLSX loads pay for it

    check_workbook(path)
    notes, hidden, refused = [], [], None
    try:
        reader = fastexcel.read_excel(str(path))
        for i, name in enumerate(reader.sheet_names):
            sheet = reader.load_sheet(i, header_row=None, dtypes="string")
            if sheet.visible != "visible":
                hidden.append(name)
                continue
            table = sheet.to_polars()
            table = table.rename({c: cell(j) for j, c in enumerate(table.columns)})
            lines = [
                "\x1f".join("" if v is None else str(v) for v in row) for row in table.head(60).iter_rows()
            ]
            try:
                sniffed = find_header(path, lines, "xlsx")
            except FinalRefusal:
                raise
            except LoadError as exc:
                refused = refused or exc
                continue
            if sniffed.match.contract.property_from_folder:  # one table of a multi-table export
                raise LoadError(
                    path.name,
                    f"is an Excel download of a multi-table export (sheet {name!r} holds the "
                    f"{sniffed.match.contract.label} table; its other tables and its date range are on other sheets).",
                    "the CSV download of the same export (Export > Download CSV): the zip as downloaded, or its folder.",
                )
            numeric = _numeric_ids(reader, i, sniffed)
            break
        else:
            raise refused or LoadError(
                path.name, "has no visible sheet (every sheet is hidden).", "the workbook as downloaded."
            )
    except LoadError:
        raise
    except Exception as exc:  # fastexcel raises its own hierarchy for corrupt files
        raise LoadError(
            path.name, f"is not a readable XLSX workbook ({exc}).", "an .xlsx file as downloaded."
        ) from exc
    if hidden:
        notes.append(
            f"hidden sheet(s) {', '.join(map(repr, hidden))} ignored: read the visible sheet {name!r}"
        )
    width = len(sniffed.header) + EXTRA
    for col, flags in numeric.items():
        _refuse_rounded_ids(path, sniffed, col, table, flags)
    body = table.slice(sniffed.header_index + 1)
    for i in range(len(body.columns), width):
        body = body.with_columns(pl.lit(None, pl.String).alias(cell(i)))
    body = body.select([cell(i) for i in range(width)]).with_row_index("_row")
    frame = body.select(
        (pl.col("_row").cast(pl.Int64) + sniffed.header_index + 2).alias("_line"),
        *[pl.col(cell(i)) for i in range(width)],
    )
    return RawFile(path, sniffed, _one(frame), notes)


def _numeric_ids(reader, sheet: int, sniffed: Sniffed) -> dict[str, pl.Series]:
    """For each ID column: which of its cells Excel stores as numbers (true) rather than text."""
    m = sniffed.match
    ids = {
        col.name: m.positions[col.name]
        for col in m.contract.columns
        if col.type == "id" and col.name in m.positions
    }
    if not ids:
        return {}
    flags = reader.load_sheet(
        sheet, header_row=None, use_columns=list(ids.values()), dtypes=dict.fromkeys(ids.values(), "boolean")
    ).to_polars()  # "boolean" reads a number cell as true and a text cell as null
    return {name: flags[:, k].is_not_null() for k, name in enumerate(ids)}


def _refuse_rounded_ids(path: Path, s: Sniffed, col: str, table: pl.DataFrame, numeric: pl.Series) -> None:
    """Excel keeps 15 significant digits: an ID stored as a number beyond 2^53 has lost digits, and
    two campaigns (or deals) can come out as one. Refuse the file rather than merge them."""
    values = table[cell(s.match.positions[col])]
    body = pl.int_range(pl.len()) > s.header_index
    big = (
        pl.DataFrame({"v": values, "n": numeric})
        .with_row_index("i")
        .filter(body & pl.col("n") & (pl.col("v").cast(pl.Float64, strict=False).abs() > 2.0**53))
    )
    if big.height:
        _rounded(path, s, col, big.height, int(big["i"][0]) + 1, big["v"][0])


def _rounded(path: Path, s: Sniffed, col: str, n: int | None, line: int, value: str) -> None:
    """Refuse the file; `n` is None where the count is unknown (a CSV stops at its first batch)."""
    header = s.match.headers[col]
    count = f"{n:,} {header!r} value(s)" if n is not None else f"{header!r} values"
    raise LoadError(
        path.name,
        f"has {count} that Excel stored as numbers with more than 15 digits "
        f"(first on line {line}: {value}): Excel rounded them, so distinct IDs could merge into one. "
        "Nothing of the file was loaded.",
        f"the export as downloaded, not re-saved in Excel (or the {header!r} column formatted as Text "
        "before saving).",
    )


def _guarded(raw: RawFile, batches: Generator[pl.DataFrame], max_field_bytes: int) -> Generator[pl.DataFrame]:
    """Each batch checked and redacted before anything reaches the warehouse: IDs in scientific
    notation refuse the file, a cell over `max_field_bytes` rejects its row (a read note), and
    e-mail addresses and phone numbers are redacted in every column that is stored (the mapped
    ones, but the e-mail column, hashed in SQL). Other cells only reach rejected raw lines, which
    etl/reject.py redacts by the same patterns."""
    m = raw.sniffed.match
    note = cell(raw.width + EXTRA - 1)
    stored = [
        cell(m.positions[c.name])
        for c in m.contract.columns
        if c.name in m.positions and c.type != "email_hash"
    ]
    ids = {
        c.name: cell(m.positions[c.name])
        for c in m.contract.columns
        if c.type == "id" and c.name in m.positions
    }
    ad_ids = set() if m.contract.pii else set(ids.values())  # redact.py: Google's 123-456-7890
    try:
        for frame in batches:
            for name, col in ids.items():
                e = pl.col(col)
                hit = frame.filter(e.str.contains("E+", literal=True) | e.str.contains("e+", literal=True))
                hit = hit.filter(e.str.contains(SCIENTIFIC))
                if hit.height:
                    n = None if raw.sniffed.kind == "csv" else hit.height
                    _rounded(raw.path, raw.sniffed, name, n, int(hit["_line"][0]), hit[col][0])
            yield redact_frame(_capped(frame, note, max_field_bytes), stored, ad_ids)
    finally:
        batches.close()


def _capped(frame: pl.DataFrame, note: str, limit: int) -> pl.DataFrame:
    cells = [c for c in frame.columns if c.startswith("c")]
    sizes = [pl.col(c).str.len_bytes().fill_null(0) for c in cells]
    if not frame.select(pl.max_horizontal(sizes) > limit).to_series().any():
        return frame
    too_long = pl.concat_str(
        [pl.when(size > limit).then(pl.format("field {} is {} bytes", pl.lit(i + 1), size)) for i, size in enumerate(sizes)],
        separator="; ", ignore_nulls=True,
    )  # fmt: skip
    reason = pl.when(pl.max_horizontal(sizes) > limit).then(
        pl.concat_str(
            [pl.lit(NOTE), too_long, pl.lit(f", over the limit of {limit:,} ([limits] max_field_bytes)")]
        )
    )
    capped = {
        c: pl.when(size > limit).then(pl.format("[{} bytes]", size)).otherwise(pl.col(c))
        for c, size in zip(cells, sizes, strict=True)
    }
    earlier = pl.when(pl.col(note).str.starts_with(NOTE)).then(pl.col(note))  # a stray-quote note
    return frame.with_columns(  # one step: the reason sees the cells before they are capped
        *(e.alias(c) for c, e in capped.items() if c != note),
        pl.coalesce(earlier, reason, capped[note]).alias(note),
    )


def _one(frame: pl.DataFrame) -> Generator[pl.DataFrame]:
    yield frame
