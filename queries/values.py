"""The value catalogue: the code values the warehouse and the queries emit (`paid_social`,
`google_ads`, `best_case`, `about_to_breach`, `loaded_with_rejects`, `ad_spend`...) and what people
read instead, said once. Tables (ui/format.table), charts (ui/charts.py) and the digest
(reports/render.py) all label values here, so it imports no streamlit.

Channel and platform names and colours are data users edit: `[labels]`, `[colors]` and each
`[[platform]]`'s `label` and `color` in config/channels.toml; export types are named by their
contract (etl/contracts/*.toml `label`), CRMs in etl/contracts.py. Values not known here (campaigns,
reps, CRM deal stages) are data and stay as they are; an unknown code in a code column (a channel a
user added without a label) still loses its underscores.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from etl.config import config_dir
from etl.contracts import CRM_NAMES
from etl.currency import CURRENCY_SYMBOL

STAGE_LABELS = {"lead": "Lead", "mql": "MQL", "sql": "SQL", "opportunity": "Opportunity", "customer": "Customer"}
STAGES = tuple(STAGE_LABELS)  # funnel order, everywhere
VISITORS = {"visitor": "Visitors"}  # the flow funnel's top (GA4 sessions, funnel/stages): no records behind it
FUNNEL_ORDER = (*VISITORS, *STAGES)  # the order a chart draws funnel stages in
FORECAST = {"pipeline": "Pipeline", "best_case": "Best case", "commit": "Commit", "omitted": "Omitted",
            "closed": "Closed"}  # fmt: skip
SLA_STATUS = {"met": "Met SLA", "breached": "Breached", "pending": "Pending",
              "about_to_breach": "About to breach"}  # fmt: skip
LOAD_STATUS = {"loaded": "Loaded", "loaded_with_rejects": "Loaded, some rows rejected",
               "duplicate_file": "Already loaded", "failed": "Failed"}  # fmt: skip
OUTCOME = {"recycled": "Recycled", "disqualified": "Disqualified", "won": "Won", "lost": "Lost", "open": "Open",
           "deleted": "Deleted from the CRM"}  # fmt: skip
BAND = {"never": "Never touched"}  # handoff/response_bands: the other bands are already words
TABLE_NAMES = {"ad_spend": "Ad spend", "leads": "Leads", "deals": "Deals", "activities": "Activities",
               "targets": "Targets", "load_log": "Load log", "rejected_rows": "Rejected rows"}  # fmt: skip
SOURCE_SYSTEM = CRM_NAMES  # the CRM a lead or deal came from
TEAM = {"marketing": "Marketing", "sales": "Sales", "shared": "Shared"}
UNIT = {"currency": "Money", "ratio": "%", "count": "Count", "multiple": "Multiple (x)", "minutes": "Minutes",
        "hours": "Hours", "days": "Days", "weeks": "Weeks", "months": "Months"}  # fmt: skip
TRANSITION = " -> "  # funnel/time_in_stage: 'lead -> mql'


def currency_symbol(currency: str) -> str:
    """"$" for USD; "CHF " for a currency without a symbol here (money reads "CHF 1,234")."""
    return CURRENCY_SYMBOL.get(currency, f"{currency} ")


@cache
def _channels(directory: str) -> dict:
    """config/channels.toml as read (empty when missing or unreadable: the load reports that)."""
    try:
        return tomllib.loads((config_dir() / "channels.toml").read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


def _platforms(field: str) -> dict[str, str]:
    return {p["platform"]: p[field] for p in _channels(str(config_dir())).get("platform", []) if field in p}


def channel_labels() -> dict[str, str]:
    return dict(_channels(str(config_dir())).get("labels", {}))


def platform_labels() -> dict[str, str]:
    return _platforms("label")


def channel_colors() -> dict[str, str]:
    """Channel -> its chart colour ([colors] in config/channels.toml)."""
    return dict(_channels(str(config_dir())).get("colors", {}))


def platform_colors() -> dict[str, str]:
    """Ad platform -> its chart colour (each [[platform]]'s `color`)."""
    return _platforms("color")


@cache
def export_labels() -> dict[str, str]:
    """Export types (load_log.adapter) by their contract's label."""
    from etl.contracts import all_contracts

    return {c.name: c.label for c in all_contracts()}


def kinds() -> dict[str, dict[str, str]]:
    """Value kind -> code -> label: every code value the UI may show."""
    return {"stage": {**VISITORS, **STAGE_LABELS}, "channel": channel_labels(), "platform": platform_labels(),
            "forecast_category": FORECAST, "sla_status": SLA_STATUS, "load_status": LOAD_STATUS,
            "outcome": OUTCOME, "band": BAND, "table_name": TABLE_NAMES, "adapter": export_labels(),
            "source_system": SOURCE_SYSTEM, "team": TEAM, "unit": UNIT}  # fmt: skip


# table column -> the kinds of value it holds (a column can hold codes of two kinds: `status` is an
# SLA status in the Handoff queue and a load status in the load history; the codes differ)
COLUMN_KINDS: dict[str, tuple[str, ...]] = {
    "stage": ("stage",), "channel": ("channel",), "platform": ("platform",),
    "forecast_category": ("forecast_category",), "status": ("sla_status", "load_status"),
    "sla_status": ("sla_status",), "outcome": ("outcome",), "band": ("band",), "table_name": ("table_name",),
    "adapter": ("adapter",), "source": ("adapter",), "source_system": ("source_system",), "team": ("team",), "unit": ("unit",), "transition": ("stage",),
}  # fmt: skip
CODE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")  # snake_case: a code, never a word people read


def humanize(code: str) -> str:
    """`organic_video` -> "Organic video": a code nobody labelled, still not snake_case."""
    return code.replace("_", " ").capitalize()


def value_label(column: str, value: str | None) -> str | None:
    """The label of a code value in `column` (see COLUMN_KINDS); other values as they are.
    `stage` holds funnel stages in one table and CRM deal stages in another: only known codes change."""
    if value is None or column not in COLUMN_KINDS:
        return value
    if column == "transition" and TRANSITION in value:
        return " → ".join(value_label("stage", v) or v for v in value.split(TRANSITION))
    all_kinds = kinds()
    for kind in COLUMN_KINDS[column]:
        if value in all_kinds[kind]:
            return all_kinds[kind][value]
    return humanize(value) if CODE.fullmatch(value) and column not in ("stage",) else value


def code_label(value: str) -> str:
    """A category's name for people when its column is not known (chart legends and axes, digest
    cells): any catalogue code -> its label; anything else as it is."""
    for codes in kinds().values():
        if value in codes:
            return codes[value]
    return value


def codes() -> set[str]:
    """Every code of the catalogue that reads as a code (snake_case or an id-like lower-case word that
    differs from its label): none of these may ever reach the screen raw."""
    return {c for codes_ in kinds().values() for c, text in codes_.items() if c != text and CODE.fullmatch(c)}
