"""`python -m queries summary`: every registry metric, as JSON keyed by metric name or as a
markdown table, with the numbers the golden tests assert."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from queries.registry import metrics
from queries.view import Period, comparison_period

REPO = __import__("pathlib").Path(__file__).resolve().parent.parent


def summary(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "queries", "summary", "--db", str(db), *args],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_json_has_every_metric_with_golden_values(revenue_db):
    p = summary(revenue_db, "--start", "2026-10-01", "--end", "2026-10-31", "--as-of", "2026-10-31 23:00")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert list(out["metrics"]) == [m.name for m in metrics()]
    m = out["metrics"]
    # the same numbers test_kpi_* work out by hand
    assert m["revenue"]["value"] == 30000.0 and m["revenue"]["target"] == pytest.approx(40000.0)
    assert m["revenue"]["pace"] == pytest.approx(0.75)
    assert m["blended_cpl"]["value"] == pytest.approx(1350 / 4)
    assert m["win_rate"]["value"] == pytest.approx(2 / 3)
    assert m["quota_attainment"]["value"] == pytest.approx(0.75)
    assert m["ctr"]["value"] == pytest.approx(2410 / 75000)
    assert m["mqls"]["target"] == pytest.approx(4.0) and m["mqls"]["pace"] == pytest.approx(0.75)
    # September is the previous period: revenue 0 there, so the change is undefined (null), not inf
    assert out["comparison"] == {"mode": "previous", "start": "2026-09-01", "end": "2026-09-30"}
    assert m["revenue"]["comparison"] == 0.0 and m["revenue"]["change"] is None
    # no ad export covers September (the ad data starts Oct 5): spend there is unknown, not 0
    # (tests/test_coverage.py); the deals export does cover it, so revenue there is a real 0
    assert m["spend"]["comparison"] is None and m["spend"]["comparison_coverage"]["status"] == "no_data"


def test_markdown_lists_every_metric(revenue_db):
    p = summary(revenue_db, "--start", "2026-10-01", "--end", "2026-10-31", "--format", "markdown",
                "--compare", "yoy", "--as-of", "2026-10-31 23:00")  # fmt: skip
    assert p.returncode == 0, p.stderr
    for m in metrics():
        assert f"| {m.label} |" in p.stdout or f"| {m.label} (assumed) |" in p.stdout  # LTV without billing
    assert "| Revenue | $30.0k |" in p.stdout


def test_missing_warehouse_is_a_clear_error(tmp_path):
    p = summary(tmp_path / "nope.duckdb", "--start", "2026-10-01", "--end", "2026-10-31")
    assert p.returncode == 2 and "no warehouse" in p.stderr


def test_comparison_periods_have_the_same_elapsed_days():
    now = datetime(2026, 11, 10, 12)
    # a month in progress: Nov 1-10 elapsed -> Oct 1-10
    assert comparison_period(Period(date(2026, 11, 1), date(2026, 11, 30)), "previous", now) == Period(
        date(2026, 10, 1), date(2026, 10, 10))  # fmt: skip
    # a week: the 7 days before
    assert comparison_period(Period(date(2026, 11, 2), date(2026, 11, 8)), "previous", now) == Period(
        date(2026, 10, 26), date(2026, 11, 1))  # fmt: skip
    # same period last year, elapsed part only
    assert comparison_period(Period(date(2026, 11, 1), date(2026, 11, 30)), "yoy", now) == Period(
        date(2025, 11, 1), date(2025, 11, 10))  # fmt: skip


def test_a_day_as_now_is_its_end_and_the_trend_is_13_weeks():
    """One as_of_for for the app (a moment) and the digest (a day, judged at its end); one trend window."""
    from queries.view import as_of_for, trend_start

    day = date(2026, 11, 22)
    assert as_of_for(day, day) == datetime(2026, 11, 22, 23, 59) == as_of_for(day, datetime(2026, 11, 22, 23, 59, 59))
    assert as_of_for(date(2026, 11, 25), day) == datetime(2026, 11, 22, 23, 59)  # never later than that day
    assert as_of_for(None, day) == datetime(2026, 11, 22, 23, 59)
    assert trend_start(day) == date(2026, 8, 24)  # a Monday, 13 weeks to Sunday Nov 22 inclusive
    assert (day - trend_start(day)).days + 1 == 13 * 7
