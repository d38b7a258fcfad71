"""What to say beside one metric's value, worded once for every surface: the KPI tiles (ui/kpi.py),
the summary command's table (queries/__main__.py) and the digest (reports/render.py) each only
format these notes (a colour, a table cell, HTML). Rules: docs/decisions/0064-metrics-without-full-coverage-say-so.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from queries.coverage import days

KINDS = ("not_split_by", "no_data", "incomplete", "comparison", "cohort")  # the order notes come in


@dataclass(frozen=True)
class Note:
    kind: str  # one of KINDS
    text: str  # plain text, a whole sentence


ASSUMED = "assumed"
ASSUMED_NOTE = "Assumed: from config [kpi] (no Stripe export covers the period, or a filter is set), not measured."


def shown_label(label: str, r: dict) -> str:
    """A metric's label as every surface shows it: "LTV (assumed)" when its value is the config
    assumption rather than a measurement (summary `assumed`; registry `basis_column`)."""
    return f"{label} ({ASSUMED})" if r.get("assumed") else label


def metric_notes(r: dict, comparison: dict) -> list[Note]:
    """Why one result of the summary (`summarize()["metrics"][name]`) has no value, is to be read with
    care, or has no change; `comparison` is the summary's comparison period (its "comparison")."""
    notes = [Note("not_split_by", f"Not split by {d}: {why}.") for d, why in r.get("not_split_by", {}).items()]
    now, before = r["coverage"], r["comparison_coverage"]
    if now["status"] == "no_data":
        notes.append(Note("no_data", f"{now['note']}."))
    elif now["status"] == "incomplete":
        notes.append(Note("incomplete", now["note"]))
    if before["status"] != "complete":
        span = days((date.fromisoformat(comparison["start"]), date.fromisoformat(comparison["end"])))
        notes.append(Note("comparison", f"No change: {span} is not fully covered."))
    elif r.get("comparison_as_of") and r.get("comparison") is not None:  # a cohort rate (0117)
        when = datetime.fromisoformat(r["comparison_as_of"])
        notes.append(Note("cohort", f"Compared at the same age: the earlier cohort as it stood on {when:%b %d, %Y}."))
    return notes
