-- Time in stage: how long do records that move on spend in each stage?
-- Grain: one row per segment x transition (lead->mql, mql->sql, sql->opportunity,
-- opportunity->customer). Parameters: $start_date, $end_date (entries into the FROM stage, UTC
-- dates), $by 'channel' | 'total', $channel, $platform, $campaign, $owner (NULL = all).
-- Metrics: moved = records that entered the next stage; median_days and p90_days (continuous) of
-- (next stage time - this stage time) in days, over records that moved; NULL when none moved.
-- Records whose next timestamp is earlier than this one (bad CRM data) are left out.
-- Reads: leads.
with filtered as (
    select *, case when $by = 'channel' then channel else 'all' end as segment
    from leads
    where ($channel is null or channel = $channel)
      and ($platform is null or platform = $platform)
      and ($campaign is null or campaign_name = $campaign)
      and ($owner is null or owner = $owner)
),

transitions as (
    select segment, t.transition, t.step, t.from_at, t.to_at
    from filtered
    cross join lateral (values
        ('lead -> mql', 1, created_at, mql_at), ('mql -> sql', 2, mql_at, sql_at),
        ('sql -> opportunity', 3, sql_at, opportunity_at),
        ('opportunity -> customer', 4, opportunity_at, customer_at)) t(transition, step, from_at, to_at)
    where t.from_at::date between $start_date and $end_date
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
