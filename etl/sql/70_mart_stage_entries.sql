-- mart_stage_entries: one row per lead per funnel stage it entered (created, MQL, SQL, opportunity,
-- customer), with the day, the time of the next stage and the lead's attribution. Answers "how many
-- leads / MQLs / ... entered in these days, per platform, campaign, channel or owner, and how long
-- until the next stage" by reading only the days asked for: the table is sorted by day, so a date
-- range skips the other rows (zone maps) instead of scanning every lead's five timestamps.
-- Rebuilt on every load from leads.
-- Grain: (lead_id, stage). stage: 'created_at' | 'mql_at' | 'sql_at' | 'opportunity_at' | 'customer_at'
-- (the leads column it comes from); event_at = that timestamp (UTC), day = its date; next_at = the
-- next stage's timestamp (mql_at after created_at, ..., customer_at after opportunity_at; NULL for
-- customer_at and when the lead has not moved on).
create or replace table mart_stage_entries as
with entries as (
    select created_at as event_at, 'created_at' as stage, mql_at as next_at, lead_id, platform, campaign_name,
        channel, owner
    from leads
    union all
    select mql_at, 'mql_at', sql_at, lead_id, platform, campaign_name, channel, owner from leads
    union all
    select sql_at, 'sql_at', opportunity_at, lead_id, platform, campaign_name, channel, owner from leads
    union all
    select opportunity_at, 'opportunity_at', customer_at, lead_id, platform, campaign_name, channel, owner from leads
    union all
    select customer_at, 'customer_at', null, lead_id, platform, campaign_name, channel, owner from leads
)

select event_at::date as day, stage, event_at, next_at, lead_id, platform, campaign_name, channel, owner
from entries
where event_at is not null
order by day, stage;
