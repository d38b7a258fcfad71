-- mart_stage_entries: one row per lead per funnel stage it entered (created, MQL, SQL, opportunity,
-- customer), with the day and the lead's attribution. Answers "how many leads / MQLs / ... entered in
-- these days, per platform, campaign, channel or owner" by reading only the days asked for: the
-- table is sorted by day, so a date range skips the rest of the rows (zone maps) instead of
-- scanning every lead's five timestamps. Rebuilt on every load from leads.
-- Grain: (lead_id, stage). stage: 'created_at' | 'mql_at' | 'sql_at' | 'opportunity_at' | 'customer_at'
-- (the leads column it comes from); day = that timestamp's UTC date.
create or replace table mart_stage_entries as
select event_at::date as day, stage, lead_id, platform, campaign_name, channel, owner
from (
    select lead_id, platform, campaign_name, channel, owner, created_at, mql_at, sql_at, opportunity_at, customer_at
    from leads
)
unpivot (event_at for stage in (created_at, mql_at, sql_at, opportunity_at, customer_at))
order by day, stage;
