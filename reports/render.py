"""The digest as one self-contained HTML file: inline CSS (reports/templates/digest.css), inline SVG
charts, no script and no request to anywhere; every value escaped. Values are formatted as the
app formats them (queries.registry.format_value)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from pathlib import Path

from queries.cli import DEMO_NOTE, DEMO_TAG
from queries.columns import SERIES, column_label
from queries.coverage import days
from queries.notes import metric_notes, shown_label
from queries.registry import compact, format_value, metric
from queries.values import value_label
from queries.view import COMPARE
from reports.digest import Digest
from reports.svg import bars, lines

CSS = (Path(__file__).parent / "templates" / "digest.css").read_text(encoding="utf-8")


def _e(v: object) -> str:
    return escape(str(v))


def money(v: float | None, currency: str) -> str:
    return format_value(metric("spend"), v, currency)


def pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


def _when(v: datetime | date | None) -> str:
    if v is None:
        return "–"
    return f"{v:%a %b %d %H:%M}" if isinstance(v, datetime) else f"{v:%b %d}"


def _head(*columns: str, utc: bool = False) -> str:
    """A table's header row, labelled by the column catalogue (queries/columns.py) as the app's tables."""
    cells = "".join(f"<th>{_e(column_label(c))}{' (UTC)' if utc and c.endswith('_at') else ''}</th>" for c in columns)
    return f"<tr>{cells}</tr>"


def _section(d: Digest, key: str, title: str, body: str) -> str:
    return (f'<section id="{key}"><h2>{_e(title)} <a class="view" href="{_e(d.links[key])}">open in Revline →</a>'
            f"</h2>{body}</section>")  # fmt: skip


def _change(r: dict) -> str:
    if r["change"] is None:
        return '<span class="muted">no change shown</span>'
    good = (r["change"] > 0) == metric(r["name"]).higher_is_better if "name" in r else None
    cls = "" if good is None or r["change"] == 0 else ("good" if good else "bad")
    return f'<span class="{cls}">{r["change"]:+.1%}</span>'


def _notes(d: Digest, name: str, *kinds: str) -> list[str]:
    """Metric `name`'s notes of `kinds` (queries/notes.py): the tiles' wording. No comparison note: a
    missing change says "no change shown"."""
    return [n.text for n in metric_notes(d.summary["metrics"][name], d.summary["comparison"]) if n.kind in kinds]


def _no_data(d: Digest, name: str) -> str | None:
    """Why a section has nothing to show when its sources cover none of the week (never "0 leads")."""
    return f'<p class="muted">{_e(said[0])}</p>' if (said := _notes(d, name, "no_data")) else None


def tiles(d: Digest) -> str:
    cards = []
    for name in d.metrics:
        m, r = metric(name), {**d.summary["metrics"][name], "name": name}
        lines_ = [f'<div class="label">{_e(shown_label(m.label, r))}</div>',
                  f'<div class="value">{_e(format_value(m, r["value"], d.currency))}</div>',
                  f'<div class="cmp">{_change(r)} vs {_e(format_value(m, r["comparison"], d.currency))}</div>']  # fmt: skip
        if r["target"] is not None:
            pace = "" if r["pace"] is None else f' · pace {r["pace"]:.0%}'
            lines_.append(f'<div class="cmp">target {_e(format_value(m, r["target"], d.currency))}{pace}</div>')
        lines_ += [f'<div class="note">{_e(text)}</div>' for text in _notes(d, name, "no_data", "incomplete", "cohort")]
        cards.append(f'<div class="tile" data-metric="{_e(name)}">{"".join(lines_)}</div>')
    return _section(d, "tiles", "Headline", f'<div class="tiles">{"".join(cards)}</div>')


def trend(d: Digest) -> str:
    x = [f"{r['period']:%b %d}" for r in d.trend]
    money_ = lines(x, {metric(k).label: [r[k] for r in d.trend] for k in ("revenue", "new_pipeline")})
    stages = lines(x, {SERIES[k]: [r[k] for r in d.trend] for k in ("leads", "mqls", "sqls")})
    return _section(d, "trend", "Last 13 weeks", f'<div class="charts">{money_}{stages}</div>'
                    '<p class="muted">Each line is scaled to its own highest week.</p>')  # fmt: skip


def movers(d: Digest) -> str:
    if not d.movers:
        return _section(d, "movers", "Top movers", '<p class="muted">No comparison data for this week.</p>')
    head = _head("metric", "now", "before", "change", "drivers")
    body = []
    for r in d.movers:
        m = metric(r["name"])
        drivers = ", ".join(
            f'<a href="{_e(x["link"])}">{_e(value_label(x["dimension"], x["slice"]) or x["slice"])}</a> {_e(format_value(m, x["comparison"], d.currency))} → '
            f'{_e(format_value(m, x["value"], d.currency))}' for x in r["drivers"]) or '<span class="muted">–</span>'  # fmt: skip
        body.append(f'<tr data-metric="{_e(r["name"])}"><td>{_e(m.label)}</td>'
                    f'<td class="n">{_e(format_value(m, r["value"], d.currency))}</td>'
                    f'<td class="n">{_e(format_value(m, r["comparison"], d.currency))}</td>'
                    f'<td class="n">{_change(r)}</td><td>{drivers}</td></tr>')  # fmt: skip
    return _section(d, "movers", "Top movers", f"<table>{head}{''.join(body)}</table>")


def cost_per_stage(d: Digest) -> str:
    rows = [r for r in d.cost_per_stage if r["segment"] is not None]
    if missing := _no_data(d, "cost_per_mql"):
        return _section(d, "cost_per_stage", "Cost per stage by channel", missing)
    if not rows:
        return _section(d, "cost_per_stage", "Cost per stage by channel", '<p class="muted">No spend or leads this week.</p>')
    cols = ("spend", "leads", "mqls", "sqls", "cpl", "cost_per_mql", "cost_per_sql", "cost_per_customer")
    head = _head("channel", *cols)
    body = []
    for r in rows:
        cells = "".join(f'<td class="n">{_e(_cost_cell(r, k, d.currency))}</td>' for k in cols)
        body.append(f'<tr data-channel="{_e(r["segment"])}"><td>{_e(value_label("channel", r["segment"]))}</td>{cells}</tr>')
    paid = [r for r in rows if r["cost_per_mql"] is not None]
    chart = bars([value_label("channel", r["segment"]) for r in paid], [float(r["cost_per_mql"]) for r in paid],
                 lambda v: money(v, d.currency))  # fmt: skip
    caption = '<p class="muted">Cost per MQL by paid channel; organic channels have no cost data, not zero cost.</p>'
    return _section(d, "cost_per_stage", "Cost per stage by channel",
                    f"<table>{head}{''.join(body)}</table>{chart}{caption if paid else ''}")  # fmt: skip


def _cost_cell(r: dict, key: str, currency: str) -> str:
    """A channel without ad spend rows has spend NULL (paid_media/cost_per_stage): "no ad spend", and
    no cost per stage, never $0."""
    if key == "spend" and r["spend"] is None:
        return "no ad spend"
    if key == "spend" or key.startswith("c"):
        return money(r[key], currency)
    return compact(float(r[key]), 0)


def funnel(d: Digest) -> str:
    if missing := _no_data(d, "leads"):
        return _section(d, "funnel", "Funnel", missing)
    if not d.funnel or d.funnel[0]["records"] == 0:
        return _section(d, "funnel", "Funnel", '<p class="muted">No leads created this week.</p>')
    chart = bars([value_label("stage", r["stage"]) for r in d.funnel],
                 [r["records"] for r in d.funnel],
                 lambda v: f"{v:,.0f}")  # fmt: skip
    rates = " · ".join(f"{value_label('stage', r['stage'])} {pct(r['top_rate'])}" for r in d.funnel[1:])
    return _section(d, "funnel", "Funnel", f'{chart}<p class="muted">Leads created this week and how far they '
                    f"got so far (share of leads: {_e(rates)}).</p>")  # fmt: skip


def sla(d: Digest) -> str:
    head = _head("rep", "mqls", "met", "breached", "pending", "compliance", "median_minutes")
    minutes = metric("speed_to_lead_median")
    body = [f'<tr data-owner="{_e(r["segment"])}"><td>{_e(r["segment"])}</td><td class="n">{r["mqls"]}</td>'
            f'<td class="n">{r["met"]}</td><td class="n">{r["breached"]}</td><td class="n">{r["pending"]}</td>'
            f'<td class="n">{pct(r["compliance"])}</td><td class="n">{_e(format_value(minutes, r["median_minutes"]))}</td></tr>'
            for r in d.sla_by_rep]  # fmt: skip
    if missing := _no_data(d, "sla_compliance"):
        return _section(d, "sla", "SLA compliance by rep", missing)
    if not body:
        return _section(d, "sla", "SLA compliance by rep", '<p class="muted">No MQLs this week.</p>')
    shown = d.breaches[: d.breach_limit]
    breach_rows = "".join(
        f'<tr><td>{_e(b["lead_id"])}</td><td>{_e(b["owner"] or "(no owner)")}</td><td>{_e(value_label("channel", b["channel"]) or "–")}</td>'
        f'<td>{_e(_when(b["clock_start_at"]))}</td><td>{_e(_when(b["deadline_at"]))}</td>'
        f'<td>{_e(_when(b["touch_at"]) if b["touch_at"] else "not touched")}</td></tr>' for b in shown)  # fmt: skip
    more = f'<p class="muted">… and {len(d.breaches) - len(shown)} more.</p>' if len(d.breaches) > len(shown) else ""
    head_ = _head("lead_id", "rep", "channel", "clock_start_at", "deadline_at", "first_touch_at", utc=True)
    breaches = (f"<h3>Breaches ({len(d.breaches)})</h3><table>{head_}{breach_rows}</table>{more}"
                if d.breaches else '<p class="muted">No breaches this week.</p>')  # fmt: skip
    return _section(d, "sla", "SLA compliance by rep", f"<table>{head}{''.join(body)}</table>{breaches}")


def coverage(d: Digest) -> str:
    notes = "".join(f"<li>{_e(n)}</li>" for n in d.summary["coverage"]["notes"])
    incomplete = "".join(f"<li>{_e(metric(n).label)}: {_e(text)}</li>"
                         for n in d.summary["metrics"] if n in d.metrics for text in _notes(d, n, "no_data", "incomplete"))  # fmt: skip
    sources = "".join(f"<tr><td>{_e(x['label'])}</td><td>{_e(x['first_day'])}</td><td>{_e(x['last_day'])}</td></tr>"
                      for x in d.summary["coverage"]["sources"])  # fmt: skip
    table = f"<table>{_head('source', 'data_from', 'data_through')}{sources}</table>" if sources else ""
    return _section(d, "coverage", "Coverage and freshness", f"<ul>{notes}{incomplete}</ul>{table}")


RENDER = {"tiles": tiles, "trend": trend, "movers": movers, "cost_per_stage": cost_per_stage, "funnel": funnel,
          "sla": sla, "coverage": coverage}  # fmt: skip


def render(d: Digest) -> str:
    period = days((d.start, d.end))
    cmp = d.summary["comparison"]
    header = (f"<h1>{_e(d.title)}: {_e(period)}</h1><p class='muted'>Compared with the {_e(COMPARE[d.compare].lower())} "
              f"({_e(days((date.fromisoformat(cmp['start']), date.fromisoformat(cmp['end']))))}); as of "
              f"{_e(d.summary['as_of'])}; data through {_e(d.summary['coverage']['data_through'] or '–')}.</p>")  # fmt: skip
    if d.demo:  # the demo's invented numbers, said before anything else (and in the PDF printed from this)
        header = f'<p class="demo" style="background:#fff3cd;padding:8px;font-weight:bold">{_e(DEMO_NOTE)}.</p>{header}'
    body = "".join(RENDER[s](d) for s in d.sections)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(DEMO_TAG if d.demo else "")}{_e(d.title)} {_e(period)}</title>'
            f"<style>{CSS}</style></head><body>{header}{body}"
            f"<footer>Revline · numbers as on the dashboard for this range · "
            f'<a href="{_e(d.links.get("tiles", next(iter(d.links.values()), "")))}">open the dashboard</a></footer>'
            "</body></html>")  # fmt: skip


def text(d: Digest) -> str:
    """The plain-text part of the mail and the Slack message: the headline tiles and the link."""
    out = [f"{d.title}: {days((d.start, d.end))} (vs the {COMPARE[d.compare].lower()})"]
    if d.demo:
        out.insert(0, f"{DEMO_NOTE}.")
    for name in d.metrics:
        m, r = metric(name), d.summary["metrics"][name]
        change = "" if r["change"] is None else f" ({r['change']:+.1%})"
        out.append(f"• {shown_label(m.label, r)}: {format_value(m, r['value'], d.currency)}{change}")
    out += [*d.summary["coverage"]["notes"], f"Dashboard: {next(iter(d.links.values()), '')}"]
    return "\n".join(out)
