"""Drill-through: which records stand behind an aggregate row, said as URL keys, checked, turned
into the arguments of queries/records/leads.sql or deals.sql, and described in words.

No streamlit here: the app (ui/drill.py, pages/records.py) and the tests share it. Every value is
bound as a query parameter; a value that is not one of the choices falls back and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from queries.runner import parameters
from queries.values import STAGE_LABELS, STAGES

STAGE_WORDS = {s: t if t.isupper() else t.lower() for s, t in STAGE_LABELS.items()}  # in a sentence: "an MQL"
BANDS = ("0-5 min", "5-15 min", "15-60 min", "1-4 h", "4-24 h", "> 24 h", "never")
SLA = ("met", "breached", "pending")
DEAL_SETS = {"closed": "closed (won or lost)", "won": "won", "lost": "lost", "created": "created",
             "open": "open now"}  # fmt: skip
# the bars of the pipeline waterfall (queries/pipeline/moves.sql): a list of the deals behind one
MOVES = {"start": "in the pipeline at the start", "created": "created or re-opened", "pulled_in": "pulled in",
         "increased": "increased", "decreased": "decreased", "pushed_out": "pushed out", "lost": "lost or deleted",
         "won": "won", "end": "in the pipeline at the end"}  # fmt: skip
FUNNEL_KEYS = ("stage", "mode")  # a funnel list: leads by stage, counted as cohort or flow
HANDOFF_KEYS = ("basis", "band", "sla", "rep")  # a handoff list: MQLs by response band, SLA status and rep
# The aggregate queries a drill may name as its origin (`of`), each with the records it lists and the URL
# keys its rows set (ui/drill.py Link refuses any other). The records page applies only the view's
# filters the origin takes, so the list is the row's records even where a filter is not split; and it
# opens a list only for a role that may open the page each of its keys drills from (queries/pages.py).
ORIGINS: dict[str, tuple[str, tuple[str, ...]]] = {
    "paid_media/cost_per_stage": ("leads", (*FUNNEL_KEYS, "row_campaign", "row_platform")),
    "funnel/stages": ("leads", FUNNEL_KEYS),
    "funnel/cohort_maturity": ("leads", (*FUNNEL_KEYS, "cohort")),
    "handoff/response_bands": ("leads", HANDOFF_KEYS),
    "handoff/speed_and_sla": ("leads", HANDOFF_KEYS),
    "handoff/unworked_queue": ("leads", HANDOFF_KEYS),
    "handoff/score_bands": ("leads", ("basis", "score_band", "rep")),  # a band's leads (funnel) or MQLs (handoff)
    "sales/performance": ("deals", ("set", "rep")),
    "sales/activity_targets": ("leads", ("rep",)),  # a rep's new leads (the row's `leads`)
    "sales/pipeline": ("deals", ("set", "deal_stage", "forecast")),
    "sales/time_in_stage": ("deals", ("set", "deal_stage")),
    "pipeline/waterfall": ("deals", ("move",)),
}
# URL key -> (allowed values or None for free text, default)
CHOICES: dict[str, tuple[tuple[str, ...] | None, str | None]] = {
    "records": (("leads", "deals"), "leads"),
    "basis": (("funnel", "handoff"), "funnel"),
    "stage": (STAGES, "lead"),
    "mode": (("cohort", "flow"), "cohort"),
    "cohort": (None, None),
    "band": (BANDS, None),
    "sla": (SLA, None),
    "score_band": (None, None),  # a [[scoring.band]] name (or "Unscored"): config, so free text
    "rep": (None, None),
    "row_campaign": (None, None),
    "row_platform": (None, None),
    "set": (tuple(DEAL_SETS), "closed"),
    "deal_stage": (None, None),
    "forecast": (None, None),
    "move": (tuple(MOVES), None),
    "of": (tuple(ORIGINS), None),
}
DRILL_KEYS: tuple[str, ...] = tuple(CHOICES)
MAX_TEXT = 200  # a free-text value (rep, stage name) longer than this is not a CRM value


@dataclass(frozen=True)
class Drill:
    """The checked drill of a URL, and what was replaced (notes for the page)."""

    values: dict[str, str | None]
    notes: tuple[str, ...] = field(default=())

    @property
    def records(self) -> str:
        return self.values["records"] or "leads"

    @property
    def query(self) -> str:
        return f"records/{self.records}"

    def args(self) -> dict[str, Any]:
        """The drill's arguments of the records query (the view's come from View.params)."""
        v = self.values
        if self.records == "deals":
            return {"deal_set": v["set"], "deal_stage": v["deal_stage"], "forecast": v["forecast"], "rep": v["rep"],
                    "move": v["move"]}
        cohort = date.fromisoformat(v["cohort"]) if v["cohort"] else None
        return {"basis": v["basis"], "stage": v["stage"], "mode": v["mode"], "cohort": cohort, "band": v["band"],
                "score_band": v["score_band"],
                "sla_status": v["sla"], "rep": v["rep"], "row_campaign": v["row_campaign"],
                "row_platform": v["row_platform"]}  # fmt: skip

    def said(self) -> dict[str, str]:
        """The keys narrowing this list (a value other than the default, a key its kind of list takes),
        with `records` always."""
        takes = {k for records, keys in ORIGINS.values() if records == self.records for k in keys} | {"of"}
        return {"records": self.records} | {k: v for k, v in self.values.items()
                                            if k in takes and v is not None and v != CHOICES[k][1]}  # fmt: skip

    def origins(self, key: str) -> tuple[str, ...]:
        """The origins whose rows can set `key` of this list (`of`: only the one it names; a key the
        named origin sets: that origin, so a rep list from the Sales page names the Sales page)."""
        value = self.said()[key]
        of = self.values["of"]
        if of and key not in ("records", "of") and key in ORIGINS[of][1]:
            return (of,)
        return tuple(o for o, (records, keys) in ORIGINS.items()
                     if records == self.records and (key == "records" or key in keys or (key == "of" and o == value)))  # fmt: skip

    def kept_filters(self) -> set[str] | None:
        """The view filters the origin query takes (None: no origin named, all of them)."""
        return set(parameters(self.values["of"])) if self.values["of"] else None


def parse(url: dict[str, str]) -> Drill:
    """The drill of URL query parameters: each key checked; a bad value falls back to the default
    with a note (the page shows it), never an error."""
    values: dict[str, str | None] = {}
    notes: list[str] = []
    for key, (allowed, default) in CHOICES.items():
        raw = url.get(key)
        value = default if raw is None or raw == "" else raw
        if raw and allowed is not None and raw not in allowed:
            notes.append(f"{key}: not one of the choices, showing {default or 'all'}")
            value = default
        elif raw and allowed is None and (len(raw) > MAX_TEXT or not raw.isprintable()):
            notes.append(f"{key}: not a value a CRM holds, showing all")
            value = None
        values[key] = value
    if values["of"] and ORIGINS[values["of"]][0] != (values["records"] or "leads"):
        notes.append(f"of: not an origin of {values['records']}, showing all")
        values["of"] = None
    if values["cohort"]:
        try:
            day = date.fromisoformat(values["cohort"])
            values["cohort"] = day.replace(day=1).isoformat()
        except ValueError:
            notes.append("cohort: not a date, showing every cohort")
            values["cohort"] = None
    return Drill(values, tuple(notes))


def describe(drill: Drill, count: int, start: date, end: date) -> str:
    """What the list is, in words: "42 leads created Oct 01 – Oct 31, 2026 that reached MQL"."""
    v = drill.values
    span = f"{start:%b %d} – {end:%b %d, %Y}"
    if drill.records == "deals":
        noun = "deal" if count == 1 else "deals"
        what = {"open": "open now", "created": f"created {span}"}.get(v["set"] or "", f"{DEAL_SETS[v['set'] or 'closed']} {span}")
        if v["move"]:  # a bar of the pipeline waterfall, between two deals exports
            what = f"closing {span}, {MOVES[v['move']]} between two deals exports"
        text = f"{count:,} {noun} {what}"
        if v["deal_stage"]:
            text += f" in stage {v['deal_stage']}"
        if v["forecast"]:
            text += f", forecast {v['forecast'].replace('_', ' ')}"
    elif v["basis"] == "handoff":
        text = f"{count:,} MQL{'' if count == 1 else 's'} whose SLA clock started {span}"
        if v["band"]:
            text += ", never touched" if v["band"] == "never" else f", first touched within {v['band']}"
        if v["sla"]:
            text += f", SLA {v['sla']}"
    else:
        stage = v["stage"] or "lead"
        noun = "lead" if count == 1 else "leads"
        if v["mode"] == "flow" and stage != "lead":
            text = f"{count:,} {noun} that entered {STAGE_WORDS[stage]} {span}"
        else:
            text = f"{count:,} {noun} created {span}"
            if stage != "lead":
                text += f" that reached {STAGE_WORDS[stage]}"
        if v["cohort"]:
            text += f", of the {date.fromisoformat(v['cohort']):%B %Y} cohort"
    if v["score_band"]:
        text += f", score band {v['score_band']}"
    if v["row_campaign"]:
        text += f", campaign {v['row_campaign']}"
    if v["row_platform"]:
        text += f" on {v['row_platform']}"
    if v["rep"]:
        text += f", rep {v['rep']}"
    return text
