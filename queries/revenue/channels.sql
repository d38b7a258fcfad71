-- Revenue by acquisition channel or campaign: which channels bring the customers that stay and grow?
-- Billing customers are matched to CRM leads by e-mail hash (billing_customers, etl/sql/55_subscriptions.sql:
-- the lead with the same keyed hash, compared case-insensitively); a customer without a CRM lead is in
-- the row whose channel is NULL ("no CRM match").
-- Grain: one row per channel ($by = 'channel'), per ad platform ($by = 'platform': NULL for customers whose
-- lead came from no ad platform) or per channel and campaign ($by = 'campaign'); none where the billing
-- exports do not reach the range. Parameters: $start_date, $end_date, $as_of, $by,
-- $gross_margin (config [kpi]). Point day P and start S as in revenue/mrr.
-- Columns (reporting currency):
--   customers          customers paying on P;  arr = 12 x their MRR on P;  arpa = MRR on P / customers
--   new_customers      customers whose first MRR ever is dated S..P
--   net_revenue_retention  the channel's customers paying on S - 1: their MRR on P / their MRR on S - 1
--   revenue_churn_rate (churned + contraction MRR of the channel S..P) / its MRR-months at risk S..P (the sum of
--                      its customers' daily MRR / 30.4375), as revenue/mrr
--   ltv                arpa x gross_margin / revenue_churn_rate (NULL when nothing churned)
--   cac                the channel's ad spend in the range / its new customers (ad spend only: the sales
--                      team's cost is not split by channel); NULL for channels without spend
--   ltv_cac            ltv / cac;  payback_months  cac / (its new MRR per new customer x gross_margin)
--   days_to_first_payment  median days from the lead's creation (its first touch with the funnel) to its
--                      first paying day, of the new customers S..P that matched a lead
-- Reads: billing_coverage, billing_customers, mrr_daily, mrr_movements, ad_spend.
with bounds as (
    select $start_date::date as start_day, least($end_date::date, $as_of::timestamp::date, through_day) as point_day
    from billing_coverage
    where first_day is not null and $start_date::date <= through_day
),

customers as (
    select customer_id, case when $by = 'platform' then platform else channel end as channel,
        case when $by = 'campaign' then campaign_name end as campaign_name, lead_created_at, first_paid_day
    from billing_customers
),

per_customer as (  -- joins, not a subquery per customer and measure (each one a pass over mrr_daily)
    select c.channel, c.campaign_name, c.customer_id,
        e.mrr as end_mrr, s.mrr as start_mrr, mv.lost_mrr, mv.new_mrr,
        mm.mrr_sum / (365.25 / 12) as mrr_months,
        case when c.first_paid_day between b.start_day and b.point_day and c.lead_created_at is not null
             then c.first_paid_day - c.lead_created_at::date end as days_to_first_payment
    from customers c
    cross join bounds b
    left join (select d.customer_id, d.mrr from mrr_daily d join bounds b on d.day = b.point_day) e
        on e.customer_id = c.customer_id
    left join (select d.customer_id, d.mrr from mrr_daily d join bounds b on d.day = b.start_day - 1) s
        on s.customer_id = c.customer_id
    left join (select m.customer_id,
                   sum(m.amount) filter (where m.kind in ('churn', 'contraction')) as lost_mrr,
                   sum(m.amount) filter (where m.kind = 'new') as new_mrr
               from mrr_movements m, bounds b
               where m.day between b.start_day and b.point_day
               group by m.customer_id) mv on mv.customer_id = c.customer_id
    left join (select d.customer_id, sum(d.mrr) as mrr_sum
               from mrr_daily d, bounds b
               where d.day between b.start_day and b.point_day
               group by d.customer_id) mm on mm.customer_id = c.customer_id
),

spend as (
    select case when $by = 'platform' then platform else channel end as channel,
        case when $by = 'campaign' then campaign_name end as campaign_name, sum(spend) as spend
    from ad_spend where date between $start_date and $end_date
    group by all
),

grouped as (
    select channel, campaign_name,
        count(*) filter (where end_mrr > 0) as customers,
        coalesce(sum(end_mrr), 0) as mrr,
        count(*) filter (where new_mrr > 0) as new_customers,
        coalesce(sum(new_mrr), 0) as new_mrr,
        sum(end_mrr) filter (where start_mrr > 0) as cohort_end_mrr,
        sum(start_mrr) as start_mrr,
        coalesce(sum(lost_mrr), 0) as lost_mrr,
        median(days_to_first_payment) as days_to_first_payment,
        sum(mrr_months) as mrr_months
    from per_customer
    group by all
    having count(*) filter (where end_mrr > 0 or start_mrr > 0 or new_mrr > 0) > 0
),

rates as (
    select g.*, s.spend,
        g.mrr / nullif(g.customers, 0) as arpa,
        g.lost_mrr / nullif(g.mrr_months, 0) as revenue_churn_rate,
        s.spend / nullif(g.new_customers, 0) as cac
    from grouped g
    left join spend s on s.channel is not distinct from g.channel and s.campaign_name is not distinct from g.campaign_name
)

select
    case when $by = 'platform' then null else channel end as channel,
    case when $by = 'platform' then channel end as platform, campaign_name, customers, 12 * mrr as arr, arpa, new_customers,
    coalesce(cohort_end_mrr, 0) / nullif(start_mrr, 0) as net_revenue_retention,
    revenue_churn_rate,
    arpa * $gross_margin / nullif(revenue_churn_rate, 0) as ltv,
    cac,
    arpa * $gross_margin / nullif(revenue_churn_rate, 0) / nullif(cac, 0) as ltv_cac,
    cac / nullif(new_mrr / nullif(new_customers, 0) * $gross_margin, 0) as payback_months,
    days_to_first_payment
from rates
order by arr desc, channel nulls last, campaign_name nulls last
