"""Did a run get slower than the baseline? `python -m benchmarks --compare BASELINE` runs the baseline's
scale and compares; `python -m benchmarks.compare BASELINE CURRENT` compares two stored results.

Compared, each as measured in its own run so a slower or busier machine does not look like a
regression:
- each page's warm p50 query-set time, divided by the calibration query (benchmarks/calibrate.py)
  timed in the same process as that page's queries;
- the headline KPIs' time, divided by the calibration timed in the headline's process;
- the ETL's time as a multiple of the `read_csv` floor of the same files in wall seconds, or, when
  both results have CPU seconds, its CPU seconds over the calibration's (the floor, short and
  single-threaded, is the noisier of the two there; its ratio is printed, not judged).
Times are CPU seconds (every thread of the process) when both results have them, so other processes
sharing the cores do not count; wall seconds otherwise (results stored before CPU time was).
A metric regressed when its normalised value got more than 25 % worse and the difference is at
least MIN_DELTA_S in the current run's seconds (a 10 ms page is all noise at 25 %). Exit status 1
names each regression and by how much; 2 when the two results cannot be compared (another scale,
shape or calibration query)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

THRESHOLD = 0.25  # more than 25 % worse is a regression
MIN_DELTA_S = 0.02  # ... and at least this many seconds slower in the current run


@dataclass(frozen=True)
class Metric:
    name: str
    base: float  # normalised (seconds / calibration seconds, or the ETL's multiple of its floor)
    current: float
    delta_s: float | None  # the difference in the current run's seconds (None for the ETL ratio)

    @property
    def change(self) -> float:
        return self.current / self.base - 1 if self.base else 0.0

    @property
    def regressed(self) -> bool:
        noticeable = self.delta_s is None or self.delta_s >= MIN_DELTA_S
        return self.change > THRESHOLD and noticeable


class Incomparable(ValueError):
    pass


def _calibration(result: dict, part: dict | None = None) -> float:
    cal = (part or {}).get("calibration_s") or result.get("calibration_s")
    if not cal:
        raise Incomparable(f"result of commit {result.get('commit', '?')} has no calibration time: rerun it")
    return cal


def _timed(name: str, base: dict, cur: dict, b_part: dict | None, c_part: dict | None, key: str) -> Metric:
    b_part, c_part = b_part or base, c_part or cur
    cpu_key = key.replace("_s", "_cpu_s")
    if b_part.get(cpu_key) and c_part.get(cpu_key) and b_part.get("calibration_cpu_s") and c_part.get(
        "calibration_cpu_s"
    ):
        name += " (CPU)"
        b_val, c_val = b_part[cpu_key], c_part[cpu_key]
        b_cal, c_cal = b_part["calibration_cpu_s"], c_part["calibration_cpu_s"]
        return Metric(name, b_val / b_cal, c_val / c_cal, (c_val / c_cal - b_val / b_cal) * c_cal)
    b_val, c_val = b_part[key], c_part[key]
    b_cal, c_cal = _calibration(base, b_part), _calibration(cur, c_part)
    b_norm, c_norm = b_val / b_cal, c_val / c_cal
    return Metric(name, b_norm, c_norm, (c_norm - b_norm) * c_cal)


def compare(base: dict, cur: dict) -> list[Metric]:
    """The compared metrics of two results of one scale; Incomparable if they cannot be compared."""
    for key in ("leads", "shape", "calibration_version"):
        if base.get(key) != cur.get(key):
            raise Incomparable(f"{key} differs: baseline {base.get(key)!r}, this run {cur.get(key)!r}")
    metrics = [
        _timed(f"page {p} warm p50", base, cur, base["pages"][p], cur["pages"][p], "p50_s")
        for p in base["pages"] if p in cur["pages"]
    ]
    metrics.append(_timed("headline KPIs", base, cur, base.get("headline"), cur.get("headline"), "headline_s"))
    if all(r.get(k) for r in (base, cur) for k in ("etl_cpu_s", "calibration_cpu_s")):
        # the ETL's CPU over the calibration's: the floor's own CPU time moved 30 % between two runs
        # of the same code on a loaded machine (single-threaded, short), the ETL's 2 %
        b, c = base["etl_cpu_s"] / base["calibration_cpu_s"], cur["etl_cpu_s"] / cur["calibration_cpu_s"]
        metrics.append(Metric("ETL load (CPU)", b, c, (c - b) * cur["calibration_cpu_s"]))
    else:
        metrics.append(Metric("ETL vs read_csv floor", base["etl_vs_floor"], cur["etl_vs_floor"], None))
    return metrics


def report(base: dict, cur: dict, metrics: list[Metric]) -> str:
    lines = [f"baseline {base.get('commit', '?')} ({base.get('date', '?')}) vs this run {cur.get('commit', '?')} "
             f"({cur.get('date', '?')}), {cur['leads']:,} leads; calibration query "
             f"{base.get('calibration_s')} s vs {cur.get('calibration_s')} s",
             f"{'metric':<40}{'baseline':>10}{'now':>10}{'change':>9}"]  # fmt: skip
    for m in metrics:
        flag = "  REGRESSED" if m.regressed else ""
        lines.append(f"{m.name:<40}{m.base:10.3f}{m.current:10.3f}{m.change:+9.0%}{flag}")
    lines.append("(page, headline and ETL times in calibration units: seconds / the calibration query's seconds)")
    lines.append(f"ETL vs read_csv floor (wall, not judged): {base['etl_vs_floor']}x -> {cur['etl_vs_floor']}x")
    missing = sorted(set(base["pages"]) - set(cur["pages"]))
    new = sorted(set(cur["pages"]) - set(base["pages"]))
    if missing or new:
        lines.append(f"pages not compared: gone {missing or '-'}, new {new or '-'} (refresh the baseline)")
    bad = [m for m in metrics if m.regressed]
    if bad:
        lines.append("REGRESSED (more than 25 % worse): "
                     + "; ".join(f"{m.name} {m.change:+.0%}" for m in bad))  # fmt: skip
    else:
        lines.append("no regression (nothing more than 25 % worse)")
    return "\n".join(lines)


def load(path: Path, leads: int | None = None) -> dict:
    """One scale's result: a file of one result, or a run's results.json (the scale `leads`, or its only one)."""
    data = json.loads(Path(path).read_text())
    if isinstance(data, dict):
        return data
    hits = [r for r in data if leads is None or r["leads"] == leads]
    if len(hits) != 1:
        raise Incomparable(f"{path}: {len(data)} results, say which scale")
    return hits[0]


def check(base: dict, cur: dict) -> int:
    """Print the comparison; the exit status: 0 fine, 1 a regression, 2 not comparable."""
    try:
        metrics = compare(base, cur)
    except Incomparable as e:
        print(f"cannot compare: {e}", file=sys.stderr)
        return 2
    print(report(base, cur, metrics))
    return 1 if any(m.regressed for m in metrics) else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m benchmarks.compare BASELINE.json CURRENT.json", file=sys.stderr)
        return 2
    base = load(Path(argv[0]))
    return check(base, load(Path(argv[1]), base["leads"]))


if __name__ == "__main__":
    sys.exit(main())
