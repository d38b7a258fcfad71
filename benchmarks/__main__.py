"""`python -m benchmarks --scale 100k[,1m,10m] [--out DIR] [--shape issue|demo] [--reuse]`: Revline at
scale, side by side in one run.

For each scale (leads): write the demo exports (streamed CSV) in the issue's shape (per lead: 2 ad
rows, 0.2 deals, 3 activities; `--shape demo` keeps the demo story's proportions), or reuse the ones
a previous run left in --out (`--reuse`), then measure
- ETL: `python -m etl load` wall time and peak RSS vs DuckDB's bare `read_csv` of the same files;
- queries: each page's query set cold (a new process) and warm (p50 / p95 of repeated runs);
- the pandas notebook baseline for the headline KPIs on the same exports (numbers checked equal), in a
  child process: its peak RSS, and a failure (out of memory) recorded instead of ending the run;
- app memory: peak RSS of a process that renders every page;
and, with several scales, the fitted growth exponent of time and memory. Each scale's numbers are
written to results.json as soon as it is done, with the row count of each warehouse table, and to
benchmarks/results/<scale>-<commit>.json (the commit, `-dirty` when the tree had changes, the date,
the calibration query's time: benchmarks/calibrate.py).

`python -m benchmarks --compare BASELINE.json` runs the baseline's scale and exits 1 when a page, the
headline KPIs or the ETL ratio got more than 25 % worse than the baseline (benchmarks/compare.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.calibrate import VERSION
from benchmarks.compare import check
from benchmarks.compare import load as load_result
from benchmarks.etl_load import read_csv_floor
from benchmarks.page_queries import PERIOD, QUERY_SETS
from benchmarks.report import exponent

# leads in the warehouse at demo scale 1: 12.8k HubSpot contacts + 7k Salesforce leads, minus the
# people in both CRMs (counted once)
LEADS_AT_SCALE_1 = 19_350
# write_demo options per shape. "issue" (issue #5): per lead 2 ad-platform rows, 0.2 deals and
# 3 activities (10M leads: 20M ad rows, 2M deals, 30M activities); "demo": the demo story's own.
SHAPES: dict[str, dict] = {"issue": {"campaign_split": 4, "qualify": 1.55, "activities": 8.4}, "demo": {}}
TABLES = ("ad_spend", "leads", "deals", "activities")
REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"  # <scale>-<commit>.json per run; baseline-<scale>.json committed


def commit() -> str:
    """The commit measured, `-dirty` when the work tree had changes (a baseline is measured clean)."""
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def parse_scale(text: str) -> int:
    text = text.lower().strip()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


class ChildFailed(RuntimeError):
    def __init__(self, args: list[str], code: int, wall: float, rss_mb: float, stderr: str) -> None:
        killed = f"killed by signal {-code}" + (" (out of memory?)" if code == -9 else "") if code < 0 else ""
        self.code, self.wall, self.rss_mb = code, wall, rss_mb
        self.reason = killed or (stderr.strip().splitlines() or [f"exit {code}"])[-1][-300:]
        super().__init__(f"{args} failed ({killed or f'exit {code}'}): {stderr[-2000:]}")


LAST_CHILD_CPU_S = 0.0  # CPU seconds (user + system, every thread) of the last child() that finished


def child(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run `python -m ...` in a child process; return its wall seconds, its own peak RSS in MB
    (benchmarks/peak.py says why not rusage) and its stdout; ChildFailed if it fails."""
    assert args[0] == "-m", args
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.TemporaryDirectory() as tmp:  # fmt: skip
        peak_file = Path(tmp) / "peak.json"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.peak", str(peak_file), *args], cwd=REPO,
                                env={**os.environ, **(env or {})}, stdout=out, stderr=err, text=True)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        global LAST_CHILD_CPU_S
        LAST_CHILD_CPU_S = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        # a child killed before its exit hook ran: rusage, an upper bound (see benchmarks/peak.py)
        rss = json.loads(peak_file.read_text())["peak_rss_mb"] if peak_file.exists() else usage.ru_maxrss / 1024
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise ChildFailed(args, proc.returncode, wall, rss, err.read())
        return wall, rss, out.read()


def exports_for(leads: int, work: Path, shape: str, reuse: bool) -> tuple[list[Path], float, bool]:
    """The demo exports of this scale and shape: the ones in `work` if `reuse` and a previous run
    finished writing them (its marker says so), else written now. Returns files, seconds, reused."""
    scale = max(leads / LEADS_AT_SCALE_1, 1.01)
    exports, marker = work / "exports", work / "exports.done.json"
    want = {"leads": leads, "scale": scale, "shape": shape, "options": SHAPES[shape]}
    if reuse and marker.exists():
        done = json.loads(marker.read_text())
        files = [exports / f for f in done["files"]]
        if {k: done.get(k) for k in want} == want and all(f.exists() for f in files):
            return files, done["generate_s"], True
    marker.unlink(missing_ok=True)
    shutil.rmtree(exports, ignore_errors=True)
    from etl.demo_data import write_demo

    t0 = time.perf_counter()
    files = write_demo(exports, scale=scale, **SHAPES[shape])
    gen = time.perf_counter() - t0
    marker.write_text(json.dumps({**want, "files": [str(f.relative_to(exports)) for f in files],
                                  "generate_s": round(gen, 1)}, indent=2))  # fmt: skip
    return files, gen, False


def table_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def pandas_run(exports: Path) -> dict:
    """The pandas baseline in a child process: KPIs, seconds and peak RSS, or how it failed."""
    try:
        args = ["-m", "benchmarks.pandas_baseline", str(exports), *(d.isoformat() for d in PERIOD)]
        _, rss, out = child(args)
    except ChildFailed as e:
        return {"ok": False, "error": e.reason, "seconds": round(e.wall, 2), "peak_rss_mb": round(e.rss_mb)}
    r = json.loads(out)
    return {"ok": True, "kpis": r["kpis"], "seconds": r["seconds"], "peak_rss_mb": round(rss)}


def run_scale(leads: int, work: Path, shape: str = "issue", reuse: bool = False) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    exports = work / "exports"
    files, gen, reused = exports_for(leads, work, shape, reuse)
    scale = max(leads / LEADS_AT_SCALE_1, 1.01)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    floor_db = work / "floor.duckdb"
    floor_db.unlink(missing_ok=True)
    floor_cpu = time.process_time()
    floor, rows = read_csv_floor(files, floor_db)
    floor_cpu = time.process_time() - floor_cpu
    floor_db.unlink(missing_ok=True)
    db = work / "w.duckdb"
    for p in work.glob("w.duckdb*"):
        p.unlink()
    etl, etl_rss, _ = child(["-m", "etl", "load", str(exports), "--db", str(db)],
                            {"REVLINE_EMAIL_HASH_KEY": "bench"})  # fmt: skip
    etl_cpu = LAST_CHILD_CPU_S
    pages = {p: json.loads(child(["-m", "benchmarks.page_queries", str(db), "--page", p])[2]) for p in QUERY_SETS}
    _, app_rss, _ = child(["-m", "benchmarks.app_memory", str(db)])
    pandas = pandas_run(exports)
    ours = json.loads(child(["-m", "benchmarks.page_queries", str(db), "--headline"])[2])
    pandas_s = pandas["seconds"]
    cal = sorted([p["calibration_s"] for p in pages.values()] + [ours["calibration_s"]])
    cal_cpu = sorted([p["calibration_cpu_s"] for p in pages.values()] + [ours["calibration_cpu_s"]])
    return {
        "commit": commit(), "date": time.strftime("%Y-%m-%d %H:%M"), "calibration_version": VERSION,
        "calibration_s": cal[len(cal) // 2], "calibration_cpu_s": cal_cpu[len(cal_cpu) // 2],
        "load_average": os.getloadavg(),
        "headline": {"headline_s": ours["seconds"], "calibration_s": ours["calibration_s"],
                     "headline_cpu_s": ours["cpu_s"], "calibration_cpu_s": ours["calibration_cpu_s"]},
        "floor_cpu_s": round(floor_cpu, 2), "etl_cpu_s": round(etl_cpu, 2),
        "etl_cpu_vs_floor": round(etl_cpu / floor_cpu, 2),
        "leads": leads, "shape": shape, "shape_options": SHAPES[shape], "scale": round(scale, 2),
        "files_mb": round(size_mb, 1), "rows": rows, "tables": table_rows(db),
        "generate_s": round(gen, 1), "reused_exports": reused, "floor_s": round(floor, 2), "etl_s": round(etl, 2),
        "etl_vs_floor": round(etl / floor, 2), "etl_rows_per_s": round(rows / etl), "etl_peak_rss_mb": round(etl_rss),
        "pages": pages, "headline_s": ours["seconds"], "pandas_ok": pandas["ok"], "pandas_error": pandas.get("error"),
        "pandas_s": pandas_s, "pandas_peak_rss_mb": pandas["peak_rss_mb"],
        "pandas_vs_ours": round(pandas_s / ours["seconds"], 1) if pandas["ok"] else None,
        "app_peak_rss_mb": round(app_rss),
        "kpis_equal": _equal(pandas["kpis"], ours["kpis"]) if pandas["ok"] else None, "kpis": ours["kpis"],
        "pandas_kpis": pandas.get("kpis"),
    }  # fmt: skip


def _equal(a: dict, b: dict) -> bool:
    return all(
        (math.isnan(a[k]) and b[k] is None) or (b[k] is not None and math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=0.01))
        for k in a
    )


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--scale", default="100k", help="leads per scale, comma-separated: 100k,1m,10m")
    ap.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    ap.add_argument("--shape", choices=list(SHAPES), default="issue",
                    help="issue: 2 ad rows, 0.2 deals, 3 activities per lead (default); demo: the demo story's")  # fmt: skip
    ap.add_argument("--reuse", action="store_true", help="reuse exports a previous run finished in --out")
    ap.add_argument("--compare", type=Path, metavar="BASELINE",
                    help="run the baseline's scale and exit 1 if anything got more than 25%% worse")  # fmt: skip
    args = ap.parse_args()
    baseline = None
    if args.compare:
        baseline = load_result(args.compare)
        args.scale, args.shape = _scale_name(baseline["leads"]), baseline["shape"]
    work = args.out or Path(tempfile.mkdtemp(prefix="revline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for s in args.scale.split(","):
        leads = parse_scale(s)
        r = run_scale(leads, work / s, args.shape, args.reuse)
        results.append(r)
        # written after each scale: a run that dies at a larger scale keeps the smaller ones
        (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
        RESULTS.mkdir(exist_ok=True)
        stored = RESULTS / f"{_scale_name(leads)}-{r['commit']}.json"
        stored.write_text(json.dumps(r, indent=2, default=str) + "\n")
        print(f"stored: {stored.relative_to(REPO)}")
        gen = f"generated in {r['generate_s']} s" + (" (reused)" if r["reused_exports"] else "")
        print(f"\n== {leads:,} leads (demo scale {r['scale']}, {r['shape']} shape): {r['files_mb']} MB, "
              f"{r['rows']:,} rows, {gen}")  # fmt: skip
        print("tables   " + ", ".join(f"{t} {n:,}" for t, n in r["tables"].items()))
        print(f"ETL      {r['etl_s']:8.2f} s  vs read_csv floor {r['floor_s']:.2f} s  = {r['etl_vs_floor']}x   "
              f"{r['etl_rows_per_s']:,} rows/s   peak RSS {r['etl_peak_rss_mb']} MB")  # fmt: skip
        for page, p in r["pages"].items():
            print(f"page {page:<12} cold {p['cold_s']:6.3f} s   warm p50 {p['p50_s']:6.3f} s   p95 {p['p95_s']:6.3f} s")
        if r["pandas_ok"]:
            print(f"headline KPIs: Revline {r['headline_s']:.3f} s vs pandas {r['pandas_s']:.2f} s = "
                  f"{r['pandas_vs_ours']}x faster; equal: {r['kpis_equal']}; pandas peak RSS "
                  f"{r['pandas_peak_rss_mb']} MB")  # fmt: skip
        else:
            print(f"headline KPIs: Revline {r['headline_s']:.3f} s; pandas FAILED after {r['pandas_s']:.1f} s "
                  f"at {r['pandas_peak_rss_mb']} MB peak RSS: {r['pandas_error']}")  # fmt: skip
        print(f"app peak RSS after every page: {r['app_peak_rss_mb']} MB")
    if len(results) > 1:
        xs = [r["rows"] for r in results]
        print(f"\ngrowth exponent (time ~ rows^k): ETL {exponent(xs, [r['etl_s'] for r in results]):.2f}, "
              f"headline queries {exponent(xs, [r['headline_s'] for r in results]):.2f}, "
              f"ETL memory {exponent(xs, [r['etl_peak_rss_mb'] for r in results]):.2f}")  # fmt: skip
    if args.out is None:  # a temporary folder: keep the results, not gigabytes of exports and warehouses
        for s in args.scale.split(","):
            shutil.rmtree(work / s, ignore_errors=True)
    print(f"\nresults: {work / 'results.json'}")
    if baseline is not None:
        print(f"\n== compared with {args.compare}")
        sys.exit(check(baseline, results[0]))


def _scale_name(leads: int) -> str:
    """100000 -> 100k, 1000000 -> 1m: the --scale word and the results file's prefix."""
    for word, size in (("m", 1_000_000), ("k", 1_000)):
        if leads >= size and leads % size == 0:
            return f"{leads // size}{word}"
    return str(leads)


if __name__ == "__main__":
    main()
