"""What changed on the Overview (issue 16 point 6): the movers ranked by business impact, not by %
change, with better/worse said by colour, arrow and word.

A ratio on a small base swings wildly in relative terms (close rate 10.7% -> 1.5% is -86%), so a
ratio's move is its change in percentage points, and every move counts at most 100%. Headline
metrics weigh more: the Overview's first four tiles (revenue, pipeline, customers, spend) 3, its
other tiles 2, every other metric 1. Impact = weight x min(|move|, 1)."""

from __future__ import annotations

from dataclasses import dataclass

from queries.registry import Metric, format_value, metric


@dataclass(frozen=True)
class Mover:
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
        out.append(Mover(m.label, format_value(m, r["value"], currency), format_value(m, r["comparison"], currency),
                         shown, (move > 0) == m.higher_is_better, move > 0, weight * min(abs(move), 1.0)))  # fmt: skip
    return sorted(out, key=lambda x: -x.impact)[:limit]


def _move(m: Metric, r: dict) -> tuple[float, str]:
    if m.unit == "ratio":
        pp = float(r["value"]) - float(r["comparison"])
        return pp, f"{pp * 100:+.1f} pp"
    return float(r["change"]), f"{r['change']:+.1%}"


def markdown(rows: list[Mover]) -> str:
    """A table: green = better, red = worse; the arrow is the direction, the word says which."""
    lines = ["| Metric | Now | Before | Change |", "|:--|--:|--:|:--|"]
    for x in rows:
        colour, word = ("green", "better") if x.better else ("red", "worse")
        lines.append(f"| {x.label} | {x.now} | {x.before} | :{colour}[{'▲' if x.up else '▼'} {x.change} ({word})] |")
    return "\n".join(lines)
