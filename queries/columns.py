"""The column catalogue, said once and without streamlit, so the app (ui/columns.py builds the grid's
column configs from it), the summary and the digest share it: every column a table can show, with
its label and kind (money, percent, multiple, count, duration, date...), and per table its default
sort, main columns (the rest sit behind an "All columns" toggle so a table fits 1280 px), columns to
drop when they say nothing, and the cells judged against a target or benchmark. A column that is a
registry metric takes its label (`short`, else `label`) and direction from queries/registry.toml."""

from __future__ import annotations

from dataclasses import dataclass

from queries.registry import metrics
from queries.values import COLUMN_KINDS

# kind -> what the grid shows; units of the registry map onto these kinds
UNIT_KIND = {"currency": "money", "count": "count", "ratio": "percent", "multiple": "multiple",
             "minutes": "minutes", "days": "days", "months": "months"}  # fmt: skip
PRINTF = {"multiple": "%.2fx", "count": "localized", "minutes": "%,.0f min", "hours": "%,.1f h",
          "days": "%,.1f d", "months": "%,.1f mo", "percent": "percent", "number": "localized"}  # fmt: skip
CENTS = {"cpc", "cpm"}  # prices under a unit of currency: shown with cents; other money in whole units

# kind -> column -> label, for the columns that are not registry metrics (those are added below)
BY_KIND: dict[str, dict[str, str]] = {
    "text": {  # names and dimensions; the overview movers' now/before are already formatted by the registry
        "platform": "Platform", "campaign": "Campaign", "rep": "Rep", "channel": "Channel", "owner": "Owner",
        "stage": "Stage", "metric": "Metric", "name": "Name", "team": "Team", "metric_id": "Id (config, CLI)",
        "definition": "Definition", "formula": "Formula", "unit": "Unit", "better when": "Better when",
        "query": "Query", "segment": "Segment", "forecast_category": "Forecast category",
        "transition": "Transition", "outcome": "Outcome", "reason": "Reason", "status": "Status", "lead_id": "Lead",
        "campaign_name": "Campaign", "age_band": "Age", "adapter": "Export", "source": "Source",
        "source_system": "Source", "pipeline": "Pipeline", "config_line": "Line to add to config/revline.toml",
        "file_name": "File", "message": "Message", "raw_line": "Raw line", "table_name": "Table",
        "now": "Now", "before": "Before", "drivers": "Driven by", "metrics": "Metrics",
        # the record lists (pages/records.py, queries/records/) and the Handoff queue
        "deal_id": "Deal", "band": "Response band", "sla_status": "SLA", "response": "Response time", "age": "Age",
        "deadline_in": "SLA deadline", "score_band": "Score band",
        "landing_page": "Landing page", "search_query": "Search query",  # GA4 and Search Console (queries/web/)
    },
    "count": {
        "load_id": "Load", "line_number": "Line", "impressions": "Impressions", "clicks": "Clicks",
        "records": "Records", "won": "Won", "lost": "Lost", "created": "Created", "created_won": "Created and won",
        "open_deals": "Open deals", "meetings": "Meetings booked", "deals": "Deals", "touched": "Touched",
        "never_touched": "Never touched", "met": "Met SLA", "breached": "Breached", "pending": "Pending",
        "entered": "Entered", "moved": "Moved on", "stage_order": "Step", "drop_off": "Drop-off", "stays": "Stays",
        "in_stage_now": "In stage now", "accounts": "Accounts", "loads": "Loads", "rows_read": "Rows read",
        "rows_loaded": "Rows loaded", "rows_merged": "Merged", "rows_rejected": "Rejected",
        "rows_duplicate": "Duplicates", "rows_skipped": "Skipped", "row_count": "Rows",
        "days_behind": "Days behind newest", "gap_days": "Gap days", "pushes": "Pushes",
        "days_pushed": "Days pushed",
        "meetings_no_show": "No-shows", "meetings_booked_target": "Booked target",
        "meetings_held_target": "Held target", "calls_target": "Calls target",
        "connected_calls_target": "Connected target", "closed_deals": "Closed deals",
        "users": "Users", "non_brand_search_impressions": "Non-brand search impressions",
        "search_clicks": "Search clicks (every query)", "search_impressions": "Search impressions (every query)",
        "customers": "Customers", "paying": "Still paying", "months_since": "Months since start",
        "matched": "Matched", "unmatched": "Unmatched",
    },
    "number": {"lead_score": "Lead score", "min_score": "From score", "position": "Average position"},
    "money": {"won_amount": "Won amount", "open_pipeline": "Open pipeline", "quota": "Quota", "amount": "Amount",
              "closing_in_range": "Closing in range", "start_mrr": "MRR at start", "end_mrr": "MRR at end",
              "cac": "CAC"},
    "percent": {"mql_rate": "MQL rate", "sql_rate": "SQL rate", "band_mql_share": "Share of band's MQLs",
                "change": "Change", "step_rate": "Step rate", "top_rate": "Rate from top", "share": "Share",
                "quota_pace": "Pace", "elapsed_share": "Expected by now", "attainment_target": "Attainment target",
                "retention": "Retention", "match_rate": "Match rate"},
    "minutes": {"response_minutes": "Response (min)"},
    "months": {"payback_months": "Payback"},
    "hours": {"age_hours": "Age", "hours_to_deadline": "Left to deadline"},
    "days": {"median_days": "Median", "p90_days": "P90", "avg_days": "Average", "median_age_days": "Median age now",
             "avg_cycle_days": "Average cycle", "days_to_first_payment": "Days lead to first payment"},
    "date": {"data_from": "Data from", "data_through": "Data through", "expected_close_at": "Expected close",
             "closed_at": "Closed", "first_month": "From", "last_month": "Through", "range_start": "Export from",
             "range_end": "Export through", "first_close_date": "First close date", "close_date": "Close date now",
             "month": "Month", "cohort": "Signup cohort"},
    "datetime": {
        "last_exported_at": "Last exported", "last_loaded_at": "Last loaded", "last_failure_at": "Last failure",
        "finished_at": "Finished", "loaded_at": "Loaded", "first_at": "First", "last_at": "Last",
        "clock_start_at": "MQL at", "deadline_at": "Deadline", "created_at": "Created", "mql_at": "MQL at",
        "sql_at": "SQL at", "opportunity_at": "Opportunity at", "customer_at": "Customer at",
        "first_touch_at": "First rep touch",
    },
    "bool": {"good": "Better?", "sql_rate_rises": "Converts better than the band below",
             "faster_than_lower": "Touched faster than the band below", "suggested_mql": "Suggested MQL",
             "is_brand": "Brand", "ranked": "Ranked"},
    "link": {"crm_link": "Open in CRM"},
}  # fmt: skip
# measures drawn as chart series (legends, the digest's trend lines), where the metric's label is not
# the one a legend wants ("Leads", not "New leads"); code values (stages, channels...): queries/values.py
SERIES = {"leads": "Leads", "mqls": "MQLs", "sqls": "SQLs", "opportunities": "Opportunities",
          "customers": "Customers", "mqls_count": "MQLs",
          "non_brand_search_impressions": "Non-brand search impressions"}  # fmt: skip
# column -> (label, kind)
COLUMNS: dict[str, tuple[str, str]] = {c: (text, kind) for kind, cols in BY_KIND.items() for c, text in cols.items()}
for _m in metrics():  # a metric's column shows its short label; its name (the summary's key) its label
    COLUMNS.setdefault(_m.column, (_m.short or _m.label, UNIT_KIND[_m.unit]))
    COLUMNS.setdefault(_m.name, (_m.label, UNIT_KIND[_m.unit]))

# code values shown by name, not by id (the filters and URLs keep the ids): the value catalogue
READABLE = tuple(COLUMN_KINDS)  # columns whose values are codes (queries/values.py)


def column_label(column: str) -> str:
    return COLUMNS[column][0] if column in COLUMNS else column.replace("_", " ").capitalize()


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
    # quotas have their own table (sales-quotas, ui/quota.py)
    "sales-per-rep": Table(("won_amount", True), ("rep", "won", "lost", "win_rate", "won_amount", "avg_deal_size",
                                                  "sales_cycle_days", "open_pipeline", "meetings")),
    "sales-quotas": Table(("quota_attainment", True), ("rep", "quota", "won_amount", "quota_attainment",
                                                       "quota_pace"), ("elapsed_share", "attainment_target")),
    "open-pipeline": Table(("amount", True), drop_constant=("segment",)),
    "time-in-stage": Table(),
    "slippage": Table(("pushes", True), ("deal_id", "owner", "pushes", "days_pushed", "first_close_date",
                                         "close_date", "amount", "outcome")),
    "speed-to-lead": Table(("breached", True), ("rep", "mqls", "median_minutes", "p90_minutes",
                                                "within_5_min_rate", "breached", "compliance")),
    "unworked-queue": Table(("hours_to_deadline", False), ("lead_id", "crm_link", "owner", "channel", "campaign_name",
                                                           "age", "deadline_in", "status")),
    "records-leads": Table(None, ("lead_id", "crm_link", "owner", "channel", "campaign_name", "created_at",
                                  "response", "sla_status")),  # stage times behind "All columns": fits 1280 px
    "records-deals": Table(None, ("deal_id", "crm_link", "owner", "channel", "stage", "amount", "created_at",
                                  "closed_at", "outcome")),
    "recycled-mqls": Table(("mqls", True)),
    "sales-activity": Table(("meetings_booked", True), ("rep", "meetings_booked", "meetings_booked_target",
                                                        "meetings_held", "meetings_held_target", "meetings_no_show",
                                                        "meeting_no_show_rate", "calls", "connected_calls")),
    "score-bands": Table(None, ("score_band", "leads", "mql_rate", "sql_rate", "opportunity_rate", "win_rate",
                                "median_minutes", "within_5_min_rate", "suggested_mql"), ("segment",)),
    "score-routing": Table(None, ("rep", "score_band", "mqls", "band_mql_share", "median_minutes",
                                  "within_5_min_rate")),
    "funnel": Table(None, ("stage", "records", "step_rate", "top_rate", "drop_off")),
    "freshness": Table(("days_behind", True), ("source", "data_from", "data_through", "days_behind", "gap_days",
                                               "last_loaded_at", "rows_rejected")),
    "load-history": Table(None, ("finished_at", "file_name", "status", "rows_loaded", "rows_rejected", "message")),
    "rejected-rows": Table(None, ("file_name", "line_number", "reason", "raw_line")),
    "revline-definitions": Table(None, ("metric", "team", "definition", "formula")),
    "landing-pages": Table(None, ("landing_page", "sessions", "key_events", "landing_page_conversion_rate")),  # SQL order:
    # ranked pages (enough sessions) by conversion first (queries/web/landing_pages.sql)
    "top-queries": Table(None, ("search_query", "is_brand", "clicks", "impressions", "ctr", "position")),
    "revenue-channels": Table(("arr", True), ("channel", "customers", "arr", "net_revenue_retention", "ltv", "cac",
                                              "ltv_cac", "payback_months")),
    "revenue-platforms": Table(("arr", True), ("platform", "customers", "arr", "net_revenue_retention",
                                               "revenue_churn_rate", "ltv", "cac", "ltv_cac")),
}  # fmt: skip


def direction(column: str) -> str:
    """"up" (higher is better) or "down", as the registry says for the metric in `column`."""
    return next(m.direction for m in metrics() if column in (m.column, m.name))


@dataclass(frozen=True)
class Benchmark:
    """What a column's cells are judged against: a `target` (a number, or the name of a KpiSettings
    field such as "sla_target"), the table's median (`median`: worse by more than MARGIN), or a
    `floor` below which a value is bad (ROAS < 1). `pace` names a column that, when >= 1, excuses a
    value short of its target (behind quota but on pace). `better` is "up" or "down" (the registry's
    direction of the metric)."""

    better: str
    target: float | str | None = None
    median: bool = False
    floor: float | None = None
    pace: str | None = None


# table highlighting (ui/highlight.py applies the rules; docs/decisions/0085-highlight-rules-judge-cells-against-target-or-benchmark.md)
RULES: dict[str, dict] = {
    "quota_attainment": {"target": 1.0, "pace": "quota_pace"}, "compliance": {"target": "sla_target"},
    "cpl": {"median": True}, "cost_per_sql": {"median": True}, "platform_roas": {"floor": 1.0},
    "pipeline_roas": {"floor": 1.0}, "revenue_roas": {"floor": 1.0},
}  # fmt: skip
BENCHMARKS: dict[str, Benchmark] = {c: Benchmark(direction(c), **rule) for c, rule in RULES.items()}
