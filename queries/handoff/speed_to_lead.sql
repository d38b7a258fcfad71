-- Speed-to-lead: how fast do reps first touch new MQLs, per rep, channel or overall?
-- uses: handoff/mql_response as mql
-- Grain: one row per period x segment. Parameters: those of handoff/mql_response, plus
--   $grain  'day' | 'week' | 'month' | 'total'     $by  'owner' | 'channel' | 'total'
-- Metrics (response time on the configured clock, from clock start to first rep touch):
--   mqls                 MQLs whose clock started in the period
--   touched              of those, touched at all so far
--   median_minutes       median response of touched MQLs (NULL when none touched)
--   p90_minutes          90th percentile (continuous) of the same
--   within_5_min_rate    touched within 5 minutes / mqls
--   never_touched        mqls - touched
-- Reads: leads, activities (through handoff/mql_response).
with grouped as (
    select
        case when $grain = 'total' then $start_date::date
             else date_trunc(case when $grain in ('day', 'week', 'month', 'quarter') then $grain else 'day' end,
                             clock_start_at)::date end as period,
        case $by when 'owner' then coalesce(owner, '(no owner)') when 'channel' then channel else 'all' end as segment,
        count(*) as mqls,
        count(touch_at) as touched,
        median(response_minutes) as median_minutes,
        quantile_cont(response_minutes, 0.9) as p90_minutes,
        count(*) filter (where response_minutes < 5) as within_5_min
    from mql
    group by all
)

select
    period, segment, mqls, touched, median_minutes, p90_minutes,
    within_5_min / nullif(mqls, 0) as within_5_min_rate,
    mqls - touched as never_touched
from grouped
order by period, mqls desc, segment
