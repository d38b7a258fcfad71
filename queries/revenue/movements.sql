-- MRR movements by month: how MRR got from each month's start to its end (the waterfall), and ARR.
-- Grain: one row per calendar month from the range's first month, or 11 months before its last month if
-- that is earlier (a trend of at least 12 months), to its last month; months before billing's first day
-- and after the last day it describes are left out. Parameters: $start_date, $end_date, $as_of. A month's
-- start MRR is the MRR on the day before it, its end MRR the MRR on its last day up to $end_date, the
-- as-of day and billing_coverage.through_day; movements are mrr_movements' sums over those days, so
-- start_mrr + new + expansion + reactivation - contraction - churned = end_mrr in every row.
-- Columns: month (its first day), start_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr,
-- churned_mrr, net_new_mrr, end_mrr, arr (12 x end_mrr), paying_customers (on the month's last day).
-- Reads: billing_coverage, mart_mrr_days (etl/sql/56_mart_mrr_days.sql: mrr_daily's sums per day), mrr_movements.
with months as (
    select m::date as month, m::date as first_day,
        least((m + interval 1 month - interval 1 day)::date, $end_date::date, $as_of::timestamp::date, c.through_day) as last_day
    from billing_coverage c,
        range(least(date_trunc('month', $start_date::date), date_trunc('month', $end_date::date) - interval 11 month),
              $end_date::date + 1, interval 1 month) r(m)
    where c.first_day is not null and (m + interval 1 month)::date > c.first_day
),

rows_ as (
    select mo.month, mo.first_day, mo.last_day,
        coalesce(s.mrr, 0) as start_mrr, coalesce(e.mrr, 0) as end_mrr, coalesce(e.customers, 0) as paying_customers
    from months mo
    left join mart_mrr_days s on s.day = mo.first_day - 1  -- each day's sums, made at load
    left join mart_mrr_days e on e.day = mo.last_day
    where mo.first_day <= mo.last_day
),

moves as (
    select r.month,
        coalesce(sum(m.amount) filter (where m.kind = 'new'), 0) as new_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'expansion'), 0) as expansion_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'reactivation'), 0) as reactivation_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'contraction'), 0) as contraction_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'churn'), 0) as churned_mrr
    from rows_ r
    left join mrr_movements m on m.day between r.first_day and r.last_day
    group by r.month
)

select r.month, r.start_mrr, m.new_mrr, m.expansion_mrr, m.reactivation_mrr, m.contraction_mrr, m.churned_mrr,
    m.new_mrr + m.expansion_mrr + m.reactivation_mrr - m.contraction_mrr - m.churned_mrr as net_new_mrr,
    r.end_mrr, 12 * r.end_mrr as arr, r.paying_customers
from rows_ r join moves m using (month)
order by r.month
