"""Every query under queries/ with a full set of example arguments: what the reliability and
security tests, and the benchmarks, run as "every page's queries"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from queries.runner import QUERIES_DIR, parameters
from queries.settings import load_settings

GRAINS = {"grain": "week", "cohort_grain": "month"}


def all_queries() -> list[str]:
    return sorted(str(p.relative_to(QUERIES_DIR).with_suffix("")) for p in QUERIES_DIR.rglob("*.sql"))


def arguments(name: str, start: date, end: date, **overrides: Any) -> dict[str, Any]:
    """The arguments `name` declares, from a superset of every page's filters and settings."""
    every = {
        **load_settings().params(),
        "start_date": start, "end_date": end, "as_of": datetime.combine(end, datetime.max.time()),
        "channel": None, "platform": None, "campaign": None, "owner": None,
        "by": "total", "mode": "cohort", "stage": "sql", "max_weeks": 12, **GRAINS, **overrides,
    }  # fmt: skip
    return {k: v for k, v in every.items() if k in parameters(name)}
