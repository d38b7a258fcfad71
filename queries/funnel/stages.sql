-- Funnel: how many records reach each stage (visitor ->) lead -> MQL -> SQL -> opportunity ->
-- customer, and where do they drop off?
-- Grain: one row per segment x stage (5 stages, in order; 6 in flow mode with GA4 traffic). Parameters:
--   $start_date, $end_date   inclusive DATE range (UTC dates)
--   $mode   'cohort': leads created in the range, and how many of them reached each stage by now
--           'flow':   stage entries that happened in the range, whichever cohort they belong to
--   $by     'channel' | 'total'
--   $channel, $platform, $campaign, $owner   optional filters (lists of values; NULL = all)
-- Metrics: records (reached / entered the stage), step_rate = records / records of the previous
--   stage, top_rate = records / records at the lead stage, drop_off = previous stage's records -
--   this stage's (NULL for the first stage). Rates are NULL when the denominator is 0. In flow mode
--   the rates compare different people and are labelled "flow" in the app.
-- Visitors (stage 'visitor', stage_order 0), flow mode only: GA4 sessions in the range, one traffic
--   report per day (traffic_sessions, queries/macros.sql), by the session's channel. A session is a
--   visit, not a person, and GA4 cannot say which visit became which lead, so a cohort of visitors
--   cannot be followed: cohort mode starts at leads. No visitor row when no traffic report has a row
--   in the range (no data, never 0), or when a platform, campaign or rep is chosen (sessions carry
--   none of them: the row would not be cut like the others).
-- Reads: leads, web_sessions.
with filtered as (
    select
        *, segment_of($by, channel, platform, campaign_name, owner) as segment
    from leads
    where attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
      and in_selection(owner, $owner)
),

in_range as (
    -- a record counts for a stage when (cohort) it was created in the range and has reached the
    -- stage, or (flow) it entered the stage in the range; one pass, conditional counts
    select segment,
        count(*) filter (where case when $mode = 'flow' then created_at::date between $start_date and $end_date
                              else created_at::date between $start_date and $end_date end) as lead,
        count(*) filter (where case when $mode = 'flow' then mql_at::date between $start_date and $end_date
                              else created_at::date between $start_date and $end_date and mql_at is not null end) as mql,
        count(*) filter (where case when $mode = 'flow' then sql_at::date between $start_date and $end_date
                              else created_at::date between $start_date and $end_date and sql_at is not null end) as sql,
        count(*) filter (where case when $mode = 'flow' then opportunity_at::date between $start_date and $end_date
                              else created_at::date between $start_date and $end_date and opportunity_at is not null end)
            as opportunity,
        count(*) filter (where case when $mode = 'flow' then customer_at::date between $start_date and $end_date
                              else created_at::date between $start_date and $end_date and customer_at is not null end)
            as customer
    from filtered
    group by segment
),

visitors as (
    select segment_of($by, channel, null, null, null) as segment, sum(sessions)::bigint as visitor
    from traffic_sessions($start_date, $end_date)
    where $mode = 'flow' and $platform is null and $campaign is null and $owner is null
      and in_selection(channel, $channel)
    group by all
),

counted as (
    select segment, 'visitor' as stage, 0 as stage_order, visitor as records from visitors
    union all
    select segment, s.stage, s.stage_order, s.records
    from in_range
    cross join lateral (values
        ('lead', 1, lead), ('mql', 2, mql), ('sql', 3, sql), ('opportunity', 4, opportunity),
        ('customer', 5, customer)) s(stage, stage_order, records)
)

select
    segment, stage, stage_order, records,
    records / nullif(lag(records) over w, 0) as step_rate,
    records / nullif(first_value(records) over w, 0) as top_rate,
    lag(records) over w - records as drop_off
from counted
window w as (partition by segment order by stage_order)
order by segment, stage_order
