-- Trend of the headline measures per week (or day / month): is the engine speeding up?
-- Grain: one row per period from $start_date to $end_date (periods without activity included,
-- with zeros). Parameters: $start_date, $end_date, $grain 'day' | 'week' | 'month',
-- $channel, $platform, $campaign, $owner (lists of values, NULL = all; spend has no owner: all spend under an owner filter).
-- Measures (same definitions as shared/headline and paid_media/*): revenue = closed-won amount by
-- close date; new_pipeline = amount of deals created; spend = ad spend; leads / mqls / sqls = stage
-- entries (flow). Reads: deals (and their leads: deals_in_view, queries/macros.sql), mart_stage_entries
-- (leads' stage entries: etl/sql/70_*), ad_spend.
with periods as (
    select p::date as period
    from range(date_trunc($grain, $start_date::date), $end_date::date + 1, ('1 ' || $grain)::interval) r(p)
),

scoped_deals as (  -- deals by their own channel and owner, their lead's platform and campaign
    select * from deals_in_view($channel, $owner, $platform, $campaign)
),

deal_events as (
    select date_trunc($grain, closed_at)::date as period, sum(amount) filter (where is_won) as revenue,
           0::decimal(38, 2) as new_pipeline
    from scoped_deals where is_closed and closed_at::date between $start_date and $end_date
    group by 1
    union all
    select date_trunc($grain, created_at)::date, 0, sum(amount)
    from scoped_deals where created_at::date between $start_date and $end_date
    group by 1
),

lead_events as (  -- stage entries of the range, sorted by day at load (etl/sql/70_*)
    select date_trunc($grain, day)::date as period,
        count(*) filter (where stage = 'created_at') as leads,
        count(*) filter (where stage = 'mql_at') as mqls,
        count(*) filter (where stage = 'sql_at') as sqls
    from mart_stage_entries
    where day between $start_date and $end_date and stage in ('created_at', 'mql_at', 'sql_at')
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
      and in_selection(owner, $owner)
    group by 1
),

spend as (
    select date_trunc($grain, date)::date as period, sum(spend) as spend
    from ad_spend
    where date between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
    group by 1
)

select
    p.period,
    coalesce((select sum(revenue) from deal_events d where d.period = p.period), 0) as revenue,
    coalesce((select sum(new_pipeline) from deal_events d where d.period = p.period), 0) as new_pipeline,
    coalesce(s.spend, 0) as spend,
    coalesce(l.leads, 0) as leads, coalesce(l.mqls, 0) as mqls, coalesce(l.sqls, 0) as sqls
from periods p
left join spend s using (period)
left join lead_events l using (period)
order by p.period
