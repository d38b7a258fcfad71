-- Cost per funnel stage: what does a lead, an MQL, an SQL, an opportunity and a customer cost per
-- platform, campaign or channel, and what pipeline and revenue does the spend bring back?
-- Grain: one row per period x segment. Parameters:
--   $start_date, $end_date  inclusive DATE range (ad_spend.date; CRM events by UTC date)
--   $grain     'day' | 'week' | 'month' | 'total'
--   $by        'platform' | 'campaign' | 'channel' | 'total'
--   $channel, $platform, $campaign  optional filters (lists of values; NULL = all)
-- Counts are stage entries in the period (flow), attributed through leads.platform /
-- campaign_name / channel (see docs/decisions/0035-leads-link-to-campaigns-by-utm-and-normalised-name.md).
--   cpl                    spend / leads created
--   cost_per_mql|sql|opportunity|customer   spend / stage entries of that stage
--   pipeline_roas          amount of deals created (attributed) / spend
--   revenue_roas           closed-won amount of deals closed (attributed) / spend
-- NULL rules: spend, and every ratio with it, is NULL when the segment has no ad spend rows
-- (organic channels have no cost data, not zero cost); a ratio is also NULL when its denominator is 0. With $by = 'total', cpl is the blended
-- CPL: all spend / all new leads, paid or not; a campaign with spend and no leads has cpl NULL
-- but its spend still counts in the blended figure.
-- Reads: ad_spend, mart_stage_entries and mart_deal_entries (leads' stage entries and their deals'
-- pipeline and revenue, by day).
with spend as (
    select
        period_of($grain, $start_date, date) as period,
        segment_of($by, channel, platform, campaign_name, null) as segment,
        segment_platform($by, platform) as seg_platform,
        sum(spend) as spend
    from ad_spend
    where date between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
    group by all
),

stage_events as (  -- leads' stage entries in the range (mart_stage_entries: sorted by day)
    select * from (
        select
            segment_of($by, channel, platform, campaign_name, null) as segment,
            segment_platform($by, platform) as seg_platform,
            stage, day
        from mart_stage_entries
        where day between $start_date and $end_date
          and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
    )
    where segment is not null
),

stages as (
    select
        period_of($grain, $start_date, day) as period,
        segment, seg_platform,
        count(*) filter (where stage = 'created_at') as leads,
        count(*) filter (where stage = 'mql_at') as mqls,
        count(*) filter (where stage = 'sql_at') as sqls,
        count(*) filter (where stage = 'opportunity_at') as opportunities,
        count(*) filter (where stage = 'customer_at') as customers
    from stage_events
    group by all
),

deal_money as (
    select
        period_of($grain, $start_date, event_day) as period,
        segment, seg_platform,
        sum(amount) filter (where kind = 'created') as pipeline,
        sum(amount) filter (where kind = 'won') as revenue
    from (  -- deals created / won in the range, credited to their lead (mart_deal_entries)
        select
            day as event_day, kind, amount,
            segment_of($by, channel, platform, campaign_name, null) as segment,
            segment_platform($by, platform) as seg_platform
        from mart_deal_entries
        where day between $start_date and $end_date
          and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
    )
    where segment is not null
    group by all
),

joined as (
    select
        coalesce(s.period, st.period, dm.period) as period,
        coalesce(s.segment, st.segment, dm.segment) as segment,
        coalesce(s.seg_platform, st.seg_platform, dm.seg_platform) as platform,
        s.spend is not null as has_spend,
        s.spend,  -- NULL: the segment has no ad spend rows (no cost data), not $0 spent
        coalesce(st.leads, 0) as leads, coalesce(st.mqls, 0) as mqls, coalesce(st.sqls, 0) as sqls,
        coalesce(st.opportunities, 0) as opportunities, coalesce(st.customers, 0) as customers,
        coalesce(dm.pipeline, 0) as pipeline, coalesce(dm.revenue, 0) as revenue
    from spend s
    full join stages st
        on st.period = s.period and st.segment = s.segment
       and st.seg_platform is not distinct from s.seg_platform
    full join deal_money dm
        on dm.period = coalesce(s.period, st.period) and dm.segment = coalesce(s.segment, st.segment)
       and dm.seg_platform is not distinct from coalesce(s.seg_platform, st.seg_platform)
)

select
    period, segment, platform, spend, leads, mqls, sqls, opportunities, customers, pipeline, revenue,
    case when has_spend then spend / nullif(leads, 0) end as cpl,
    case when has_spend then spend / nullif(mqls, 0) end as cost_per_mql,
    case when has_spend then spend / nullif(sqls, 0) end as cost_per_sql,
    case when has_spend then spend / nullif(opportunities, 0) end as cost_per_opportunity,
    case when has_spend then spend / nullif(customers, 0) end as cost_per_customer,
    case when has_spend then pipeline / nullif(spend, 0) end as pipeline_roas,
    case when has_spend then revenue / nullif(spend, 0) end as revenue_roas
from joined
order by period, spend desc, segment
