"""Date-range presets, resolved against a reference day (today in the app, fixed in tests)."""

from __future__ import annotations

from datetime import date, timedelta

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
