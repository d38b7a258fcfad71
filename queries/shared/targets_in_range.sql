-- Targets for a date range: each month's target from targets.csv, pro rata by the share of the
-- month's days that fall inside [$start_date, $end_date] (half of March counts half of March's target).
-- Grain: one row per metric x segment. Parameters: $start_date, $end_date. Reads: targets.
with months as (
    -- greatest(0, ...): a month the range does not reach counts nothing (a reversed range once gave
    -- a negative share, so a negative target)
    select m::date as month,
        greatest(0, least(m + interval 1 month - interval 1 day, $end_date::date)::date
         - greatest(m, $start_date::date)::date + 1) / (date_diff('day', m, m + interval 1 month)) as share
    from range(date_trunc('month', $start_date::date), $end_date::date + 1, interval 1 month) r(m)
)

select t.metric, t.segment, sum(t.value * m.share) as target
from targets t
join months m using (month)
group by t.metric, t.segment
