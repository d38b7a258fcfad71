"""The benchmark's regression check (benchmarks/compare.py) on small hand-written results, nothing timed:
a page, the headline KPIs or the ETL ratio more than 25 % worse is caught and named with its change;
a slower machine, whose calibration query is proportionally slower, is not a regression; a 10 ms page
a few ms slower is noise; results of another scale are refused."""

from __future__ import annotations

import copy
import json

import pytest

from benchmarks.compare import main

BASE = {
    "commit": "abc1234", "date": "2026-12-03 12:00", "leads": 100_000, "shape": "issue", "calibration_version": 1,
    "calibration_s": 0.100, "etl_vs_floor": 6.0, "headline_s": 0.050,
    "headline": {"headline_s": 0.050, "calibration_s": 0.100},
    "pages": {
        "overview": {"cold_s": 0.5, "p50_s": 0.200, "p95_s": 0.25, "calibration_s": 0.100},
        "sales": {"cold_s": 0.3, "p50_s": 0.120, "p95_s": 0.15, "calibration_s": 0.100},
        "data": {"cold_s": 0.1, "p50_s": 0.010, "p95_s": 0.01, "calibration_s": 0.100},
    },
}  # fmt: skip


def _run(tmp_path, capsys, current: dict, base: dict = BASE) -> tuple[int, str]:
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "cur.json").write_text(json.dumps(current))
    code = main([str(tmp_path / "base.json"), str(tmp_path / "cur.json")])
    out = capsys.readouterr()
    return code, out.out + out.err


def _scaled(factor: float) -> dict:
    """The baseline on a machine `factor` times slower: every time and every calibration scaled."""
    cur = copy.deepcopy(BASE)
    cur["commit"] = "def5678"
    cur["calibration_s"] *= factor
    cur["headline"] = {k: v * factor for k, v in cur["headline"].items()}
    for p in cur["pages"].values():
        for k in ("cold_s", "p50_s", "p95_s", "calibration_s"):
            p[k] *= factor
    return cur


def test_a_slower_page_is_caught_and_named(tmp_path, capsys):
    cur = _scaled(1.0)
    cur["pages"]["sales"]["p50_s"] = 0.180  # +50 %, same calibration
    code, out = _run(tmp_path, capsys, cur)
    assert code == 1
    assert "REGRESSED (more than 25 % worse): page sales warm p50 +50%" in out
    assert "overview" not in out.split("REGRESSED (")[1]


def test_a_slower_machine_is_not_a_regression(tmp_path, capsys):
    code, out = _run(tmp_path, capsys, _scaled(2.5))  # everything 2.5x, the calibration query too
    assert code == 0, out
    assert "no regression" in out


def test_a_slower_machine_still_shows_a_real_regression(tmp_path, capsys):
    cur = _scaled(2.0)
    cur["headline"]["headline_s"] *= 1.4  # 40 % worse than the machine explains
    code, out = _run(tmp_path, capsys, cur)
    assert code == 1
    assert "headline KPIs +40%" in out


def test_the_etl_ratio_is_compared_as_measured(tmp_path, capsys):
    cur = _scaled(3.0)
    cur["etl_vs_floor"] = 7.8  # +30 % against its own read_csv floor
    code, out = _run(tmp_path, capsys, cur)
    assert code == 1
    assert "ETL vs read_csv floor +30%" in out
    cur["etl_vs_floor"] = 7.2  # +20 %: within the margin
    assert _run(tmp_path, capsys, cur)[0] == 0


def test_a_few_milliseconds_on_a_tiny_page_are_noise(tmp_path, capsys):
    cur = _scaled(1.0)
    cur["pages"]["data"]["p50_s"] = 0.016  # +60 %, but 6 ms
    code, out = _run(tmp_path, capsys, cur)
    assert code == 0, out
    assert "+60%" in out  # shown, not failed


@pytest.mark.parametrize(("key", "value"), [("leads", 1_000_000), ("calibration_version", 2)])
def test_results_that_cannot_be_compared_are_refused(tmp_path, capsys, key, value):
    cur = _scaled(1.0)
    cur[key] = value
    code, out = _run(tmp_path, capsys, cur)
    assert code == 2
    assert f"cannot compare: {key} differs" in out


def _with_cpu(result: dict, page_cpu: float, cal_cpu: float) -> dict:
    """`result` with CPU seconds: every page `page_cpu` and every calibration `cal_cpu`."""
    out = copy.deepcopy(result)
    for p in out["pages"].values():
        p["p50_cpu_s"], p["calibration_cpu_s"] = page_cpu, cal_cpu
    out["headline"].update(headline_cpu_s=page_cpu / 4, calibration_cpu_s=cal_cpu)
    out["etl_cpu_s"], out["calibration_cpu_s"] = 30.0, cal_cpu
    return out


def test_cpu_seconds_are_judged_when_both_runs_have_them(tmp_path, capsys):
    """A busy machine: wall times 2x (other processes on the cores), CPU seconds unchanged: no regression.
    CPU seconds 40 % up with the calibration's unchanged: caught, however the wall times look."""
    base = _with_cpu(BASE, 0.300, 0.200)
    busy = _with_cpu(_scaled(1.0), 0.300, 0.200)
    for p in busy["pages"].values():
        p["p50_s"] *= 2
    code, out = _run(tmp_path, capsys, busy, base)
    assert code == 0, out
    assert "page sales warm p50 (CPU)" in out and "ETL load (CPU)" in out
    slower = _with_cpu(_scaled(1.0), 0.420, 0.200)
    code, out = _run(tmp_path, capsys, slower, base)
    assert code == 1
    assert "page overview warm p50 (CPU) +40%" in out and "headline KPIs (CPU) +40%" in out
    etl = _with_cpu(_scaled(1.0), 0.300, 0.200)
    etl["etl_cpu_s"] = 39.0  # +30 % CPU, the calibration unchanged
    code, out = _run(tmp_path, capsys, etl, base)
    assert code == 1 and "ETL load (CPU) +30%" in out
