-- Time in stage: how long do records that move on spend in each stage?
-- Grain: one row per segment x transition (lead->mql, mql->sql, sql->opportunity,
-- opportunity->customer). Parameters: $start_date, $end_date (entries into the FROM stage, UTC
-- dates), $by 'channel' | 'total', $channel, $platform, $campaign, $owner (lists of values; NULL = all).
-- Metrics: moved = records that entered the next stage; median_days and p90_days (continuous) of
-- (next stage time - this stage time) in days, over records that moved; NULL when none moved.
-- Records whose next timestamp is earlier than this one (bad CRM data) are left out.
-- Reads: mart_stage_entries (leads' stage entries by day, with the next stage's time).
with transitions as (  -- entries into the FROM stage in the range, with the next stage's time
    select
        segment_of($by, channel, platform, campaign_name, owner) as segment,
        case stage when 'created_at' then 'lead -> mql' when 'mql_at' then 'mql -> sql'
                   when 'sql_at' then 'sql -> opportunity' else 'opportunity -> customer' end as transition,
        case stage when 'created_at' then 1 when 'mql_at' then 2 when 'sql_at' then 3 else 4 end as step,
        event_at as from_at, next_at as to_at
    from mart_stage_entries
    where day between $start_date and $end_date
      and stage <> 'customer_at'
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
      and in_selection(owner, $owner)
)

select
    segment, transition, step,
    count(*) as entered,
    count(*) filter (where to_at >= from_at) as moved,
    median(epoch(to_at - from_at) / 86400.0) filter (where to_at >= from_at) as median_days,
    quantile_cont(epoch(to_at - from_at) / 86400.0, 0.9) filter (where to_at >= from_at) as p90_days
from transitions
group by all
order by segment, step
