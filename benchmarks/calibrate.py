"""The calibration query: a fixed DuckDB workload that reads no warehouse, timed in the same process and
run as the numbers it normalises, so a slower (or busier) machine is told apart from slower code.

`python -m benchmarks --compare` divides each page's warm time and the headline KPIs' time by it; the
ETL is already a ratio to its own floor (`read_csv` of the same files, same run). The query is the
kind of work the pages do (a scan of a few million rows, a hash aggregate over thousands of groups,
on every core, in memory) and never changes: changing it invalidates every stored baseline, so
`VERSION` is stored with each result and compared results must share it.

Both wall and CPU seconds are kept. The compare uses CPU seconds (every thread of the process): on a
machine whose cores other processes share, wall time moves 2x with their load, CPU time barely (a
process waiting for a core spends none), and the calibration's CPU time still tells a slower
processor apart."""

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


def calibration(runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds (this process, every thread) of `runs` runs of the calibration
    query after one unmeasured warm-up run."""
    con = duckdb.connect(config={"memory_limit": "1GB"})  # the app's buffer (queries/connection.py)
    try:
        con.execute(SQL).fetchall()
        wall, cpu = [], []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            con.execute(SQL).fetchall()
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        return round(statistics.median(wall), 4), round(statistics.median(cpu), 4)
    finally:
        con.close()


if __name__ == "__main__":
    print(calibration())
