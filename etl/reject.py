"""Rows that cannot be loaded go to rejected_rows with file, line, the raw line (personal data
redacted) and the reason.

Personal data is redacted twice: by column (the contract's `pii` headers, the hashed e-mail column)
and by pattern in every cell and reason (etl/redact.py; etl/read.py already redacted the cells, this
is the last check before the text is stored)."""

from __future__ import annotations

import csv
import io
import unicodedata

import polars as pl

from etl.db import execute, many
from etl.parse_sql import visible
from etl.read import NOTE, RawFile, cell
from etl.redact import redact_text


def reject(con, raw: RawFile, records: pl.DataFrame, load_id: int) -> int:
    """Structural problems (ragged rows) and parse failures go to rejected_rows with the raw line."""
    width = raw.width
    extra_cols = [cell(i) for i in range(width, len(records.columns) - 1)]
    note = pl.col(extra_cols[-1])
    structural = records.select(
        pl.col("_line"),
        pl.when(note.str.starts_with(NOTE))  # etl/read.py: a stray quote, a field over the limit
        .then(note.str.strip_prefix(NOTE))
        .when(
            pl.any_horizontal(
                pl.col(c).fill_null("").str.starts_with(NOTE).not_() & (pl.col(c).fill_null("") != "")
                for c in extra_cols
            )
        )
        .then(pl.lit(f"row has more fields than the header ({width})"))
        .when(pl.col(cell(width - 1)).is_null() & pl.lit(raw.sniffed.kind == "csv"))
        .then(pl.lit(f"row has fewer fields than the header ({width})"))
        .alias("_structural"),
    ).filter(pl.col("_structural").is_not_null())
    if structural.height:
        con.register("_structural", structural)
        execute(
            con,
            """update _typed set _reason = concat_ws('; ', s._structural, _typed._reason)
               from _structural s where _typed.source_line = s._line""",
        )
        con.unregister("_structural")
    bad = con.execute(
        "select source_line, _reason from _typed where _reason is not null order by source_line"
    ).fetchall()
    if not bad:
        return 0
    lines = {line for line, _ in bad}
    texts = _raw_lines(raw, records.filter(pl.col("_line").is_in(lines)))
    many(
        con,
        "insert into rejected_rows values (?, ?, ?, ?, ?)",
        [
            (load_id, printable_name(raw.path.name), line, texts.get(line, ""), redact_text(reason))
            for line, reason in bad
        ],
    )
    return len(bad)


def _raw_lines(raw: RawFile, rows: pl.DataFrame) -> dict[int, str]:
    """Rebuild the rejected records as CSV text, with personal-data cells redacted."""
    m = raw.sniffed.match
    pii = {h.lower() for h in m.contract.pii} | {
        m.headers[c.name].lower()
        for c in m.contract.columns
        if c.type == "email_hash" and c.name in m.headers
    }
    header = raw.sniffed.header
    width = raw.width
    out = {}
    for row in rows.iter_rows():
        cells = list(row[1 : width + 1])
        extras = list(row[width + 1 :])
        if extras and extras[-1] and extras[-1].startswith(NOTE):
            extras[-1] = None  # a read note, not a field of the file
        while extras and not extras[-1]:
            extras.pop()
        cells += extras
        while cells and cells[-1] is None:
            cells.pop()
        for i, h in enumerate(header[: len(cells)]):
            if h.lower() in pii and cells[i]:
                cells[i] = "[redacted]"
        buf = io.StringIO()
        csv.writer(buf, delimiter=raw.sniffed.delimiter if raw.sniffed.kind == "csv" else ",",
                   lineterminator="").writerow(["" if v is None else v for v in cells])  # fmt: skip
        out[row[0]] = visible(redact_text(buf.getvalue()))  # bidi and zero-width written out
    return out


def printable_name(name: str) -> str:
    """A file name as text that is safe to store and print: bytes that are not UTF-8 (kept by
    Python as surrogates) become `\\xNN`, control characters `\\xNN` / `\\uNNNN`."""
    try:
        text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system produced
        text = name.encode("utf-8", "backslashreplace").decode("ascii")
    return "".join(
        ch
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
