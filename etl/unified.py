"""Each ad contract's mapping into ad_spend, as SQL: the fields of one vocabulary (Fivetran's
dbt_ad_reporting keeps the same per-source field map as data) filled from the staging columns that
declare `maps_to`, or from the contract's `unified` SQL expressions; a field neither names is NULL.
And the sources coverage reports on (etl/sql/85_mart_coverage.sql), from the same contracts: a new
ad platform is a contract and its `[[platform]]` in config/channels.toml, never a row in SQL.
"""

from __future__ import annotations

from etl.contracts import CRM_NAMES, Contract, all_contracts
from etl.parse_sql import SQL_TYPES

# the vocabulary of ad_spend before it is summed and converted (etl/sql/10_ad_spend.sql), with types
AD_FIELDS = {
    "account_id": "id", "account_name": "text", "campaign_id": "id", "campaign_name": "text",
    "campaign_group": "text", "date": "date", "impressions": "int", "clicks": "int", "spend": "money",
    "currency": "text", "conversions": "number", "conversion_value": "money",
}  # fmt: skip
# the measures that add up across rows of one campaign and day (the per-file invariant checks the first three)
SUMMED = ("impressions", "clicks", "spend", "conversions", "conversion_value")
CHECKED = ("spend", "impressions", "clicks")
# the vocabulary of web_sessions (etl/sql/15_web_sessions.sql): GA4 report downloads by day, one
# contract per report (its `unified.report`: channel, source_medium, landing_page)
WEB_FIELDS = {
    "date": "date", "channel_group": "text", "source_medium": "text", "landing_page": "text",
    "sessions": "int", "users": "int", "new_users": "int", "engaged_sessions": "int", "key_events": "number",
}  # fmt: skip
# unified table -> what coverage calls its sources' kind, in the order coverage lists them
KINDS = {"ad_spend": "ads", "leads": "leads", "deals": "deals", "activities": "activities",
         "sales_activities": "activities", "web_sessions": "web", "search_daily": "search", "subscriptions": "billing"}


def ad_contracts() -> tuple[Contract, ...]:
    return tuple(c for c in all_contracts() if dict(c.unified).get("table") == "ad_spend")


def field_exprs(c: Contract) -> dict[str, str]:
    """Field of the vocabulary -> SQL over the contract's staging columns, typed as the vocabulary."""
    direct = {col.maps_to: f'"{col.name}"' for col in c.columns if col.maps_to}
    given = {k: f"({v})" for k, v in c.unified if k not in ("table", "platform")}
    unknown = (set(direct) | set(given)) - set(AD_FIELDS)
    if unknown:
        raise ValueError(f"{c.name}: maps to unknown ad_spend fields {sorted(unknown)}")
    return {f: f"cast({direct.get(f) or given.get(f) or 'null'} as {SQL_TYPES[t]})" for f, t in AD_FIELDS.items()}


def ad_rows_sql(c: Contract, table: str | None = None) -> str:
    """One contract's staging rows (or `table`, with the same columns) in the vocabulary, at the file's grain."""
    platform = dict(c.unified)["platform"].replace("'", "''")
    fields = ", ".join(f"{expr} as {f}" for f, expr in field_exprs(c).items())
    return f"select '{platform}' as platform, {fields}, load_id, source_line from {table or c.stg_table}"


def ad_rows_view() -> str:
    """`_ad_rows`: every ad contract's rows in one vocabulary (read by etl/sql/10_ad_spend.sql)."""
    union = "\nunion all\n".join(ad_rows_sql(c) for c in ad_contracts())
    return f"create or replace temp view _ad_rows as\n{union}"


def web_contracts() -> tuple[Contract, ...]:
    return tuple(c for c in all_contracts() if dict(c.unified).get("table") == "web_sessions")


def web_rows_view() -> str:
    """`_web_rows`: every GA4 report contract's staging rows in web_sessions' vocabulary, with the
    report they come from (read by etl/sql/15_web_sessions.sql): a new report is a contract."""
    selects = []
    for c in web_contracts():
        direct = {col.maps_to: f'"{col.name}"' for col in c.columns if col.maps_to}
        unknown = set(direct) - set(WEB_FIELDS)
        if unknown:
            raise ValueError(f"{c.name}: maps to unknown web_sessions fields {sorted(unknown)}")
        fields = ", ".join(f"cast({direct.get(f, 'null')} as {SQL_TYPES[t]}) as {f}" for f, t in WEB_FIELDS.items())
        report = dict(c.unified)["report"].replace("'", "''")
        selects.append(f"select '{report}' as report, {fields}, load_id, source_line from {c.stg_table}")
    return "create or replace temp view _web_rows as\n" + "\nunion all\n".join(selects)


def _text(v: str | None) -> str:
    return "null" if v is None else "'" + v.replace("'", "''") + "'"


def coverage_sources_view() -> str:
    """`_coverage_sources`: every contract feeding a unified table, with its coverage kind, platform
    (ad platforms: labelled and ordered by config/channels.toml, table config_platforms) or CRM name.
    Values come from the contracts in this repository, not from user input."""
    rows = []
    for c in all_contracts():
        table = dict(c.unified).get("table")
        if table not in KINDS:
            continue
        platform = dict(c.unified).get("platform")
        # a CRM export type by its CRM and entity; another source (GA4) by its contract's label
        crm = None if platform else f"{CRM_NAMES[c.source]} {c.entity}" if c.source in CRM_NAMES else c.label
        rows.append(f"({_text(c.name)}, {_text(KINDS[table])}, {list(KINDS).index(table)}, {_text(crm)}, "
                    f"{_text(platform)}, {_text(None if platform else c.source)})")  # fmt: skip
    return ("create or replace temp view _coverage_sources(adapter, kind, kind_order, crm_label, platform, "
            "source_system) as\nselect * from (values " + ",\n    ".join(rows) + ")")  # fmt: skip
