-- Retention by signup cohort: of the MRR a month's new customers started with, how much do they pay
-- 0, 1, 2... months later (expansion and reactivation included: net revenue retention per cohort)?
-- Grain: one row per (cohort month, months since) for cohorts whose first paying day lies between the
-- range's first month, or 11 months before its last month if earlier, and $end_date; months since running to the last month-end billing describes
-- (billing_coverage.through_day, or the as-of day if earlier). Parameters: $start_date, $end_date, $as_of.
-- Columns: cohort (first day of the month of the customers' first paying day), months_since (0 = that
-- month's end), customers (in the cohort), paying (still paying then), start_mrr (their MRR on their
-- first paying day), mrr (their MRR at that month-end), retention = mrr / start_mrr.
-- Reads: billing_coverage, billing_customers, mrr_daily, mrr_movements.
with bounds as (
    select least($as_of::timestamp::date, through_day) as last_day from billing_coverage where first_day is not null
),

cohort as (
    -- the MRR of the first paying day is that day's 'new' movement (etl/sql/55_subscriptions.sql: the
    -- customer's first mrr_daily row), one row per customer, not a search of every day of every customer
    select c.customer_id, date_trunc('month', c.first_paid_day)::date as cohort, m.amount as start_mrr
    from billing_customers c
    join mrr_movements m on m.customer_id = c.customer_id and m.day = c.first_paid_day and m.kind = 'new'
    where c.first_paid_day between least(date_trunc('month', $start_date::date),
                                         date_trunc('month', $end_date::date) - interval 11 month) and $end_date
),

ends as (  -- each cohort's month-ends, the last one cut at the last described day
    select distinct k.cohort, s.n as months_since,
        least((k.cohort + to_months(s.n + 1) - interval 1 day)::date, b.last_day) as day
    from (select distinct cohort from cohort) k, bounds b,
        range(0, 240) s(n)
    where k.cohort + to_months(s.n) <= b.last_day
)

select e.cohort, e.months_since, count(*) as customers, count(d.mrr) as paying,
    sum(c.start_mrr) as start_mrr, coalesce(sum(d.mrr), 0) as mrr,
    coalesce(sum(d.mrr), 0) / nullif(sum(c.start_mrr), 0) as retention
from ends e
join cohort c using (cohort)
left join (select * from mrr_daily where day in (select day from ends)) d  -- the month-ends' rows only: no
    on d.customer_id = c.customer_id and d.day = e.day                      -- hash table of every MRR day
group by e.cohort, e.months_since
order by e.cohort, e.months_since
