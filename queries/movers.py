"""What changed (issue 16 point 6), for the Overview and the weekly digest alike: the movers ranked by
business impact, not by % change, with better/worse said by colour, arrow and word, and each one's
drivers: the channel, platform or rep whose own move went the same way most.

A ratio on a small base swings wildly in relative terms (close rate 10.7% -> 1.5% is -86%), so a
ratio's move is its change in percentage points, and every move counts at most 100%. Headline
metrics weigh more: the Overview's first four tiles (revenue, pipeline, customers, spend) 3, its
other tiles 2, every other metric 1. Impact = weight x min(|move|, 1).

A driver is a slice's own move (its value now minus before, the summary with that one filter: the
dashboard's number for the slice). For sums it is the slice's share of the change; for rates, the
slice whose rate moved most the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from queries.markdown import plain
from queries.registry import Metric, format_value, metric
from queries.runner import run
from queries.summary import summarize
from queries.values import value_label
from queries.view import View

DRIVER_DIMENSIONS = ("channel", "platform", "owner")


@dataclass(frozen=True)
class Mover:
    name: str
    label: str
    now: str
    before: str
    change: str  # "+12.3%" or "-9.2 pp"
    better: bool
    up: bool
    impact: float


def movers(results: dict[str, dict], headline: tuple[str, ...], currency: str = "USD",
           limit: int = 8) -> list[Mover]:  # fmt: skip
    """The `limit` biggest movers of summary `results` (name -> value, comparison, change)."""
    out = []
    for name, r in results.items():
        if r.get("change") is None or r.get("value") is None or r.get("comparison") is None:
            continue
        m = metric(name)
        move, shown = _move(m, r)
        if move == 0:
            continue
        weight = 3 if name in headline[:4] else 2 if name in headline else 1
        out.append(Mover(name, m.label, format_value(m, r["value"], currency), format_value(m, r["comparison"], currency),
                         shown, (move > 0) == m.higher_is_better, move > 0, weight * min(abs(move), 1.0)))  # fmt: skip
    return sorted(out, key=lambda x: -x.impact)[:limit]


def _move(m: Metric, r: dict) -> tuple[float, str]:
    if m.unit == "ratio":
        pp = float(r["value"]) - float(r["comparison"])
        return pp, f"{pp * 100:+.1f} pp"
    return float(r["change"]), f"{r['change']:+.1%}"


def movers_table(rows: list[Mover], driven: dict[str, list[dict]] | None = None, currency: str = "USD") -> str:
    """A table: green = better, red = worse; the arrow is the direction, the word says which. With
    `driven` (metric name -> drivers), a column naming each mover's drivers."""
    lines = ["| Metric | Now | Before | Change |" + (" Driven by |" if driven is not None else ""),
             "|:--|--:|--:|:--|" + (":--|" if driven is not None else "")]  # fmt: skip
    for x in rows:
        colour, word = ("green", "better") if x.better else ("red", "worse")
        line = f"| {x.label} | {x.now} | {x.before} | :{colour}[{'▲' if x.up else '▼'} {x.change} ({word})] |"
        if driven is not None:
            line += " " + ("; ".join(_driver(x.name, d, currency) for d in driven.get(x.name, [])) or "–") + " |"
        lines.append(line)
    return "\n".join(lines)


def _driver(name: str, d: dict, currency: str) -> str:
    m = metric(name)
    return (f"{plain(value_label(d['dimension'], d['slice']) or d['slice'])}: "
            f"{format_value(m, d['comparison'], currency)} → {format_value(m, d['value'], currency)}")


def slices(view: View, names: list[str], db: Path | None = None) -> dict[tuple[str, str], dict]:
    """(dimension, value) -> the summary of `names` for the view with that one more filter, for every
    value of DRIVER_DIMENSIONS the view still spans (a dimension filtered to one value has no driver)."""
    out = {}
    for kind, value in run("filters/options", db=db).iter_rows():
        chosen = view.dims.get(kind)
        if kind in DRIVER_DIMENSIONS and (chosen is None or (len(chosen) > 1 and value in chosen)):
            sliced = View(view.start, view.end, view.compare, view.as_of, {**view.dims, kind: value})
            out[kind, value] = summarize(view=sliced, names=names, db=db)["metrics"]
    return out


def drivers(name: str, up: bool, by_slice: dict[tuple[str, str], dict], limit: int = 2) -> list[dict]:
    """The `limit` slices whose own move of metric `name` went the same way (`up`) most."""
    found = []
    for (kind, value), results in by_slice.items():
        r = results.get(name) or {}
        if r.get("not_split_by") or r.get("value") is None or r.get("comparison") is None:
            continue
        delta = float(r["value"]) - float(r["comparison"])
        if delta != 0 and (delta > 0) == up:
            found.append({"dimension": kind, "slice": value, "value": r["value"], "comparison": r["comparison"],
                          "delta": delta})  # fmt: skip
    out: list[dict] = []
    for x in sorted(found, key=lambda x: -abs(x["delta"])):  # ties keep channel, platform, rep order
        if not any((x["value"], x["comparison"]) == (o["value"], o["comparison"]) for o in out):
            out.append(x)  # Google Ads and Paid search with the same numbers: one slice, said once
    return out[:limit]
