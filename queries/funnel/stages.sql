-- Funnel: how many records reach each stage lead -> MQL -> SQL -> opportunity -> customer, and
-- where do they drop off?
-- Grain: one row per segment x stage (5 stages, in order). Parameters:
--   $start_date, $end_date   inclusive DATE range (UTC dates)
--   $mode   'cohort': leads created in the range, and how many of them reached each stage by now
--           'flow':   stage entries that happened in the range, whichever cohort they belong to
--   $by     'channel' | 'total'
--   $channel, $platform, $campaign, $owner   optional filters (NULL = all)
-- Metrics: records (reached / entered the stage), step_rate = records / records of the previous
--   stage, top_rate = records / records at the lead stage, drop_off = previous stage's records -
--   this stage's (NULL for the first stage). Rates are NULL when the denominator is 0. In flow mode
--   the rates compare different people and are labelled "flow" in the app.
-- Reads: leads.
with filtered as (
    select
        *, case when $by = 'channel' then channel else 'all' end as segment
    from leads
    where ($channel is null or channel = $channel)
      and ($platform is null or platform = $platform)
      and ($campaign is null or campaign_name = $campaign)
      and ($owner is null or owner = $owner)
),

events as (
    select lead_id, segment, created_at, stage, stage_order, event_at
    from filtered
    cross join lateral (values
        ('lead', 1, created_at), ('mql', 2, mql_at), ('sql', 3, sql_at),
        ('opportunity', 4, opportunity_at), ('customer', 5, customer_at)) s(stage, stage_order, event_at)
),

counted as (
    select segment, stage, stage_order,
        count(*) filter (where
            case when $mode = 'flow' then event_at::date between $start_date and $end_date
                 else created_at::date between $start_date and $end_date and event_at is not null end
        ) as records
    from events
    group by all
)

select
    segment, stage, stage_order, records,
    records / nullif(lag(records) over w, 0) as step_rate,
    records / nullif(first_value(records) over w, 0) as top_rate,
    lag(records) over w - records as drop_off
from counted
window w as (partition by segment order by stage_order)
order by segment, stage_order
