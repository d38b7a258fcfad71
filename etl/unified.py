"""Each ad contract's mapping into ad_spend, as SQL: the fields of one vocabulary (Fivetran's
dbt_ad_reporting keeps the same per-source field map as data) filled from the staging columns that
declare `maps_to`, or from the contract's `unified` SQL expressions; a field neither names is NULL.
"""

from __future__ import annotations

from etl.contracts import Contract, all_contracts
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
