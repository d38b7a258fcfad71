"""Benchmark: render time of every dashboard page through AppTest (script run + queries + charts,
no browser), as a user clicking around sees it.

    python -m benchmarks.page_render [--db FILE] [--scale N]

Each page is measured in a new process (Streamlit's result cache and the shared query bases are
per process). First: a user opens the app (it lands on Overview) and clicks the page; for Overview
it is the landing render itself. Warm: median of 5 re-renders with the results cached (what a
revisit, or a widget click that changes no filter, costs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from queries.pages import LANDING_PAGE as LANDING  # the default role's landing page
from queries.pages import NAMES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
VIEW = {"range": "custom", "start": "2026-10-01", "end": "2026-11-22"}


def measure(db: Path, page: str) -> dict[str, float]:
    os.environ["REVLINE_DB"] = str(db)
    os.environ["REVLINE_PREWARM"] = "0"  # no background warming racing the renders measured here
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=600)
    at.query_params.update(VIEW)
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    if page != LANDING:
        t = time.perf_counter()
        at.switch_page(f"pages/{page}.py")
        at.run()
        first = time.perf_counter() - t
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
    assert not at.exception, (page, at.exception)
    return {"first_s": first, "warm_s": statistics.median(warm)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--page", choices=NAMES, help=argparse.SUPPRESS)  # one page, in this process
    args = ap.parse_args()
    if args.page:
        print(json.dumps(measure(args.db, args.page)))
        return
    db = args.db
    if db is None:
        from etl.demo_data import write_demo
        from etl.loader import load

        work = Path(tempfile.mkdtemp(prefix="revline-pages-"))
        db = work / "w.duckdb"
        load(write_demo(work / "exports", scale=args.scale), db)
    print(f"warehouse: {db} ({db.stat().st_size / 1e6:.1f} MB)")
    print(f"{'page':<12} {'first s':>8} {'warm s':>8}")
    for page in NAMES:
        out = subprocess.run([sys.executable, "-m", "benchmarks.page_render", "--db", str(db), "--page", page],
                             cwd=Path(APP).parent, capture_output=True, text=True, check=True).stdout  # fmt: skip
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{page:<12} {r['first_s']:8.2f} {r['warm_s']:8.2f}")


if __name__ == "__main__":
    main()
