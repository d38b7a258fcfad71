"""Benchmark: render time of every dashboard page at demo scale, through AppTest (script run +
queries + charts, no browser).

    python -m benchmarks.page_render [--db FILE] [--scale N]

Cold: the first render in a fresh app (empty query cache). Warm: median of 5 re-renders (cached
results, what a user clicking around sees).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["overview", "marketing", "sales", "funnel", "handoff", "data", "definitions"]
VIEW = {"range": "custom", "start": "2026-10-01", "end": "2026-11-22"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    db = args.db
    if db is None:
        from etl.demo_data import write_demo
        from etl.loader import load

        work = Path(tempfile.mkdtemp(prefix="revline-pages-"))
        db = work / "w.duckdb"
        load(write_demo(work / "exports", scale=args.scale), db)
    os.environ["REVLINE_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    rows = []
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params.update(VIEW)
        at.run()
        t = time.perf_counter()
        at.switch_page(f"pages/{page}.py")
        at.run()
        cold = time.perf_counter() - t
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
        assert not at.exception, (page, at.exception)
        rows.append((page, cold, statistics.median(warm)))
    print(f"warehouse: {db} ({db.stat().st_size / 1e6:.1f} MB)")
    print(f"{'page':<12} {'cold s':>8} {'warm s':>8}")
    for page, cold, warm in rows:
        print(f"{page:<12} {cold:8.2f} {warm:8.2f}")


if __name__ == "__main__":
    main()
