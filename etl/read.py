"""Read an export as Polars frames of text cells, one row per record, with physical line numbers.

Cells stay text here; typing happens in SQL (etl/stage.py) so that every value that fails to parse
can be rejected with its file, line and reason instead of becoming a silent null. CSV files are
read in batches of whole records (BATCH_BYTES), so memory stays flat however large the export.
"""

from __future__ import annotations

import codecs
import os
import tempfile
import zipfile
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.errors import LoadError
from etl.sniff import HEAD_BYTES, Sniffed, container, encoding_of, find_header, head_lines

EXTRA = 4  # spare columns that catch rows with more fields than the header
# a batch of records. Each batch pays a dozen SQL statements; 1M-lead issue-shape load (1.2 GB of
# CSV): 16 MB 103 s / 2.15 GB peak RSS, 64 MB 78 s / 2.40 GB, 128 MB 71 s / 2.88 GB
BATCH_BYTES = int(os.environ.get("REVLINE_BATCH_BYTES", 64 << 20))


@dataclass
class RawFile:
    path: Path
    sniffed: Sniffed
    batches: Generator[pl.DataFrame]  # each: _line (int), c1..cN (+EXTRA) as text, in file order

    @property
    def width(self) -> int:
        return len(self.sniffed.header)


def cell(i: int) -> str:
    return f"c{i + 1}"


def read_export(path: Path) -> RawFile:
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise LoadError(path.name, f"cannot be opened ({exc.strerror}).") from exc
    if container(path, head) == "xlsx":
        return _read_xlsx(path)
    encoding = encoding_of(path, head)
    sniffed = find_header(path, head_lines(path, head, encoding), "csv")
    sniffed.encoding = encoding
    return RawFile(path, sniffed, _csv_batches(path, sniffed))


def _csv_batches(path: Path, s: Sniffed) -> Generator[pl.DataFrame]:
    source = path if s.encoding in ("utf-8", "utf-8-sig") else Path(_transcode(path, s.encoding))
    try:
        with source.open("rb") as fh:
            for _ in range(s.header_index + 1):  # preamble and header: physical lines, as sniffed
                fh.readline()
            line = s.header_index + 2  # physical line of the first record
            for chunk in record_chunks(fh):
                yield _with_lines(_parse_chunk(path, chunk, s), line)
                line += chunk.count(b"\n")
    finally:
        if source is not path:
            source.unlink(missing_ok=True)


def record_chunks(fh, size: int | None = None) -> Generator[bytes]:
    """Blocks of whole records: each ends at a newline outside quotes (an even count of `"` before it)."""
    rest = b""
    while block := fh.read(size or BATCH_BYTES):
        buf = rest + block
        cut = _record_end(buf)
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


def _parse_chunk(path: Path, chunk: bytes, s: Sniffed) -> pl.DataFrame:
    try:
        return _polars_csv(chunk, s)
    except pl.exceptions.ComputeError as exc:
        if "not properly escaped" in str(exc):
            raise LoadError(
                path.name,
                "ends inside a quoted field (a quote is opened and never closed): the file looks "
                "truncated or damaged, so none of it was loaded.",
                "the complete export, downloaded again.",
            ) from exc
        if s.encoding not in ("utf-8", "cp1252") or "utf-8" not in str(exc).lower():
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LoadError(path.name, f"could not be parsed as CSV ({first}).") from exc
        s.encoding = "cp1252"  # a Windows-1252 byte beyond the sniffed head
        return _polars_csv(chunk.decode("cp1252", errors="replace").encode("utf-8"), s)


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
    """Empty cells become '', cells a short row does not have stay NULL (stage.py rejects the row).

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


def _transcode(path: Path, encoding: str) -> str:
    """Stream a UTF-16 or Windows-1252 file into a temporary UTF-8 copy for the fast reader."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with path.open("rb") as src, tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as dst:
        dst.write(decoder.decode(src.read(1 << 20)).removeprefix("\ufeff").encode("utf-8"))  # the BOM only
        while chunk := src.read(1 << 20):
            dst.write(decoder.decode(chunk).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        return dst.name


def _with_lines(frame: pl.DataFrame, first_line: int) -> pl.DataFrame:
    """Physical line number of each record: quoted fields may span several lines."""
    cols = [c for c in frame.columns if c.startswith("c")]
    newlines = pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in cols)
    extra = newlines.cum_sum().shift(1, fill_value=0)
    line = (pl.col("_row").cast(pl.Int64) + first_line + extra).alias("_line")
    return frame.select(line, *cols)


MAX_XLSX_EXPANDED = 2_000_000_000  # bytes the workbook's parts may unpack to
MAX_XLSX_RATIO = 200  # unpacked / packed: real exports stay far below, zip bombs far above


def _check_zip(path: Path) -> None:
    """Refuse workbooks that would unpack to absurd sizes before any reader touches them."""
    try:
        with zipfile.ZipFile(path) as z:
            expanded = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as exc:
        raise LoadError(
            path.name, f"is not a readable XLSX workbook ({exc}).", "an .xlsx file as downloaded."
        ) from exc
    packed = max(path.stat().st_size, 1)
    if expanded > MAX_XLSX_EXPANDED or (expanded > 50_000_000 and expanded / packed > MAX_XLSX_RATIO):
        raise LoadError(
            path.name,
            f"unpacks to {expanded / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB: refused as a possible zip bomb.",
            "a spreadsheet exported by the tool, or its CSV download.",
        )


def _read_xlsx(path: Path) -> RawFile:
    import fastexcel  # imported here: only XLSX loads pay for it

    _check_zip(path)
    try:
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
        table = sheet.to_polars()
    except Exception as exc:  # fastexcel raises its own hierarchy for corrupt files
        raise LoadError(
            path.name, f"is not a readable XLSX workbook ({exc}).", "an .xlsx file as downloaded."
        ) from exc
    table = table.rename({c: cell(i) for i, c in enumerate(table.columns)})
    lines = ["\x1f".join("" if v is None else str(v) for v in row) for row in table.head(60).iter_rows()]
    sniffed = find_header(path, lines, "xlsx")
    width = len(sniffed.header) + EXTRA
    body = table.slice(sniffed.header_index + 1)
    for i in range(len(body.columns), width):
        body = body.with_columns(pl.lit(None, pl.String).alias(cell(i)))
    body = body.select([cell(i) for i in range(width)]).with_row_index("_row")
    frame = body.select(
        (pl.col("_row").cast(pl.Int64) + sniffed.header_index + 2).alias("_line"),
        *[pl.col(cell(i)) for i in range(width)],
    )
    return RawFile(path, sniffed, _one(frame))


def _one(frame: pl.DataFrame) -> Generator[pl.DataFrame]:
    yield frame
