"""The column catalogue, said once: every column a table can show, with its label and kind (money,
percent, multiple, count, duration, date...), and per table its default sort, main columns (the
rest sit behind an "All columns" toggle so a table fits 1280 px) and columns to drop when they say
nothing. `ui.format.table` applies it, so values stay numbers (sortable, downloadable) while the
grid shows $1,234, 4.3%, 2.10x, 14 min. A column that is a registry metric takes its label from
queries/registry.toml."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from queries.registry import metrics
from queries.settings import load_settings
from queries.values import COLUMN_KINDS, value_label

# kind -> what the grid shows; units of the registry map onto these kinds
UNIT_KIND = {"currency": "money", "count": "count", "ratio": "percent", "multiple": "multiple",
             "minutes": "minutes", "days": "days", "months": "months"}  # fmt: skip
PRINTF = {"multiple": "%.2fx", "count": "localized", "minutes": "%,.0f min", "hours": "%,.1f h",
          "days": "%,.1f d", "months": "%,.1f mo", "percent": "percent", "number": "localized"}  # fmt: skip
SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
CENTS = {"cpc", "cpm"}  # prices under a unit of currency: shown with cents; other money in whole units

# column -> (label, kind). Registry metrics are added below with their own labels.
COLUMNS: dict[str, tuple[str, str]] = {
    # names and dimensions
    "platform": ("Platform", "text"), "campaign": ("Campaign", "text"), "rep": ("Rep", "text"),
    "channel": ("Channel", "text"), "owner": ("Owner", "text"), "stage": ("Stage", "text"),
    "metric": ("Metric", "text"), "name": ("Name", "text"), "team": ("Team", "text"),
    "metric_id": ("Id (config, CLI)", "text"), "definition": ("Definition", "text"), "formula": ("Formula", "text"), "unit": ("Unit", "text"),
    "better when": ("Better when", "text"), "query": ("Query", "text"), "segment": ("Segment", "text"),
    "forecast_category": ("Forecast category", "text"), "transition": ("Transition", "text"),
    "outcome": ("Outcome", "text"), "reason": ("Reason", "text"), "status": ("Status", "text"),
    "lead_id": ("Lead", "text"), "campaign_name": ("Campaign", "text"), "age_band": ("Age", "text"),
    "adapter": ("Export", "text"), "source": ("Source", "text"), "source_system": ("Source", "text"),
    "pipeline": ("Pipeline", "text"), "config_line": ("Line to add to config/revline.toml", "text"),
    "file_name": ("File", "text"), "message": ("Message", "text"), "raw_line": ("Raw line", "text"),
    "table_name": ("Table", "text"), "load_id": ("Load", "count"), "line_number": ("Line", "count"),
    # overview movers: already formatted by the registry
    "now": ("Now", "text"), "before": ("Before", "text"), "change": ("Change", "percent"),
    "good": ("Better?", "bool"),
    # counts
    "impressions": ("Impressions", "count"), "clicks": ("Clicks", "count"), "records": ("Records", "count"),
    "won": ("Won", "count"), "lost": ("Lost", "count"), "created": ("Created", "count"),
    "created_won": ("Created and won", "count"), "open_deals": ("Open deals", "count"),
    "meetings": ("Meetings", "count"), "deals": ("Deals", "count"), "touched": ("Touched", "count"),
    "never_touched": ("Never touched", "count"), "met": ("Met SLA", "count"), "breached": ("Breached", "count"),
    "pending": ("Pending", "count"), "entered": ("Entered", "count"), "moved": ("Moved on", "count"),
    "stage_order": ("Step", "count"), "drop_off": ("Drop-off", "count"), "stays": ("Stays", "count"),
    "in_stage_now": ("In stage now", "count"), "accounts": ("Accounts", "count"), "loads": ("Loads", "count"),
    "rows_read": ("Rows read", "count"), "rows_loaded": ("Rows loaded", "count"),
    "rows_merged": ("Merged", "count"), "rows_rejected": ("Rejected", "count"),
    "rows_duplicate": ("Duplicates", "count"), "rows_skipped": ("Skipped", "count"),
    "row_count": ("Rows", "count"), "days_behind": ("Days behind newest", "count"), "gap_days": ("Gap days", "count"),
    # money
    "cpl": ("CPL", "money"), "won_amount": ("Won amount", "money"), "open_pipeline": ("Open pipeline", "money"),
    "quota": ("Quota", "money"), "amount": ("Amount", "money"), "closing_in_range": ("Closing in range", "money"),
    # rates
    "step_rate": ("Step rate", "percent"), "top_rate": ("Rate from top", "percent"), "share": ("Share", "percent"),
    "compliance": ("SLA compliance", "percent"),
    # durations
    "median_minutes": ("Median response", "minutes"), "p90_minutes": ("P90 response", "minutes"),
    "age_hours": ("Age", "hours"), "hours_to_deadline": ("Left to deadline", "hours"),
    "median_days": ("Median", "days"), "p90_days": ("P90", "days"), "avg_days": ("Average", "days"),
    "median_age_days": ("Median age now", "days"), "avg_cycle_days": ("Average cycle", "days"),
    # dates
    "data_from": ("Data from", "date"), "data_through": ("Data through", "date"),
    "last_exported_at": ("Last exported", "datetime"), "last_loaded_at": ("Last loaded", "datetime"),
    "last_failure_at": ("Last failure", "datetime"), "finished_at": ("Finished", "datetime"),
    "loaded_at": ("Loaded", "datetime"), "first_at": ("First", "datetime"), "last_at": ("Last", "datetime"),
    "clock_start_at": ("MQL at", "datetime"), "deadline_at": ("Deadline", "datetime"),
}  # fmt: skip
COLUMNS.update({  # the record lists (pages/records.py, queries/records/) and the Handoff queue
    "deal_id": ("Deal", "text"), "crm_link": ("Open in CRM", "link"), "band": ("Response band", "text"),
    "sla_status": ("SLA", "text"), "response_minutes": ("Response (min)", "minutes"),
    "response": ("Response time", "text"),
    "created_at": ("Created", "datetime"), "mql_at": ("MQL at", "datetime"), "sql_at": ("SQL at", "datetime"),
    "opportunity_at": ("Opportunity at", "datetime"), "customer_at": ("Customer at", "datetime"),
    "first_touch_at": ("First rep touch", "datetime"), "expected_close_at": ("Expected close", "date"),
    "closed_at": ("Closed", "date"), "age": ("Age", "text"), "deadline_in": ("SLA deadline", "text"),
})  # fmt: skip
SHORT = {"ctr": "CTR", "cpc": "CPC", "cpm": "CPM", "platform_roas": "Platform ROAS", "pipeline_roas": "Pipeline ROAS",
         "revenue_roas": "Revenue ROAS", "sales_cycle_days": "Median cycle", "within_5_min_rate": "Within 5 min",
         "mqls": "MQLs", "sqls": "SQLs", "quota_attainment": "Attainment"}  # fmt: skip
for _m in metrics():
    COLUMNS.setdefault(_m.column, (SHORT.get(_m.column, _m.label), UNIT_KIND[_m.unit]))
    COLUMNS.setdefault(_m.name, (SHORT.get(_m.name, _m.label), UNIT_KIND[_m.unit]))

# code values shown by name, not by id (the filters and URLs keep the ids): the value catalogue
READABLE = tuple(COLUMN_KINDS)  # columns whose values are codes (queries/values.py)
readable = value_label  # "google_ads" -> "Google Ads", "about_to_breach" -> "About to breach"


@dataclass(frozen=True)
class Table:
    sort: tuple[str, bool] | None = None  # (column, descending): what matters first
    main: tuple[str, ...] = ()  # shown by default; the rest behind "All columns" (empty: all shown)
    drop_constant: tuple[str, ...] = ()  # dropped when every row has the same value (segment = all)


# table name (the CSV name a page passes) -> how it is shown
TABLES: dict[str, Table] = {
    "platforms": Table(("cpl", True), ("platform", "spend", "leads", "mqls", "sqls", "cpl", "cost_per_sql",
                                         "ctr", "cpc", "platform_roas", "revenue_roas")),
    "campaigns": Table(("cpl", True), ("campaign", "platform", "spend", "leads", "sqls", "cpl", "cost_per_sql",
                                         "revenue_roas")),  # CTR behind "All columns": long names + row select
    "sales-per-rep": Table(("won_amount", True), ("rep", "won", "lost", "win_rate", "won_amount", "avg_deal_size",
                                                  "sales_cycle_days", "open_pipeline", "quota_attainment")),
    "open-pipeline": Table(("amount", True), drop_constant=("segment",)),
    "time-in-stage": Table(),
    "speed-to-lead": Table(("breached", True), ("rep", "mqls", "median_minutes", "p90_minutes",
                                                "within_5_min_rate", "breached", "compliance")),
    "unworked-queue": Table(("hours_to_deadline", False), ("lead_id", "crm_link", "owner", "channel", "campaign_name",
                                                           "age", "deadline_in", "status")),
    "records-leads": Table(None, ("lead_id", "crm_link", "owner", "channel", "campaign_name", "created_at",
                                  "response", "sla_status")),  # stage times behind "All columns": fits 1280 px
    "records-deals": Table(None, ("deal_id", "crm_link", "owner", "channel", "stage", "amount", "created_at",
                                  "closed_at", "outcome")),
    "recycled-mqls": Table(("mqls", True)),
    "funnel": Table(None, ("stage", "records", "step_rate", "top_rate", "drop_off")),
    "freshness": Table(("days_behind", True), ("source", "data_from", "data_through", "days_behind", "gap_days",
                                               "last_loaded_at", "rows_rejected")),
    "load-history": Table(None, ("finished_at", "file_name", "status", "rows_loaded", "rows_rejected", "message")),
    "rejected-rows": Table(None, ("file_name", "line_number", "reason", "raw_line")),
    "revline-definitions": Table(None, ("metric", "team", "definition", "formula")),
}  # fmt: skip
# long text columns get a fixed width (the full text shows on hover and in the CSV) so tables fit 1280 px
WIDTH = {"definition": "large", "formula": "medium", "raw_line": "medium", "message": "medium",
         "config_line": "large", "file_name": "medium"}  # fmt: skip


def label(column: str) -> str:
    return COLUMNS[column][0] if column in COLUMNS else column.replace("_", " ").capitalize()


def config(column: str, currency: str | None = None) -> object:
    """The st.column_config for one column; a column missing from the catalogue still loses its
    snake_case (tests/test_tables.py fails on it, so it gets added here)."""
    text, kind = COLUMNS.get(column, (label(column), "text"))
    if kind == "text":
        return st.column_config.TextColumn(text, width=WIDTH.get(column))
    if kind == "bool":
        return st.column_config.CheckboxColumn(text)
    if kind == "link":  # ui/drill.py puts only http(s) URLs here
        return st.column_config.LinkColumn(text, display_text="Open ↗")
    if kind == "date":
        return st.column_config.DateColumn(text, format="MMM D, YYYY")
    if kind == "datetime":
        return st.column_config.DatetimeColumn(text, format="MMM D, YYYY HH:mm")
    if kind == "money":
        cur = currency or load_settings().reporting_currency
        symbol = SYMBOL.get(cur, f"{cur} ")
        return st.column_config.NumberColumn(text, format=f"{symbol}%,.{2 if column in CENTS else 0}f")
    return st.column_config.NumberColumn(text, format=PRINTF[kind])


# --- Per-rep quotas and highlighting against target or benchmark (ui/highlight.py applies the rules;
# docs/decisions/0085-highlight-rules-judge-cells-against-target-or-benchmark.md) ---
COLUMNS.update({
    "quota_pace": ("Pace", "percent"), "elapsed_share": ("Expected by now", "percent"),
    "attainment_target": ("Attainment target", "percent"),
    "metrics": ("Metrics", "text"), "first_month": ("From", "date"), "last_month": ("Through", "date"),
})  # fmt: skip
TABLES["sales-quotas"] = Table(("quota_attainment", True), ("rep", "quota", "won_amount", "quota_attainment",
                                                            "quota_pace"), ("elapsed_share", "attainment_target"))
TABLES["sales-per-rep"] = Table(("won_amount", True), ("rep", "won", "lost", "win_rate", "won_amount", "avg_deal_size",
                                                      "sales_cycle_days", "open_pipeline", "meetings"))
# (replaces the entry above: quotas have their own table, ui/quota.py)


@dataclass(frozen=True)
class Benchmark:
    """What a column's cells are judged against: a `target` (a number, or the name of a KpiSettings
    field such as "sla_target"), the table's median (`median`: worse by more than MARGIN), or a
    `floor` below which a value is bad (ROAS < 1). `pace` names a column that, when >= 1, excuses a
    value short of its target (behind quota but on pace). `better` is "up" or "down"."""

    better: str
    target: float | str | None = None
    median: bool = False
    floor: float | None = None
    pace: str | None = None


BENCHMARKS: dict[str, Benchmark] = {
    "quota_attainment": Benchmark("up", target=1.0, pace="quota_pace"),
    "compliance": Benchmark("up", target="sla_target"),
    "cpl": Benchmark("down", median=True), "cost_per_sql": Benchmark("down", median=True),
    "platform_roas": Benchmark("up", floor=1.0), "pipeline_roas": Benchmark("up", floor=1.0),
    "revenue_roas": Benchmark("up", floor=1.0),
}  # fmt: skip
