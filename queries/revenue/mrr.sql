-- Recurring revenue: how much monthly recurring revenue the business has, how it moved in the
-- period, and how much of it the period's starting customers kept (Stripe exports, etl/sql/55_subscriptions.sql;
-- the MRR definition and where it differs from ChartMogul's: docs/decisions/0137-mrr-follows-chartmogul-with-stated-differences.md).
-- Grain: one row for the range; no row where the billing exports do not reach the range (no data, never 0).
-- Parameters:
--   $start_date, $end_date   inclusive DATE range
--   $as_of                   TIMESTAMP: point-in-time values are taken at the end of the range's last
--                            day, or of the as-of day if earlier, and never past billing_coverage.through_day
--   $gross_margin, $monthly_sales_cost   config [kpi], for the measured LTV and CAC payback
-- Billing is not cut by channel, platform, campaign or rep here (registry.toml not_split_by); the
-- Revenue page's channel table splits it through the CRM match (revenue/channels).
-- Metrics (reporting currency; point day P = least(end, as-of day, through day); start S = $start_date):
--   mrr, paying_customers   MRR and customers with MRR > 0 on P;  arr = 12 x mrr;  arpa = mrr / paying_customers
--   start_mrr               MRR on S - 1
--   new_mrr, expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr
--                           sums of mrr_movements dated S..P (daily changes per customer, so the months of
--                           the period summed); net_new_mrr = new + expansion + reactivation - contraction - churned,
--                           and start_mrr + net_new_mrr = mrr (the movement identity)
--   net_revenue_retention   period cohort: customers paying on S - 1: their MRR on P / their MRR on S - 1
--   gross_revenue_retention the same with each customer's MRR on P capped at its MRR on S - 1 (no expansion)
--   logo_retention          of the customers paying on S - 1, the share still paying on P
--   net_revenue_retention_12m, gross_revenue_retention_12m   the same for the cohort paying 12 months
--                           before P (NULL when billing does not reach back that far)
--   revenue_churn_rate      monthly: (churned_mrr + contraction_mrr) / the MRR-months at risk S..P (the sum
--                           of every day's MRR / 30.4375): MRR lost per month of MRR held, so a base that
--                           grew during the range is not read as churning faster (one steady month: / start MRR)
--   ltv_measured            arpa x gross_margin / revenue_churn_rate (NULL when nothing churned)
--   new_customers           customers whose first MRR ever is dated S..P
--   cac_measured            (ad spend S..end + monthly_sales_cost x months of the range) / new_customers
--   cac_payback_measured    cac_measured / (new_mrr / new_customers x gross_margin)
--   covered                 billing describes the whole range: first day with MRR <= S and through day >= the
--                           range's last day (or the as-of day if earlier); the headline's LTV and CAC payback are
--                           measured only then (else the config assumption, said "assumed")
-- NULL when a denominator is 0. Reads: billing_coverage, mrr_daily, mrr_movements, ad_spend.
with bounds as (
    select $start_date::date as start_day,
        least($end_date::date, $as_of::timestamp::date, through_day) as point_day,
        first_day, through_day,
        coalesce(first_day <= $start_date::date and through_day >= least($end_date::date, $as_of::timestamp::date), false)
            as covered,
        ($end_date::date - $start_date::date + 1) / (365.25 / 12) as range_months
    from billing_coverage
    where first_day is not null and $start_date::date <= through_day
),

at_point as (
    select coalesce(sum(d.mrr), 0) as mrr, count(*) as paying_customers
    from mrr_daily d, bounds b where d.day = b.point_day
),

cohort as (  -- the customers paying on the day before the range, and their MRR on the point day
    select s.mrr as start_mrr, coalesce(e.mrr, 0) as end_mrr
    from bounds b
    join mrr_daily s on s.day = b.start_day - 1
    left join mrr_daily e on e.customer_id = s.customer_id and e.day = b.point_day
),

cohort_12m as (
    select s.mrr as start_mrr, coalesce(e.mrr, 0) as end_mrr
    from bounds b
    join mrr_daily s on s.day = (b.point_day - interval 12 month)::date and (b.point_day - interval 12 month)::date >= b.first_day
    left join mrr_daily e on e.customer_id = s.customer_id and e.day = b.point_day
),

moves as (
    select
        coalesce(sum(m.amount) filter (where m.kind = 'new'), 0) as new_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'expansion'), 0) as expansion_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'contraction'), 0) as contraction_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'churn'), 0) as churned_mrr,
        coalesce(sum(m.amount) filter (where m.kind = 'reactivation'), 0) as reactivation_mrr,
        count(*) filter (where m.kind = 'new') as new_customers
    from bounds b
    left join mrr_movements m on m.day between b.start_day and b.point_day
),

spend as (
    select coalesce(sum(spend), 0) as spend from ad_spend where date between $start_date and $end_date
),

base as (
    select b.*, p.*, m.*, s.spend,
        (select coalesce(sum(start_mrr), 0) from cohort) as start_mrr,
        (select sum(end_mrr) from cohort) as cohort_end_mrr,
        (select sum(least(end_mrr, start_mrr)) from cohort) as cohort_kept_mrr,
        (select count(*) filter (where end_mrr > 0) from cohort) as cohort_kept,
        (select count(*) from cohort) as cohort_size,
        (select sum(start_mrr) from cohort_12m) as start_mrr_12m,
        (select sum(end_mrr) from cohort_12m) as end_mrr_12m,
        (select sum(least(end_mrr, start_mrr)) from cohort_12m) as kept_mrr_12m,
        (select sum(d.mrr) from mrr_daily d where d.day between b.start_day and b.point_day) / (365.25 / 12)
            as mrr_months
    from bounds b, at_point p, moves m, spend s
),

rates as (
    select *,
        mrr / nullif(paying_customers, 0) as arpa,
        (churned_mrr + contraction_mrr) / nullif(mrr_months, 0) as revenue_churn_rate,
        (spend + $monthly_sales_cost * range_months) / nullif(new_customers, 0) as cac_measured
    from base
)

select
    mrr, 12 * mrr as arr, paying_customers, arpa, start_mrr,
    new_mrr, expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr,
    new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr as net_new_mrr,
    cohort_end_mrr / nullif(start_mrr, 0) as net_revenue_retention,
    cohort_kept_mrr / nullif(start_mrr, 0) as gross_revenue_retention,
    cohort_kept / nullif(cohort_size, 0) as logo_retention,
    end_mrr_12m / nullif(start_mrr_12m, 0) as net_revenue_retention_12m,
    kept_mrr_12m / nullif(start_mrr_12m, 0) as gross_revenue_retention_12m,
    revenue_churn_rate,
    arpa * $gross_margin / nullif(revenue_churn_rate, 0) as ltv_measured,
    new_customers, cac_measured,
    cac_measured / nullif(new_mrr / nullif(new_customers, 0) * $gross_margin, 0) as cac_payback_measured,
    covered, point_day, through_day
from rates
