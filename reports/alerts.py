"""Alerts: the rules of config/alerts.toml evaluated on one warehouse version.

Metric rules read `queries.summary.summarize` and the page queries (shared/trend, handoff/
unworked_queue, data/freshness, data/load_history): the same numbers as the dashboard. Periods end
on the data's last day (queries/coverage.py), so a warehouse loaded on Monday with data through
Sunday judges Sunday's week; only the SLA, stale and rejects rules look at the clock ("now").
"""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.config import config_dir
from etl.config_check import read_checked
from queries.cli import DEMO_NOTE
from queries.connection import snapshot
from queries.coverage import day, days, load_coverage
from queries.registry import Metric, format_value, metric, metrics
from queries.runner import run
from queries.settings import load_settings
from queries.summary import summarize
from queries.values import value_label
from queries.view import as_of_for
from reports.config import ALERTS
from reports.digest import last_complete_week, link, load_digest_config, rows


class AlertConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str  # the metric, measure, rep, source or file it is about
    message: str
    link: str = ""
    to: tuple[str, ...] = ()  # addresses beyond the configured recipients (the rep of an SLA alert)
    state: str = ""  # what makes it news when it changes (default: the message); an SLA alert's leads


@dataclass(frozen=True)
class AlertConfig:
    rules: list[dict]
    recipients: list[str] = field(default_factory=list)
    reps: dict[str, str] = field(default_factory=dict)
    repeat_hours: float = 24  # an alert still firing unchanged is sent again after this long


def load_alert_config(path: Path | None = None) -> AlertConfig:
    path = path or config_dir() / "alerts.toml"
    data = read_checked(ALERTS, path=path)  # every value typed and in range (reports/config.py)
    return AlertConfig(data.get("rule", []), list(data.get("recipients", [])), dict(data.get("reps", {})),
                       float(data.get("repeat_hours", 24)))


def evaluate(db: Path | None = None, now: datetime | None = None, config: AlertConfig | None = None) -> list[Alert]:
    """Every alert that fires now, in the order of the rules."""
    config = config or load_alert_config()
    now = now or datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # warehouse times are UTC
    base = load_digest_config().base_url
    out: list[Alert] = []
    with snapshot(db):
        through = load_coverage(db).through
        for rule in config.rules:
            if through is None and rule["kind"] not in ("rejects",):
                continue  # nothing loaded: no metric, no source to judge
            out += RULES[rule["kind"]](rule, db, through, now, config, base)
    return out


def _summary(rule: dict, db, start, end, as_of) -> tuple[Metric, dict]:
    """The rule's metric over start..end, vs the period before, as the summary (and the tile) gives it."""
    m = metric(rule["metric"])
    return m, summarize(start, end, "previous", as_of, None, db, names=[m.name])["metrics"][m.name]


def _overview(kind: str, subject: str, base: str, start, end, message: str) -> list[Alert]:
    """One alert about a metric, linked to the Overview of the period it judged."""
    return [Alert(kind, subject, message, link(base, "overview", start, end, "previous"))]


def _pace(rule, db, through, now, config, base) -> list[Alert]:
    start = through.replace(day=1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    # judged at the end of the data's last day: pace = value / (target x elapsed share to that day)
    m, r = _summary(rule, db, start, end, as_of_for(through, through))
    limit = 1 - float(rule.get("behind_pct", 10)) / 100
    if r["pace"] is None or r["pace"] >= limit:
        return []
    return _overview("pace", m.name, base, start, through,
                     f"{m.label} is {1 - r['pace']:.0%} behind target pace for {start:%B %Y} to {day(through)}: "
                     f"{format_value(m, r['value'])} of a {format_value(m, r['target'])} target (pace {r['pace']:.0%}).")  # fmt: skip


def _change(rule, db, through, now, config, base) -> list[Alert]:
    start, end = last_complete_week(through)
    m, r = _summary(rule, db, start, end, as_of_for(through, now.date()))
    change, pct = r["change"], float(rule.get("pct", 20)) / 100
    if change is None or abs(change) < pct:
        return []
    better = (change > 0) == m.higher_is_better
    if rule.get("direction", "any") == ("better" if not better else "worse"):
        return []
    return _overview("change", m.name, base, start, end,
                     f"{m.label} {'rose' if change > 0 else 'fell'} {abs(change):.0%} in the week {days((start, end))}: "
                     f"{format_value(m, r['value'])} vs {format_value(m, r['comparison'])} the week before.")  # fmt: skip


def _anomaly(rule, db, through, now, config, base) -> list[Alert]:
    measure, n, k = rule["measure"], int(rule.get("trailing_days", 28)), float(rule.get("sigma", 3))
    start = through - timedelta(days=n)
    series = [float(r[measure] or 0) for r in rows("shared/trend", db, start, through, as_of_for(through, now.date()),
                                                     grain="day")]  # fmt: skip
    if len(series) < 3:
        return []
    last, trailing = series[-1], series[:-1]
    mean, sd = statistics.fmean(trailing), statistics.pstdev(trailing)
    if abs(last - mean) <= k * sd:
        return []
    return _overview("anomaly", measure, base, start, through,
                     f"{({m.name: m.label for m in metrics()}.get(measure, measure))} on {day(through)} was {last:,.2f}, "
                     f"outside the {n}-day mean {mean:,.2f} ± {k:g} σ ({sd:,.2f}).")  # fmt: skip


def _sla(rule, db, through, now, config, base) -> list[Alert]:
    start = now.date() - timedelta(days=int(rule.get("lookback_days", 7)))
    queue = rows("handoff/unworked_queue", db, start, now.date(), now, warn_hours=load_settings().warn_hours)
    soon: dict[str, list[dict]] = {}
    for r in queue:
        if r["status"] == "about_to_breach":
            soon.setdefault(r["owner"] or "(no owner)", []).append(r)
    out = []
    for owner, leads in sorted(soon.items()):
        first = min(leads, key=lambda r: r["hours_to_deadline"])
        out.append(Alert("sla", owner,
                         f"{len(leads)} MQL(s) of {owner} about to breach the SLA: lead "
                         f"{', '.join(str(r['lead_id']) for r in leads[:5])}; the first deadline in "
                         f"{max(first['hours_to_deadline'], 0) * 60:.0f} min ({first['deadline_at']:%H:%M} UTC).",
                         link(base, "handoff", start, now.date(), "previous", owner=owner),
                         tuple(filter(None, [config.reps.get(owner)])),
                         ",".join(sorted(str(r["lead_id"]) for r in leads))))  # fmt: skip
    return out


def _stale(rule, db, through, now, config, base) -> list[Alert]:
    limit = int(rule.get("days", 3))
    out = []
    for r in run("data/freshness", db=db).to_dicts():
        last = r["data_through"]
        if last is None or (now.date() - last).days <= limit:
            continue
        loaded = f"; last loaded {r['last_loaded_at']:%Y-%m-%d %H:%M}" if r["last_loaded_at"] else ""
        out.append(Alert("stale", r["source"],
                         f"{value_label('source', r['source'])}: no data after {day(last)}, "
                         f"{(now.date() - last).days} days ago{loaded}.",
                         f"{base}/data"))  # fmt: skip
    return out


def _rejects(rule, db, through, now, config, base) -> list[Alert]:
    pct, since = float(rule.get("pct", 5)) / 100, now - timedelta(days=int(rule.get("within_days", 7)))
    out = []
    for r in run("data/load_history", db=db).to_dicts():
        read, rejected = r["rows_read"] or 0, r["rows_rejected"] or 0
        if r["finished_at"] is None or r["finished_at"] < since or not read or rejected / read <= pct:
            continue
        out.append(Alert("rejects", r["file_name"],
                         f"{r['file_name']} ({r['finished_at']:%Y-%m-%d %H:%M}) rejected {rejected:,} of {read:,} rows "
                         f"({rejected / read:.0%}): see rejected rows on the Data page.", f"{base}/data"))  # fmt: skip
    return out


RULES = {"pace": _pace, "change": _change, "anomaly": _anomaly, "sla": _sla, "stale": _stale, "rejects": _rejects}


def alert_key(a: Alert) -> str:
    """Which alert this is across runs (the ledger's key): its kind and what it is about."""
    return f"{a.kind}|{a.subject}"


def alert_state(a: Alert) -> str:
    return a.state or a.message


def text(alerts: list[Alert], demo: bool = False) -> str:
    return (f"{DEMO_NOTE}.\n" if demo else "") + "\n".join(f"[{a.kind}] {a.message}" + (f" {a.link}" if a.link else "") for a in alerts)

