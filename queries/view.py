"""What a person is looking at: a range, a comparison, the moment it is judged at, and dimension
filters; and the one place these become query parameters.

Tiles, tables, charts, the summary command, the benchmarks and the digest all bind through
`View.params`, so the same view gives the same numbers everywhere. A filter a query does not take is
never dropped silently: `View.unapplied(query)` names it, and the pages say so beside the number.

A dimension filter is a selection: a tuple of values (any of them), or None for all. The queries
take it as a list (NULL for all) and test it with the warehouse macro `in_selection(column, $dim)`
(etl/sql/00_macros.sql); a one-value selection gives exactly the numbers a single value gave.

The as-of rule (`as_of_for`) is shared too: a view is judged at the moment its data knows, the end of
the last day the loaded exports cover, and never later than now. Judging a past week at "now" made
every MQL that was untouched when the export was taken a breach, though the touches after the export
are simply not loaded yet (SLA compliance 61.2% in the summary vs 85.9% in the app, same week).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from queries.registry import DIMENSIONS
from queries.runner import QueryError, parameters
from queries.settings import KpiSettings, load_settings

END_OF_DAY = time(23, 59, 59)
COMPARE = {"previous": "Previous period", "yoy": "Same period last year"}  # comparison modes, as people read them

Selection = tuple[str, ...] | None  # values of one dimension (any of them); None: all


def selection(value: str | Iterable[str] | None) -> Selection:
    """A dimension's selection in its one form: a sorted tuple of distinct values, None for all. A
    plain string is a one-value selection (the summary command's --owner X, a digest's driver)."""
    if value is None:
        return None
    values = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(v, str) for v in values):
        raise QueryError(f"a filter's values are text, not {values!r}")
    return tuple(sorted(set(values))) or None


def bound(value: Selection) -> list[str] | None:
    """A selection as a query parameter: a list, or NULL for all."""
    return list(value) if value else None


def as_of_for(data_through: date | None, now: datetime | date) -> datetime:
    """The "now" a view is judged at (pending vs breached SLAs, pace, open pipeline): the end of the
    data's last day, or now (to the minute) when that is earlier; now when nothing is loaded. A day
    for `now` is its end (a digest made "today" is judged as the dashboard is at the end of today)."""
    if not isinstance(now, datetime):
        now = datetime.combine(now, END_OF_DAY)
    now = now.replace(second=0, microsecond=0)
    if data_through is None:
        return now
    return min(datetime.combine(data_through, END_OF_DAY), now)


TREND_WEEKS = 13  # the Overview's and the digest's trend: 13 whole weeks, the last one to date


def trend_start(end: date) -> date:
    """The Monday the trend to `end` starts on (TREND_WEEKS weeks, the last one holding `end`)."""
    return end - timedelta(days=end.weekday() + 7 * (TREND_WEEKS - 1))


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def comparison_period(current: Period, mode: str, as_of: datetime) -> Period:
    """Previous period or same period last year, with the same number of elapsed days.

    A whole calendar month compares with the previous calendar month (not the 30 days before).
    """
    elapsed_end = min(current.end, max(as_of.date(), current.start))
    elapsed = (elapsed_end - current.start).days + 1
    whole_month = current.start.day == 1 and (current.end + timedelta(days=1)).day == 1
    if mode == "previous" and whole_month and current.start.month == current.end.month:
        end_prev = current.start - timedelta(days=1)
        start = end_prev.replace(day=1)
        if elapsed >= current.days:
            return Period(start, end_prev)
        return Period(start, min(start + timedelta(days=elapsed - 1), end_prev))
    if mode == "yoy":
        try:
            start = current.start.replace(year=current.start.year - 1)
        except ValueError:  # 29 February
            start = current.start.replace(year=current.start.year - 1, day=28)
    elif mode == "previous":
        start = current.start - timedelta(days=current.days)
    else:
        raise ValueError(f"comparison must be 'previous' or 'yoy', not {mode!r}")
    return Period(start, start + timedelta(days=elapsed - 1))


@dataclass(frozen=True)
class View:
    start: date
    end: date
    compare: str = "previous"
    as_of: datetime = field(default_factory=lambda: as_of_for(None, datetime.now()))
    dims: dict[str, Selection] = field(default_factory=dict)  # dimension -> values (None: all); str accepted

    def __post_init__(self) -> None:
        unknown = set(self.dims) - set(DIMENSIONS)
        if unknown:
            raise QueryError(f"unknown dimension(s) {sorted(unknown)}: the dimensions are {list(DIMENSIONS)}")
        if self.end < self.start:
            raise QueryError(f"the range ends ({self.end}) before it starts ({self.start})")
        object.__setattr__(self, "dims", {d: selection(self.dims.get(d)) for d in DIMENSIONS})

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        """The dimension filters in use (values chosen)."""
        return {d: v for d, v in self.dims.items() if v is not None}

    @property
    def target_segment(self) -> str | None:
        """The targets.csv segment this view is measured against: 'all' unfiltered, the rep or the
        channel when exactly one of them is chosen and nothing else, else None (no target fits a
        slice such as one platform). The rule of shared/headline.sql's `target` CTE, for charts."""
        f = self.filters
        if not f:
            return "all"
        if len(f) == 1 and (dim := next(iter(f))) in ("owner", "channel") and len(f[dim]) == 1:
            return f[dim][0]
        return None

    def key(self) -> tuple:
        """A hashable form, for caches."""
        return (self.start, self.end, self.compare, self.as_of, tuple(sorted(self.dims.items())))

    def unapplied(self, query: str) -> list[str]:
        """Filters in use that `query` does not take: its numbers are not split by them."""
        return [d for d in self.filters if d not in parameters(query)]

    def params(self, query: str, settings: KpiSettings | None = None, **args: Any) -> dict[str, Any]:
        """The parameters `query` declares, from this view, the KPI settings and `args` (fixed
        arguments such as `by`, `grain`, or dates overriding the range, e.g. a 13-week trend).
        An argument the query does not declare is an error naming it, never dropped. Dimensions are
        bound as lists (NULL: all), an argument naming one (a page's own scope) as well."""
        wanted = parameters(query)
        if extra := sorted(set(args) - wanted):
            raise QueryError(f"query {query!r} takes no {extra} parameter(s)")
        available = {
            **(settings or load_settings()).params(),
            "start_date": self.start, "end_date": self.end, "as_of": self.as_of, **self.dims, **args,
        }  # fmt: skip
        available.update({d: bound(selection(available[d])) for d in DIMENSIONS})
        return {k: v for k, v in available.items() if k in wanted}

    def period(self, start: date, end: date) -> View:
        """The same view over another range (the comparison period), judged at the same moment."""
        return replace(self, start=start, end=end)

    def comparison(self) -> View:
        """The view of the comparison period (previous period or same period last year)."""
        p = comparison_period(Period(self.start, self.end), self.compare, self.as_of)
        return self.period(p.start, p.end)
