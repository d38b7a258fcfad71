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
-- Reads: billing_coverage, billing_customers, mrr_daily, mrr_movements (through revenue/customer_rows), ad_spend.
-- uses: revenue/customer_rows as customer_rows
with per_customer as (  -- the base's rows (queries/revenue/customer_rows.sql), attributed as $by says
    select case when $by = 'platform' then platform else channel end as channel,
        case when $by = 'campaign' then campaign_name end as campaign_name,
        customer_id, end_mrr, start_mrr, lost_mrr, new_mrr, mrr_months, days_to_first_payment
    from customer_rows
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
