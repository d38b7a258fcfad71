"""Read a whole export into a Polars frame of text cells, one row per record, with line numbers.

Cells stay text here; typing happens in SQL (etl/stage.py) so that every value that fails to parse
can be rejected with its file, line and reason instead of becoming a silent null.
"""

from __future__ import annotations

import codecs
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.errors import LoadError
from etl.sniff import HEAD_BYTES, Sniffed, container, encoding_of, find_header, head_lines

EXTRA = 4  # spare columns that catch rows with more fields than the header


@dataclass
class RawFile:
    path: Path
    sniffed: Sniffed
    frame: pl.DataFrame  # columns: _line (int), c1..cN (+EXTRA) as text

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
    return _read_csv(path, head)


def _read_csv(path: Path, head: bytes) -> RawFile:
    encoding = encoding_of(path, head)
    sniffed = find_header(path, head_lines(path, head, encoding), "csv")
    sniffed.encoding = encoding
    try:
        frame = _polars_csv(path, sniffed)
    except pl.exceptions.ComputeError as exc:
        if encoding != "utf-8" or "utf-8" not in str(exc).lower():
            raise LoadError(path.name, f"could not be parsed as CSV ({exc}).") from exc
        sniffed.encoding = "cp1252"  # a Windows-1252 byte beyond the sniffed head
        frame = _polars_csv(path, sniffed)
    return RawFile(path, sniffed, _with_lines(frame, sniffed.header_index + 2))


def _polars_csv(path: Path, s: Sniffed) -> pl.DataFrame:
    source = path if s.encoding in ("utf-8", "utf-8-sig") else _transcode(path, s.encoding)
    width = len(s.header) + EXTRA
    try:
        return pl.read_csv(
            source,
            has_header=False,
            skip_lines=s.header_index + 1,
            separator=s.delimiter,
            quote_char='"',
            schema={f"column_{i + 1}": pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            raise_if_empty=False,
            row_index_name="_row",
        ).rename({f"column_{i + 1}": cell(i) for i in range(width)})
    finally:
        if source is not path:
            Path(source).unlink(missing_ok=True)


def _transcode(path: Path, encoding: str) -> str:
    """Stream a UTF-16 or Windows-1252 file into a temporary UTF-8 copy for the fast reader."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with path.open("rb") as src, tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as dst:
        while chunk := src.read(1 << 20):
            dst.write(decoder.decode(chunk).replace("\ufeff", "", 1).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        return dst.name


def _with_lines(frame: pl.DataFrame, first_line: int) -> pl.DataFrame:
    """Physical line number of each record: quoted fields may span several lines."""
    cols = [c for c in frame.columns if c.startswith("c")]
    newlines = pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in cols)
    extra = newlines.cum_sum().shift(1, fill_value=0)
    line = (pl.col("_row").cast(pl.Int64) + first_line + extra).alias("_line")
    return frame.select(line, *cols)


def _read_xlsx(path: Path) -> RawFile:
    import fastexcel  # imported here: only XLSX loads pay for it

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
    return RawFile(path, sniffed, frame)
