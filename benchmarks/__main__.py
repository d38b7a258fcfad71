"""`python -m benchmarks --scale 100k[,1m,10m] [--out DIR]`: Revline at scale, side by side in one run.

For each scale (leads): write the demo exports (streamed CSV), then measure
- ETL: `python -m etl load` wall time and peak RSS vs DuckDB's bare `read_csv` of the same files;
- queries: each page's query set cold (a new process) and warm (p50 / p95 of repeated runs);
- the pandas notebook baseline for the headline KPIs on the same exports (numbers checked equal);
- app memory: peak RSS of a process that renders every page;
and, with several scales, the fitted growth exponent of time and memory.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.etl_load import read_csv_floor

LEADS_AT_SCALE_1 = 19_800  # the scale-1 demo: 12.8k HubSpot contacts + 7k Salesforce leads
PERIOD = (date(2026, 10, 1), date(2026, 10, 31))
REPO = Path(__file__).resolve().parents[1]


def parse_scale(text: str) -> int:
    text = text.lower().strip()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def child(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a child process; return its wall seconds, peak RSS in MB and stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd=REPO, env={**os.environ, **(env or {})},
                                stdout=out, stderr=err, text=True)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS, not all children's
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise RuntimeError(f"{args} failed: {err.read()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def run_scale(leads: int, work: Path) -> dict:
    scale = max(leads / LEADS_AT_SCALE_1, 1.01)
    exports = work / "exports"
    shutil.rmtree(exports, ignore_errors=True)
    t0 = time.perf_counter()
    from etl.demo_data import write_demo

    files = write_demo(exports, scale=scale)
    gen = time.perf_counter() - t0
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    floor_db = work / "floor.duckdb"
    floor_db.unlink(missing_ok=True)
    floor, rows = read_csv_floor(files, floor_db)
    floor_db.unlink(missing_ok=True)
    db = work / "w.duckdb"
    for p in work.glob("w.duckdb*"):
        p.unlink()
    etl, etl_rss, _ = child(["-m", "etl", "load", str(exports), "--db", str(db)],
                            {"REVLINE_EMAIL_HASH_KEY": "bench"})  # fmt: skip
    from benchmarks.page_queries import PAGES

    pages = {p: json.loads(child(["-m", "benchmarks.page_queries", str(db), "--page", p])[2]) for p in PAGES}
    _, app_rss, _ = child(["-m", "benchmarks.app_memory", str(db)])
    t0 = time.perf_counter()
    from benchmarks.pandas_baseline import headline

    baseline = headline(exports, *PERIOD)
    pandas_s = time.perf_counter() - t0
    ours = json.loads(child(["-m", "benchmarks.page_queries", str(db), "--headline"])[2])
    return {
        "leads": leads, "scale": round(scale, 2), "files_mb": round(size_mb, 1), "rows": rows,
        "generate_s": round(gen, 1), "floor_s": round(floor, 2), "etl_s": round(etl, 2),
        "etl_vs_floor": round(etl / floor, 2), "etl_rows_per_s": round(rows / etl), "etl_peak_rss_mb": round(etl_rss),
        "pages": pages, "headline_s": ours["seconds"], "pandas_s": round(pandas_s, 2),
        "pandas_vs_ours": round(pandas_s / ours["seconds"], 1), "app_peak_rss_mb": round(app_rss),
        "kpis_equal": _equal(baseline, ours["kpis"]), "kpis": ours["kpis"], "pandas_kpis": baseline,
    }  # fmt: skip


def _equal(a: dict, b: dict) -> bool:
    return all(
        (math.isnan(a[k]) and b[k] is None) or (b[k] is not None and math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=0.01))
        for k in a
    )


def exponent(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--scale", default="100k", help="leads per scale, comma-separated: 100k,1m,10m")
    ap.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="revline-bench-"))
    results = []
    for s in args.scale.split(","):
        leads = parse_scale(s)
        r = run_scale(leads, work / s)
        results.append(r)
        print(f"\n== {leads:,} leads (demo scale {r['scale']}): {r['files_mb']} MB, {r['rows']:,} rows")
        print(f"ETL      {r['etl_s']:8.2f} s  vs read_csv floor {r['floor_s']:.2f} s  = {r['etl_vs_floor']}x   "
              f"{r['etl_rows_per_s']:,} rows/s   peak RSS {r['etl_peak_rss_mb']} MB")  # fmt: skip
        for page, p in r["pages"].items():
            print(f"page {page:<12} cold {p['cold_s']:6.3f} s   warm p50 {p['p50_s']:6.3f} s   p95 {p['p95_s']:6.3f} s")
        print(f"headline KPIs: Revline {r['headline_s']:.3f} s vs pandas {r['pandas_s']:.2f} s = "
              f"{r['pandas_vs_ours']}x faster; equal: {r['kpis_equal']}")  # fmt: skip
        print(f"app peak RSS after every page: {r['app_peak_rss_mb']} MB")
    if len(results) > 1:
        xs = [r["rows"] for r in results]
        print(f"\ngrowth exponent (time ~ rows^k): ETL {exponent(xs, [r['etl_s'] for r in results]):.2f}, "
              f"headline queries {exponent(xs, [r['headline_s'] for r in results]):.2f}, "
              f"ETL memory {exponent(xs, [r['etl_peak_rss_mb'] for r in results]):.2f}")  # fmt: skip
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"\nresults: {work / 'results.json'}")


if __name__ == "__main__":
    main()
