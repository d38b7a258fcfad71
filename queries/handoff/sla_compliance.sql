-- SLA compliance: of the MQLs whose SLA window has closed, how many were touched in time?
-- uses: handoff/mql_response as mql
-- Grain: one row per segment (and period). Parameters: those of handoff/mql_response, plus
--   $grain  'day' | 'week' | 'month' | 'total'
--   $by     'owner' | 'channel' | 'hour_weekday' (local hour x ISO weekday of the clock start) | 'total'
-- Metrics:
--   met        touched by the deadline
--   breached   touched after the deadline, or untouched after it
--   pending    untouched, window still open at $as_of (not counted either way)
--   compliance met / (met + breached); NULL when no window has closed
-- Reads: leads, activities (through handoff/mql_response).
with grouped as (
    select
        case when $grain = 'total' then $start_date::date
             else date_trunc(case when $grain in ('day', 'week', 'month', 'quarter') then $grain else 'day' end,
                             clock_start_at)::date end as period,
        case $by when 'owner' then coalesce(owner, '(no owner)') when 'channel' then channel
                 when 'hour_weekday' then local_weekday || ':' || local_hour else 'all' end as segment,
        case when $by = 'hour_weekday' then any_value(local_weekday) end as weekday,
        case when $by = 'hour_weekday' then any_value(local_hour) end as hour,
        count(*) as mqls,
        count(*) filter (where sla_status = 'met') as met,
        count(*) filter (where sla_status = 'breached') as breached,
        count(*) filter (where sla_status = 'pending') as pending
    from mql
    group by all
)

select period, segment, weekday, hour, mqls, met, breached, pending,
       met / nullif(met + breached, 0) as compliance
from grouped
order by period, segment
