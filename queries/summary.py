"""Every headline KPI for a period with its comparison, change, target and pace.

The base of the weekly digest and of users' scripts: `python -m queries summary`. Values come
from the registry's queries, run once per (query, arguments, period), all on one warehouse version
(a load finishing meanwhile shows in the next summary, never in half of this one). Each metric also
says whether its sources' exports cover the period and the comparison period (queries/coverage.py):
no value where they cover none of it, no change where either period is not fully covered.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from queries.connection import snapshot
from queries.coverage import Coverage, load_coverage
from queries.registry import Metric, metrics, not_applicable
from queries.runner import run
from queries.settings import KpiSettings, load_settings
from queries.view import Period, View, as_of_for, comparison_period


def _number(v: Any) -> float | int | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return float(v)
    return v


class Evaluator:
    """Runs each (query, args, period) once and reads metric values from the results; every query's
    parameters come from the view (queries/view.py), the one binding."""

    def __init__(self, settings: KpiSettings, view: View, db: Path | None):
        self.settings, self.view, self.db = settings, view, db
        self.as_of, self.filters = view.as_of, view.filters
        self._cache: dict[tuple, dict[str, Any] | None] = {}

    def row(self, query: str, args: dict, period: Period) -> dict[str, Any] | None:
        key = (query, tuple(sorted(args.items())), period)
        if key not in self._cache:
            params = self.view.period(period.start, period.end).params(query, self.settings, **args)
            out = run(query, db=self.db, **params)
            self._cache[key] = out.row(0, named=True) if out.height else None
        return self._cache[key]

    def value(self, m: Metric, period: Period, column: str | None = None, query: str | None = None) -> Any:
        r = self.row(query or m.query, m.args if query in (None, m.query) else {}, period)
        if r is None:
            return 0 if m.additive and column is None else None
        return _number(r.get(column or m.column))


def summarize(
    start: date | None = None,
    end: date | None = None,
    compare: str = "previous",
    as_of: datetime | None = None,
    filters: dict[str, str | None] | None = None,
    db: Path | None = None,
    settings: KpiSettings | None = None,
    names: list[str] | None = None,
    today: date | None = None,
    *,
    view: View | None = None,
) -> dict[str, Any]:
    """Every metric (or `names`) for a view: `view=`, or start, end, compare, as_of and filters. Without
    an as-of, the view is judged at the end of the data's last day (never later than now): the same
    rule as the app (queries/view.py as_of_for)."""
    settings = settings or load_settings()
    with snapshot(db):
        cov = load_coverage(db)
        if view is None:
            if start is None or end is None:
                raise TypeError("summarize() needs start and end, or view=")
            as_of = as_of or as_of_for(cov.through, datetime.now())
            view = View(start, end, compare, as_of, dict(filters or {}))
        current = Period(view.start, view.end)
        previous = comparison_period(current, view.compare, view.as_of)
        ev = Evaluator(settings, view, db)
        out = _metrics(ev, cov, current, previous, names, view.filters.get("platform"), today or date.today())
    return {
        "period": {"start": view.start.isoformat(), "end": view.end.isoformat()},
        "comparison": {"mode": view.compare, "start": previous.start.isoformat(), "end": previous.end.isoformat()},
        "as_of": view.as_of.isoformat(sep=" "),
        "filters": view.filters,
        "coverage": {**cov.as_dict(),
                     "notes": coverage_notes(cov, view.start, view.end, today or date.today(), settings)},
        "metrics": out,
    }


def _metrics(
    ev: Evaluator, cov: Coverage, current: Period, previous: Period, names: list[str] | None, platform: str | None,
    today: date,
) -> dict[str, Any]:
    start, end = current.start, current.end
    elapsed_end = max(start, min(end, today))  # days after today are not missing, just ahead
    out: dict[str, Any] = {}
    for m in metrics():
        if names is not None and m.name not in names:
            continue
        now_cov = cov.check(m.sources, start, elapsed_end, platform)
        before_cov = cov.check(m.sources, previous.start, previous.end, platform)
        # a filter this metric is not split by: no value (never the unfiltered one), and why
        unsplit = not_applicable(m, ev.filters)
        value = None if unsplit or now_cov.status == "no_data" else ev.value(m, current)
        comparison = None if unsplit or before_cov.status == "no_data" else ev.value(m, previous)
        if not (now_cov.complete and before_cov.complete):
            comparison_change = None
        else:
            comparison_change = _change(value, comparison)
        out[m.name] = {
            "label": m.label,
            "unit": m.unit,
            "direction": m.direction,
            "team": m.team,
            "value": value,
            "comparison": comparison,
            "change": comparison_change,
            "coverage": now_cov.as_dict(),
            "comparison_coverage": before_cov.as_dict(),
            "target": ev.value(m, current, m.target, m.target_query) if m.target and not unsplit else None,
            "pace": ev.value(m, current, m.pace, m.target_query) if m.pace and not unsplit else None,
            "not_split_by": {d: m.not_split_by[d] for d in unsplit},
        }
    return out


def _change(value: Any, comparison: Any) -> float | None:
    if value is None or comparison in (None, 0):
        return None
    return (value - comparison) / abs(comparison)


def coverage_notes(cov: Coverage, start: date, end: date, today: date, settings: KpiSettings) -> list[str]:
    """The notes every page shows at the top: how far the data goes, lagging sources, gaps, staleness."""
    stale = cov.stale(today, settings.warn_after_days)
    return cov.notices(start, end) + ([stale] if stale else [])
