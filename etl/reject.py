"""Rows that cannot be loaded go to rejected_rows with file, line, the raw line (personal data
redacted) and the reason."""

from __future__ import annotations

import csv
import io

import polars as pl

from etl.db import many, run
from etl.read import RawFile, cell


def reject(con, raw: RawFile, records: pl.DataFrame, load_id: int) -> int:
    """Structural problems (ragged rows) and parse failures go to rejected_rows with the raw line."""
    width = raw.width
    extra_cols = [cell(i) for i in range(width, len(records.columns) - 1)]
    structural = records.select(
        pl.col("_line"),
        pl.when(pl.any_horizontal(pl.col(c).fill_null("") != "" for c in extra_cols))
        .then(pl.lit(f"row has more fields than the header ({width})"))
        .when(pl.col(cell(width - 1)).is_null() & pl.lit(raw.sniffed.kind == "csv"))
        .then(pl.lit(f"row has fewer fields than the header ({width})"))
        .alias("_structural"),
    ).filter(pl.col("_structural").is_not_null())
    if structural.height:
        con.register("_structural", structural)
        run(
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
        [(load_id, raw.path.name, line, texts.get(line, ""), reason) for line, reason in bad],
    )
    return len(bad)


def _raw_lines(raw: RawFile, rows: pl.DataFrame) -> dict[int, str]:
    """Rebuild the rejected records as CSV text, with personal-data cells redacted."""
    pii = {h.lower() for h in raw.sniffed.match.contract.pii}
    header = raw.sniffed.header
    width = raw.width
    out = {}
    for row in rows.iter_rows():
        cells = list(row[1 : width + 1])
        extras = list(row[width + 1 :])
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
        out[row[0]] = buf.getvalue()
    return out
