-- Speed-to-lead and SLA compliance: how fast do reps first touch new MQLs, and how many are touched
-- within the SLA? Per rep, channel, hour x weekday of the MQL, or overall — one pass for both.
-- uses: handoff/mql_response as mql
-- Grain: one row per period x segment. Parameters: those of handoff/mql_response, plus
--   $grain  'day' | 'week' | 'month' | 'total'
--   $by     'owner' | 'channel' | 'hour_weekday' (local hour x ISO weekday of the clock start) | 'total'
-- Speed (response time on the configured clock, from clock start to first rep touch):
--   mqls                 MQLs whose clock started in the period
--   touched              of those, touched at all so far;  never_touched = mqls - touched
--   median_minutes       median response of touched MQLs (NULL when none touched)
--   p90_minutes          90th percentile (continuous) of the same
--   within_5_min_rate    touched within 5 minutes / mqls
-- SLA:
--   met        touched by the deadline
--   breached   touched after the deadline, or untouched after it
--   pending    untouched, window still open at $as_of (counted neither way)
--   compliance met / (met + breached); NULL when no window has closed
-- Reads: leads, mart_first_touch (through handoff/mql_response).
with grouped as (
    select
        period_of($grain, $start_date, clock_start_at) as period,
        case when $by = 'hour_weekday' then local_weekday || ':' || local_hour
             else segment_of($by, channel, platform, campaign_name, owner) end as segment,
        case when $by = 'hour_weekday' then any_value(local_weekday) end as weekday,
        case when $by = 'hour_weekday' then any_value(local_hour) end as hour,
        count(*) as mqls,
        count(touch_at) as touched,
        median(response_minutes) as median_minutes,
        quantile_cont(response_minutes, 0.9) as p90_minutes,
        count(*) filter (where response_minutes < 5) as within_5_min,
        count(*) filter (where sla_status = 'met') as met,
        count(*) filter (where sla_status = 'breached') as breached,
        count(*) filter (where sla_status = 'pending') as pending
    from mql
    group by all
)

select
    period, segment, weekday, hour, mqls, touched, mqls - touched as never_touched,
    median_minutes, p90_minutes, within_5_min / nullif(mqls, 0) as within_5_min_rate,
    met, breached, pending, met / nullif(met + breached, 0) as compliance
from grouped
order by period, mqls desc, segment
