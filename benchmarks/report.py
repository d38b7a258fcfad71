"""`python -m benchmarks.report DIR/results.json`: the run's numbers as the markdown table of
docs/benchmarks.md (one column per scale), so the page is pasted from a run, never retyped."""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path

from benchmarks.page_queries import QUERY_SETS


def _n(x: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if x >= size:
            return f"{x / size:.3g}{unit}"
    return f"{x:.0f}"


def exponent(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def table(results: list[dict]) -> str:
    rows: list[tuple[str, list[str]]] = [
        ("export files", [f"{r['files_mb']:,.0f} MB, {_n(r['rows'])} rows" for r in results]),
        ("warehouse rows (ad_spend / leads / deals / activities)",
         [" / ".join(_n(r["tables"][t]) for t in ("ad_spend", "leads", "deals", "activities")) for r in results]),
        ("`read_csv` floor", [f"{r['floor_s']:.1f} s" for r in results]),
        ("`etl load` (new process)", [f"{r['etl_s']:.1f} s (**{r['etl_vs_floor']}x** floor)" for r in results]),
        ("ETL rows/s", [_n(r["etl_rows_per_s"]) for r in results]),
        ("ETL peak RSS", [f"{r['etl_peak_rss_mb']:,} MB" for r in results]),
    ]  # fmt: skip
    for p in QUERY_SETS:
        label = f"{p.title()} queries cold / warm p50 / p95"
        rows.append((label, [" / ".join(f"{r['pages'][p][k]:.2f}" for k in ("cold_s", "p50_s", "p95_s")) + " s"
                             for r in results]))  # fmt: skip
    rows += [
        ("headline KPIs: Revline vs pandas",
         [f"{r['headline_s']:.3f} s vs {r['pandas_s']:.1f} s (**{r['pandas_vs_ours']}x**)" if r["pandas_ok"]
          else f"{r['headline_s']:.3f} s vs pandas failed ({r['pandas_error']}, after {r['pandas_s']:.0f} s)"
          for r in results]),
        ("KPIs equal to pandas'", [str(r["kpis_equal"]) if r["pandas_ok"] else "n/a" for r in results]),
        ("pandas peak RSS", [f"{r['pandas_peak_rss_mb']:,} MB" for r in results]),
        ("app peak RSS, every page rendered", [f"{r['app_peak_rss_mb']:,} MB" for r in results]),
    ]  # fmt: skip
    head = "| | " + " | ".join(f"{r['leads']:,} leads" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    if len(results) > 1:
        xs = [r["rows"] for r in results]
        fits = {
            "ETL time": [r["etl_s"] for r in results],
            "ETL memory": [r["etl_peak_rss_mb"] for r in results],
            "headline queries": [r["headline_s"] for r in results],
            **{f"{p.title()} warm p50": [r["pages"][p]["p50_s"] for r in results] for p in QUERY_SETS},
            "app memory": [r["app_peak_rss_mb"] for r in results],
        }
        lines += ["", "Growth exponent k (cost ~ rows^k, least squares over the scales): "
                  + ", ".join(f"{k} {exponent(xs, ys):.2f}" for k, ys in fits.items()) + "."]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text())))
