"""Run a module as `python -m` would and write this process's own peak RSS when it exits:

    python -m benchmarks.peak OUT.json -m etl load EXPORTS --db W.duckdb

Why not the parent's `wait4` rusage: Linux carries the high-water mark of the memory a child starts
with (the parent's, when Python spawns with vfork) across `exec`, so a parent that had just held
gigabytes (the read_csv floor) made every child after it report the parent's peak. `VmHWM` in
/proc/self/status belongs to the address space `exec` created, so it is this program's alone.
"""

from __future__ import annotations

import atexit
import json
import runpy
import sys
from pathlib import Path


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status (not Linux?)")


def main() -> None:
    out, flag, module, *rest = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python -m benchmarks.peak OUT.json -m MODULE [ARGS...]")
    atexit.register(lambda: Path(out).write_text(json.dumps({"peak_rss_mb": peak_rss_mb()})))
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
