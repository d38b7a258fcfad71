"""Date-range presets, resolved against a reference day (today in the app, fixed in tests)."""

from __future__ import annotations

from datetime import date, timedelta

GRAIN_DAYS = {"day": 1, "week": 7}

PRESETS = {
    "last_7": "Last 7 days",
    "last_30": "Last 30 days",
    "last_90": "Last 90 days",
    "this_week": "This week",
    "last_week": "Last week",
    "this_month": "This month",
    "last_month": "Last month",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "ytd": "Year to date",
    "custom": "Custom",
}


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def resolve(preset: str, today: date) -> tuple[date, date]:
    """(first day, last day) of a preset; ranges that include today end today."""
    if preset in ("last_7", "last_30", "last_90"):
        n = int(preset.split("_")[1])
        return today - timedelta(days=n - 1), today
    if preset == "this_week":
        return today - timedelta(days=today.weekday()), today
    if preset == "last_week":
        start = today - timedelta(days=today.weekday() + 7)
        return start, start + timedelta(days=6)
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return _quarter_start(today), today
    if preset == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    if preset == "ytd":
        return date(today.year, 1, 1), today
    raise ValueError(f"unknown preset {preset!r}")


def period_end(period: date, grain: str) -> date:
    """Last day of the day / week / month that starts on `period`."""
    if grain == "month":
        return (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return period + timedelta(days=GRAIN_DAYS[grain] - 1)


def partial_periods(periods: list[date], grain: str, start: date, end: date,
                    extent: tuple[date, date, tuple[tuple[date, date], ...]] | None) -> tuple[set[date], set[date]]:  # fmt: skip
    """(partial, uncovered) chart periods. `extent` is (first day, last day, holes) of the charted
    data (queries/coverage.Coverage.extent). Partial periods hold only some of their days (the range
    or the data starts or ends inside them, or a source misses some): drawn dotted, never read as a ramp
    or a cliff. Uncovered ones lie wholly before or after the data: left out, not drawn as zero."""
    first, last, holes = extent if extent else (start, end, ())
    lo, hi = max(start, first), min(end, last)
    uncovered = {p for p in periods if p > hi or period_end(p, grain) < lo}
    partial = {
        p for p in periods
        if p not in uncovered and (p < lo or period_end(p, grain) > hi
                                   or any(a <= period_end(p, grain) and b >= p for a, b in holes))
    }  # fmt: skip
    return partial, uncovered
