-- Forecast accuracy against Revline's own projections: for each month of the range that has closed
-- by the as-of time, how close did the projection frozen at each earlier snapshot come to what was won?
-- Grain: one row per weeks_out (whole weeks from the snapshot to the month's end), plus the row
-- weeks_out = NULL: the headline, the projection of the last snapshot on or before each month's first
-- day (the month called before it began). Parameters: $start_date, $end_date, $as_of (TIMESTAMP).
-- Definitions: projected = won + weighted open pipeline closing in the month, frozen at the snapshot
-- (mart_projections, etl/sql/78_mart_projections.sql); actual = deals won with a close date in the
-- month (deals, the newest export). Per CRM: its own snapshots and its own deals; per weeks_out the
-- last snapshot of that week counts. forecast_accuracy = max(0, 1 - |actual - projected| / actual)
-- over the months' sums; NULL where nothing was won or no snapshot came before the month.
-- Not split by channel or rep: projections are frozen for the team.
-- Reads: mart_projections, deals.
with closed_months as (
    select m::date as month
    from range(date_trunc('month', $start_date::date), $end_date::date + 1, interval 1 month) r(m)
    where m >= $start_date::date and m + interval 1 month <= least($end_date::date + 1, $as_of::timestamp)
),

actuals as (
    select c.month, d.source_system, sum(d.amount) as actual
    from closed_months c
    join deals d on d.is_won and d.closed_at >= c.month and d.closed_at < c.month + interval 1 month
    group by all
),

called as (  -- each CRM's projection of each month, at each snapshot before the month ended
    select c.month, p.source_system, p.snapshot_at, p.projected,
        date_diff('day', p.snapshot_at::date, (c.month + interval 1 month)::date) // 7 as weeks_out,
        p.snapshot_at < c.month + interval 1 day as before_month
    from closed_months c
    join mart_projections p on p.month = c.month and p.snapshot_at < c.month + interval 1 month
),

per_week as (
    select month, source_system, weeks_out, arg_max(projected, snapshot_at) as projected
    from called group by all
),

headline as (
    select month, source_system, null::bigint as weeks_out, arg_max(projected, snapshot_at) as projected
    from called where before_month group by all
),

judged as (
    select w.weeks_out, count(distinct w.month) as months, sum(w.projected) as projected,
        sum(coalesce(a.actual, 0)) as actual
    from (select * from per_week union all select * from headline) w
    left join actuals a on a.month = w.month and a.source_system = w.source_system
    group by w.weeks_out
)

select weeks_out, months, projected, actual,
    case when actual > 0 then greatest(0, 1 - abs(actual - projected) / actual) end as forecast_accuracy
from judged
order by weeks_out nulls first
