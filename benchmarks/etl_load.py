"""Benchmark: `etl load` of the demo exports vs DuckDB's bare `read_csv` of the same files.

    python -m benchmarks.etl_load --scale 1 [--out benchmarks/out]

The floor is what DuckDB alone needs to get the same files into plain tables (all columns as text,
told the encoding, delimiter and preamble length our sniffer found, so it does no guessing). Both
are measured in the same run on the same files; the ratio is what the benchmark reports.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from etl.demo_data import write_demo
from etl.loader import load
from etl.sniff import HEAD_BYTES, container, encoding_of, find_header, head_lines

DUCKDB_ENCODING = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16-le": "utf-16", "cp1252": "latin-1"}


def read_csv_floor(files: list[Path], db: Path) -> tuple[float, int]:
    con = duckdb.connect(str(db))
    rows = 0
    start = time.perf_counter()
    for i, f in enumerate(files):
        head = f.open("rb").read(HEAD_BYTES)
        if container(f, head) != "csv":
            continue
        enc = encoding_of(f, head)
        s = find_header(f, head_lines(f, head, enc), "csv")
        con.execute(
            f"""create table t{i} as select * from read_csv(?, skip = ?, header = true, delim = ?,
                quote = '"', encoding = ?, all_varchar = true, null_padding = true,
                ignore_errors = true, parallel = false)""",
            [str(f), s.header_index, s.delimiter, DUCKDB_ENCODING[enc]],
        ).fetchall()
        rows += con.execute(f"select count(*) from t{i}").fetchall()[0][0]
    con.execute("checkpoint").fetchall()
    con.close()
    return time.perf_counter() - start, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="revline-bench-"))
    exports = work / "exports"
    shutil.rmtree(exports, ignore_errors=True)
    t0 = time.perf_counter()
    files = write_demo(exports, scale=args.scale)
    gen = time.perf_counter() - t0
    csvs = [f for f in files if container(f, f.open("rb").read(8)) == "csv"]
    size = sum(f.stat().st_size for f in csvs) / 1e6

    floor_db = work / "floor.duckdb"
    floor_db.unlink(missing_ok=True)
    floor, floor_rows = read_csv_floor(csvs, floor_db)

    etl_db = work / "etl.duckdb"
    for p in work.glob("etl.duckdb*"):
        p.unlink()
    t0 = time.perf_counter()
    results = load(csvs, etl_db)
    etl = time.perf_counter() - t0
    read = sum(r.counts.rows_read + r.counts.rows_skipped for r in results)
    failed = [r.message for r in results if not r.ok]

    print(f"scale {args.scale}: {len(csvs)} CSV files, {size:.1f} MB, generated in {gen:.1f} s")
    print(f"duckdb read_csv floor : {floor:7.2f} s  ({floor_rows:,} rows)")
    print(f"etl load              : {etl:7.2f} s  ({read:,} rows, {read / etl:,.0f} rows/s)")
    print(f"ratio etl / floor     : {etl / floor:7.2f}x")
    if failed:
        print("FAILED FILES:", *failed, sep="\n  ")


if __name__ == "__main__":
    main()
