"""Every query under queries/ with a full set of example arguments: what the reliability and
security tests, and the benchmarks, run as "every page's queries"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from queries.connection import MACROS
from queries.registry import DIMENSIONS
from queries.runner import QUERIES_DIR, parameters
from queries.settings import load_settings
from queries.view import END_OF_DAY, View

GRAINS = {"grain": "week", "cohort_grain": "month"}
# the record lists' drill keys (queries/records/): every record of the view, or a deal set
DRILL = {"basis": "funnel", "cohort": None, "band": None, "score_band": None, "sla_status": None, "rep": None, "row_campaign": None,
         "row_platform": None, "deal_set": "closed", "deal_stage": None, "forecast": None, "move": None}  # fmt: skip


def all_queries() -> list[str]:
    return sorted(str(p.relative_to(QUERIES_DIR).with_suffix(""))
                  for p in QUERIES_DIR.rglob("*.sql") if p != MACROS)  # macros.sql: the queries' macros, no query


def arguments(name: str, start: date, end: date, **overrides: Any) -> dict[str, Any]:
    """The arguments `name` declares: a view of start..end judged at its end (bound by View.params,
    the one binding) and example values of the page-level arguments (`by`, `mode`, ...)."""
    dims = {d: overrides.pop(d) for d in DIMENSIONS if d in overrides}
    dates = {k: overrides.pop(k) for k in ("start_date", "end_date", "as_of") if k in overrides}
    view = View(dates.get("start_date", start), dates.get("end_date", end),
                as_of=dates.get("as_of", datetime.combine(end, END_OF_DAY)), dims=dims)  # fmt: skip
    examples = {"by": "total", "mode": "cohort", "stage": "sql", "max_weeks": 12, "top": 20, **GRAINS, **DRILL, **overrides}
    wanted = parameters(name)
    settings = load_settings()  # read once (view.params would read config/revline.toml again)
    extra = {k: v for k, v in {**settings.params(), **examples}.items() if k in wanted}
    return {**extra, **view.params(name, settings)}
