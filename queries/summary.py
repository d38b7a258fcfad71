"""Every headline KPI for a period with its comparison, change, target and pace.

The base of the weekly digest and of users' scripts: `python -m queries summary`. Values come
from the registry's queries, run once per (query, arguments, period), all on one warehouse version
(a load finishing meanwhile shows in the next summary, never in half of this one). Each metric also
says whether its sources' exports cover the period and the comparison period (queries/coverage.py):
no value where they cover none of it, no change where either period is not fully covered.
A cohort metric (registry `cohort = true`: close rate) is compared like with like: the comparison
period's cohort is judged at the same age, at the as-of moved back by the gap between the periods
(`cohort_as_of`; docs/decisions/0117-cohort-rates-are-compared-at-the-same-age.md), never a young cohort against one that had months to close.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
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

    def row(self, query: str, args: dict, period: Period, as_of: datetime | None = None) -> dict[str, Any] | None:
        key = (query, tuple(sorted(args.items())), period, as_of)
        if key not in self._cache:
            view = self.view.period(period.start, period.end)
            if as_of is not None:  # a cohort judged earlier (cohort_as_of)
                view = replace(view, as_of=as_of)
            params = view.params(query, self.settings, **args)
            out = run(query, db=self.db, **params)
            self._cache[key] = out.row(0, named=True) if out.height else None
        return self._cache[key]

    def value(self, m: Metric, period: Period, column: str | None = None, query: str | None = None,
              as_of: datetime | None = None) -> Any:
        r = self.row(query or m.query, m.args if query in (None, m.query) else {}, period, as_of)
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
        # a value measured where billing covers the period (LTV, CAC payback) has billing as its source there
        now_src, before_src = (_sources(ev, m, p) for p in (current, previous))
        now_cov = cov.check(now_src, start, elapsed_end, platform)
        before_cov = cov.check(before_src, previous.start, previous.end, platform)
        # a filter this metric is not split by: no value (never the unfiltered one), and why
        unsplit = not_applicable(m, ev.filters)
        value = None if unsplit or now_cov.status == "no_data" else ev.value(m, current)
        # a cohort metric's comparison cohort at the same age as this one (decision 0117)
        judged = cohort_as_of(ev.as_of, current, previous) if m.cohort else None
        comparison = None if unsplit or before_cov.status == "no_data" else ev.value(m, previous, as_of=judged)
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
            # a cohort's comparison: the moment it is judged at (the same age as this cohort now)
            "comparison_as_of": judged.isoformat(sep=" ") if judged else None,
            # True: the value is the config assumption, not a measurement (LTV without billing data)
            "assumed": bool(m.basis_column) and value is not None and now_src == m.sources,
        }
    return out


def _sources(ev: Evaluator, m: Metric, period: Period) -> tuple[str, ...]:
    """What a metric is computed from in `period`: its measured sources where its basis column says
    'measured' (billing covers the period), else its own (the config assumption's)."""
    if m.basis_column and m.measured_sources and ev.value(m, period, m.basis_column) == "measured":
        return m.measured_sources
    return m.sources


def cohort_as_of(as_of: datetime, current: Period, previous: Period) -> datetime:
    """When the comparison period's cohort is as old as the current one is at `as_of`: `as_of` moved
    back by the gap between the periods' starts. Each of its members (created on the k-th day of its
    period) has then had exactly as long to reach the outcome as its counterpart created on the k-th
    day of the current period has had by `as_of` (comparison_period already ends it on the same
    elapsed day)."""
    return as_of - timedelta(days=(current.start - previous.start).days)


def _change(value: Any, comparison: Any) -> float | None:
    if value is None or comparison in (None, 0):
        return None
    return (value - comparison) / abs(comparison)


def coverage_notes(cov: Coverage, start: date, end: date, today: date, settings: KpiSettings) -> list[str]:
    """The notes every page shows at the top: how far the data goes, lagging sources, gaps, staleness."""
    stale = cov.stale(today, settings.warn_after_days)
    return cov.notices(start, end) + ([stale] if stale else [])
