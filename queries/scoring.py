"""The score-band verdicts in words (queries/handoff/score_bands.sql rows of the total): does
conversion rise with the band (calibration), which MQL threshold the stated rule suggests, and are
higher bands followed up faster (routing). The comparisons are the query's columns; this module only
says them, so the Handoff page, the tests and any report read one sentence."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

Row = dict[str, Any]


def _scored(rows: list[Row]) -> list[Row]:
    """The total's scored bands with leads, highest first: the ones compared."""
    return sorted((r for r in rows if r["segment"] == "all" and r["score_band"] != "Unscored" and r["leads"]),
                  key=lambda r: r["band_order"])  # fmt: skip


def wait(minutes: float) -> str:
    """90 -> "1 h 30 min", 6.4 -> "6 min", 3000 -> "2 d 2 h" (working minutes on the SLA clock)."""
    if minutes >= 24 * 60:
        days, hours = divmod(round(minutes / 60), 24)
        return f"{days} d {hours} h" if hours else f"{days} d"
    hours, mins = divmod(round(minutes), 60)
    return (f"{hours} h {mins} min" if mins else f"{hours} h") if hours else f"{mins} min"


def calibration(rows: list[Row]) -> str:
    bands = _scored(rows)
    if len(bands) < 2:
        return "Too few scored bands have leads in this range to say whether conversion rises with the score."
    for high, low in pairwise(bands):
        if high["sql_rate_rises"] is False:
            return (f"Conversion does not rise with every band: {high['score_band']} turns {high['sql_rate']:.0%} "
                    f"of its leads into SQLs, no more than {low['score_band']}'s {low['sql_rate']:.0%}.")  # fmt: skip
    said = " > ".join(f"{b['score_band']} {b['sql_rate']:.0%}" for b in bands)
    return f"Conversion rises with the band: leads becoming SQLs, {said}."


def mql_threshold(rows: list[Row], min_sql_rate: float) -> str:
    chosen = [b for b in _scored(rows) if b["suggested_mql"]]
    if not chosen:
        return (f"No band from the top turns {min_sql_rate:.0%} of its leads into SQLs, so no score is a "
                "threshold the rule can suggest.")  # fmt: skip
    low = chosen[-1]
    where = (f"a score of {low['min_score']:g} ({low['score_band']} and above)" if low["min_score"] is not None
             else f"the {low['score_band']} band and above")  # fmt: skip
    return (f"Suggested MQL threshold: {where}: every band from the top down to it turns at least "
            f"{min_sql_rate:.0%} of its leads into SQLs.")  # fmt: skip


def routing(rows: list[Row]) -> str:
    bands = [b for b in _scored(rows) if b["median_minutes"] is not None]
    if len(bands) < 2:
        return "Too few bands have touched MQLs in this range to compare how fast each is followed up."
    for high, low in pairwise(bands):
        if high["median_minutes"] >= low["median_minutes"]:
            return (f"Higher bands are not followed up faster: {high['score_band']} MQLs wait a median "
                    f"{wait(high['median_minutes'])} for a first touch, {low['score_band']} ones "
                    f"{wait(low['median_minutes'])}.")  # fmt: skip
    return (f"Higher bands are followed up faster: {bands[0]['score_band']} MQLs wait a median "
            f"{wait(bands[0]['median_minutes'])} for a first touch, {bands[-1]['score_band']} ones "
            f"{wait(bands[-1]['median_minutes'])}.")  # fmt: skip
