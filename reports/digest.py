"""The weekly digest: one role's headline numbers, movers and their drivers, cost per stage, funnel,
SLA and coverage for a week, as a self-contained HTML file and a PDF of it.

Every number comes from `queries.summary.summarize` and the query files the pages run (through
`queries.runner.run`), judged at the same "now" as the dashboard view the digest links to, so the
digest, the summary command and the app agree. No new SQL for an existing metric.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from etl.config import config_dir
from etl.config_check import read_checked
from queries.cli import shows_demo
from queries.connection import snapshot
from queries.coverage import load_coverage
from queries.movers import drivers, slices
from queries.movers import movers as ranked
from queries.pages import DIGEST_SECTIONS, page
from queries.registry import DIMENSIONS
from queries.runner import run
from queries.settings import load_settings
from queries.summary import summarize
from queries.view import View, as_of_for, trend_start
from reports.config import DIGESTS


class DigestError(ValueError):
    """A digest that cannot be made (unknown role, no data loaded): said in one sentence."""


@dataclass(frozen=True)
class DigestConfig:
    base_url: str
    roles: dict[str, dict]
    movers: int = 5
    drivers: int = 2
    breaches: int = 15
    send_seconds: float = 60  # [delivery]: one e-mail or Slack post, connection to answer
    command_seconds: float = 300  # [delivery]: every send of one command together


def load_digest_config(path: Path | None = None) -> DigestConfig:
    path = path or config_dir() / "digests.toml"
    data = read_checked(DIGESTS, path=path)  # every value typed and in range (reports/config.py)
    delivery = data.get("delivery", {})
    return DigestConfig(data.get("base_url", "http://localhost:8501").rstrip("/"), data.get("roles", {}),
                        int(data.get("movers", 5)), int(data.get("drivers", 2)), int(data.get("breaches", 15)),
                        float(delivery.get("send_seconds", 60)), float(delivery.get("command_seconds", 300)))  # fmt: skip


def last_complete_week(through: date) -> tuple[date, date]:
    """The last Monday-Sunday week the data covers to its end (its last day, not the calendar's)."""
    sunday = through - timedelta(days=(through.weekday() + 1) % 7)
    return sunday - timedelta(days=6), sunday


@dataclass
class Digest:
    role: str
    title: str
    start: date
    end: date
    compare: str
    as_of: datetime
    summary: dict[str, Any]
    metrics: list[str]
    sections: list[str]
    links: dict[str, str]
    movers: list[dict] = field(default_factory=list)
    cost_per_stage: list[dict] = field(default_factory=list)
    funnel: list[dict] = field(default_factory=list)
    sla_by_rep: list[dict] = field(default_factory=list)
    breaches: list[dict] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    currency: str = "USD"
    breach_limit: int = 15
    demo: bool = False  # the demo warehouse's invented numbers: every surface says so (queries.cli.DEMO_NOTE)


def _args(name: str, start: date, end: date, as_of: datetime, **overrides: Any) -> dict[str, Any]:
    """The arguments query `name` takes, bound as the pages bind them (queries/view.py); no filter
    but the `overrides` that are dimensions (a driver's channel): the whole business."""
    dims = {k: overrides.pop(k) for k in list(overrides) if k in DIMENSIONS}
    return View(start, end, as_of=as_of, dims=dims).params(name, **overrides)


def rows(name: str, db: Path | None, start: date, end: date, as_of: datetime, **overrides: Any) -> list[dict]:
    return run(name, db=db, **_args(name, start, end, as_of, **overrides)).to_dicts()


def link(base_url: str, page: str, start: date, end: date, compare: str, **dims: str | Iterable[str] | None) -> str:
    """The dashboard view of a section, its filters in the URL (ui/state.py URL keys): a dimension's
    values as the View holds them, one repeated parameter each (names may hold commas)."""
    chosen = View(start, end, dims=dims).filters
    query = {"range": "custom", "start": start.isoformat(), "end": end.isoformat(), "compare": compare, **chosen}
    return f"{base_url}/{page}?{urlencode(query, doseq=True)}"


def build(
    db: Path | None,
    role: str = "leadership",
    start: date | None = None,
    end: date | None = None,
    compare: str = "previous",
    today: date | None = None,
    config: DigestConfig | None = None,
) -> Digest:
    """Gather one role's digest from one warehouse version."""
    config = config or load_digest_config()
    if role not in config.roles:
        raise DigestError(f"no digest role {role!r} in config/digests.toml (roles: {', '.join(config.roles)})")
    spec = config.roles[role]
    today = today or date.today()
    with snapshot(db):
        through = load_coverage(db).through
        if start is None or end is None:
            if through is None:
                raise DigestError("the warehouse has no data yet: load exports first with `python -m etl load`")
            start, end = last_complete_week(through)
        as_of = as_of_for(through, today)
        summary = summarize(start, end, compare, as_of, None, db, today=today)
        sections = list(spec.get("sections", DIGEST_SECTIONS))
        d = Digest(role, spec.get("title", f"{role.capitalize()} weekly"), start, end, compare, as_of, summary,
                   list(spec.get("metrics", [])), sections,
                   {s: link(config.base_url, DIGEST_SECTIONS[s], start, end, compare) for s in sections},
                   currency=load_settings().reporting_currency, breach_limit=config.breaches,
                   demo=shows_demo(db))  # fmt: skip
        if "movers" in sections:
            d.movers = movers(summary, db, start, end, compare, as_of, today, config)
        if "cost_per_stage" in sections:
            d.cost_per_stage = rows("paid_media/cost_per_stage", db, start, end, as_of, grain="total", by="channel")
        if "funnel" in sections:
            d.funnel = rows("funnel/stages", db, start, end, as_of, mode="cohort", by="total")
        if "sla" in sections:
            d.sla_by_rep = rows("handoff/speed_and_sla", db, start, end, as_of, grain="total", by="owner")
            d.breaches = [r for r in rows("handoff/mql_response", db, start, end, as_of) if r["sla_status"] == "breached"]
            d.breaches.sort(key=lambda r: (r["owner"] or "", r["clock_start_at"]))
        if "trend" in sections:
            d.trend = rows("shared/trend", db, trend_start(end), end, as_of, grain="week")  # as the Overview
    return d


def movers(summary: dict, db: Path | None, start: date, end: date, compare: str, as_of: datetime,
           today: date, config: DigestConfig) -> list[dict]:  # fmt: skip
    """The Overview's "What changed", the same ranking (queries/movers.py: business impact), each mover
    with the channels, platforms or reps that moved it most (the summary with that one filter: the
    dashboard's number for the slice) and a link to the Overview filtered by it."""
    top = ranked(summary["metrics"], page("overview").tiles, limit=config.movers)
    if not top:
        return []
    by_slice = slices(View(start, end, compare, as_of), [x.name for x in top], db)
    out = []
    for x in top:
        found = drivers(x.name, x.up, by_slice, config.drivers)
        for d in found:
            d["link"] = link(config.base_url, "overview", start, end, compare, **{d["dimension"]: d["slice"]})
        out.append({"name": x.name, **summary["metrics"][x.name], "drivers": found})
    return out
