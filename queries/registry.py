"""The metric registry (queries/registry.toml): names, labels, definitions, units and where each
metric is computed. The app's tiles and Definitions page and the summary command all read it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from etl.unified import KINDS
from queries.dimensions import DIMENSIONS  # listed once, in registry.toml
from queries.runner import QUERIES_DIR, parameters
from queries.values import currency_symbol

UNITS = {"currency", "count", "ratio", "multiple", "minutes", "days", "months"}
TEAMS = {"marketing", "sales", "shared"}
SOURCES = set(KINDS.values())  # what coverage reports on (etl/unified.py)
D3_FORMATS = {"currency": ",.2f", "count": ",.0f", "ratio": ".1%", "multiple": ".2f", "minutes": ",.0f",
              "days": ",.1f", "months": ",.1f"}  # fmt: skip


def _registry() -> dict:
    return tomllib.loads((QUERIES_DIR / "registry.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    definition: str
    formula: str
    unit: str
    direction: str  # "up": higher is better; "down": lower is better
    team: str
    query: str
    column: str
    args: dict = field(default_factory=dict)
    target: str | None = None
    pace: str | None = None
    target_query: str | None = None
    additive: bool = False  # a sum or count: a period without rows is 0, not unknown
    sources: tuple[str, ...] = ()  # what it is computed from, for coverage (queries/coverage.py)
    empty: str | None = None  # why the value can be legitimately absent, shown instead of a bare "–"
    basis: str | None = None  # for counts: what is counted ("entered SQL in range"), shown by the tile
    not_split_by: dict = field(default_factory=dict)  # dimension -> why: its column's (registry.toml not_split_by)
    short: str | None = None  # a table column's header where `label` is too long (queries/columns.py)
    cohort: bool = False  # a cohort rate: compared with the previous cohort at the same age (summary.py)
    # a column of the same row saying 'measured' or 'assumed': an assumed value (LTV from config when no
    # billing export covers the period) says "assumed" on the tile, in the summary and in the digest
    basis_column: str | None = None
    measured_sources: tuple[str, ...] = ()  # the sources of the measured value (coverage), when basis_column says so

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions this metric is computed by; filtered by another, it has no value."""
        return tuple(d for d in DIMENSIONS if d not in self.not_split_by)

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "up"

    @property
    def format(self) -> str:
        """d3-format string for charts and tables (Plotly hover templates, column configs)."""
        return D3_FORMATS[self.unit]


@cache
def _columns() -> dict[str, dict[str, dict[str, str]]]:
    """registry.toml [[not_split_by]] as query -> column (or "*") -> dimension -> why."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for entry in _registry().get("not_split_by", []):
        for column in entry["columns"]:
            out.setdefault(entry["query"], {}).setdefault(column, {}).update(dict.fromkeys(entry["dimensions"], entry["why"]))
    return out


def not_split_by(query: str, column: str) -> dict[str, str]:
    """The dimensions column `column` of `query` is not cut by, each with why (registry.toml
    not_split_by: the query's "*" entries, then the column's own)."""
    declared = _columns().get(query, {})
    return {**declared.get("*", {}), **declared.get(column, {})}


def _check_columns() -> None:
    for query, columns in _columns().items():
        if not (QUERIES_DIR / f"{query}.sql").is_file():
            raise ValueError(f"registry.toml: not_split_by names missing query {query!r}")
        if unknown := {d for dims in columns.values() for d in dims} - set(DIMENSIONS):
            raise ValueError(f"registry.toml: not_split_by of {query!r} names unknown dimensions {sorted(unknown)}")


@cache
def metrics() -> tuple[Metric, ...]:
    data = _registry()
    _check_columns()
    out = tuple(Metric(**{**m, "sources": tuple(m.get("sources", ())), "measured_sources": tuple(m.get("measured_sources", ())),
                          "not_split_by": not_split_by(m["query"], m["column"])})
                for m in data["metric"])
    names = [m.name for m in out]
    if len(names) != len(set(names)):
        raise ValueError("registry.toml: duplicate metric names")
    for m in out:
        if m.unit not in UNITS or m.team not in TEAMS or m.direction not in ("up", "down"):
            raise ValueError(f"registry.toml: metric {m.name!r} has a bad unit, team or direction")
        if not m.sources or not set(m.sources) <= SOURCES:
            raise ValueError(f"registry.toml: metric {m.name!r} needs sources from {sorted(SOURCES)}")
        if m.cohort and "as_of" not in parameters(m.query):
            raise ValueError(f"registry.toml: cohort metric {m.name!r} needs a query that takes $as_of "
                             "(its comparison is judged at the same age: an earlier as-of)")
        for q in filter(None, (m.query, m.target_query)):
            if not (QUERIES_DIR / f"{q}.sql").is_file():
                raise ValueError(f"registry.toml: metric {m.name!r} names missing query {q!r}")
            # a metric honours every dimension its column does not disclaim: its queries must take each one
            if undeclared := [d for d in m.dimensions if d not in parameters(q)]:
                raise ValueError(f"registry.toml: metric {m.name!r} is split by {undeclared} but query {q!r} "
                                 "does not take them: add them to the query, or its column to not_split_by with the reason")
    return out


def not_applicable(m: Metric, filters: dict[str, str | None]) -> list[str]:
    """The filters in use that `m` is not split by (its value would be the unfiltered one)."""
    return [d for d, v in filters.items() if v is not None and d in m.not_split_by]


def metric(name: str) -> Metric:
    for m in metrics():
        if m.name == name:
            return m
    raise KeyError(name)


def format_value(m: Metric, value: float | None, currency: str = "USD") -> str:
    """Numbers for people: $12.4k, 23.5%, 3.2x, 14 min."""
    if value is None:
        return "–"
    v = float(value)
    if m.unit == "currency":
        return currency_symbol(currency) + compact(v, 2 if abs(v) < 100 else 0)
    if m.unit == "ratio":
        return f"{v:.1%}"
    if m.unit == "multiple":
        return f"{v:.2f}x"
    if m.unit == "minutes":
        return f"{v:.0f} min" if v < 120 else f"{v / 60:.1f} h"
    if m.unit in ("days", "months"):
        return f"{v:.1f} {m.unit}"
    return compact(v, 0)


def compact(v: float, decimals: int) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= limit:
            return f"{v / limit:.1f}{suffix}"
    return f"{v:,.{decimals}f}"
