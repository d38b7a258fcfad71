-- The Revenue page's per-customer rows for a range: each billing customer's MRR on the point day P and on
-- S - 1, its churned + contraction and new MRR S..P, its MRR-months S..P and its days to first payment
-- (queries/revenue/channels.sql says what each means), with its channel, ad platform and campaign. A base
-- of revenue/channels: computed once per view and shared by its rows per channel and per platform (each
-- joined every customer with its MRR days again: docs/benchmarks.md "Performance round 2 (#23)").
-- Grain: one row per billing customer; none where the billing exports do not reach the range.
-- Parameters: $start_date, $end_date, $as_of. Point day P and start S as in revenue/mrr.
-- Reads: billing_coverage, billing_customers, mrr_daily, mrr_movements.
with bounds as (
    select $start_date::date as start_day, least($end_date::date, $as_of::timestamp::date, through_day) as point_day
    from billing_coverage
    where first_day is not null and $start_date::date <= through_day
),

per_customer as (  -- joins, not a subquery per customer and measure (each one a pass over mrr_daily)
    select c.customer_id, c.channel, c.platform, c.campaign_name,
        e.mrr as end_mrr, s.mrr as start_mrr, mv.lost_mrr, mv.new_mrr,
        mm.mrr_sum / (365.25 / 12) as mrr_months,
        case when c.first_paid_day between b.start_day and b.point_day and c.lead_created_at is not null
             then c.first_paid_day - c.lead_created_at::date end as days_to_first_payment
    from billing_customers c
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
)

select * from per_customer
