"""The calibration query: a fixed DuckDB workload that reads no warehouse, timed in the same process and
run as the numbers it normalises, so a slower (or busier) machine is told apart from slower code.

`python -m benchmarks --compare` divides each page's warm time and the headline KPIs' time by it; the
ETL is already a ratio to its own floor (`read_csv` of the same files, same run). The query is the
kind of work the pages do (a scan of a few million rows, a hash aggregate over thousands of groups,
on every core, in memory) and never changes: changing it invalidates every stored baseline, so
`VERSION` is stored with each result and compared results must share it."""

from __future__ import annotations

import statistics
import time

import duckdb

VERSION = 1
SQL = """
select k, count(*) as n, sum(v) as total, avg(v) as mean
from (select i % 4099 as k, hash(i) % 100000 as v from range(3000000) t(i))
group by k order by k
"""


def calibration_s(runs: int = 5) -> float:
    """Median seconds of `runs` runs of the calibration query after one unmeasured warm-up run."""
    con = duckdb.connect(config={"memory_limit": "1GB"})  # the app's buffer (queries/connection.py)
    try:
        con.execute(SQL).fetchall()
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            con.execute(SQL).fetchall()
            times.append(time.perf_counter() - t)
        return round(statistics.median(times), 4)
    finally:
        con.close()


if __name__ == "__main__":
    print(calibration_s())
