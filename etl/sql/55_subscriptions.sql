-- subscriptions, mrr_daily, mrr_movements, billing_customers, billing_coverage: recurring revenue from the
-- Stripe Subscriptions and Invoices exports (the newest version of each record: latest_stripe__*,
-- dated by its newest timestamp then its download time, etl/newest.py). One definition of MRR, after
-- ChartMogul's and Baremetrics' published rules; where it differs:
-- docs/decisions/0137-mrr-follows-chartmogul-with-stated-differences.md.
--   MRR of a subscription on a day = Amount x Quantity (blank: 1) / months of its interval
--     (month 1, year 12, week 12/52, day 12/365, times Interval Count) x (1 - its discount share)
--     x the [fx] rate of its currency into the reporting currency.
--   Discount share: Total Discount Amount / Subtotal of the subscription's latest paid or open invoice
--     whose service period (line items' period start, else Period Start, else Date) began on or before
--     the day; no such invoice: no discount. A share of 1 (fully discounted) gives no MRR.
--   A subscription counts from its start (Start, else Created), or its trial end when it had a trial,
--     until it ended (Ended At; a canceled one without it: Canceled At), exclusive; Cancel At Period
--     End without an end yet: until Current Period End. Incomplete, incomplete_expired and paused
--     subscriptions never count; past_due and unpaid count until they are canceled (ChartMogul's default).
--   Days run to billing_coverage.through_day: the last day the exports describe (see below); an open
--     subscription is never projected past it.
-- mrr_daily: one row per (customer, day) with MRR > 0 (the sum of its subscriptions), reporting currency.
-- mrr_movements: one row per (customer, day, kind) where a customer's MRR changed from the day before,
--   kind new (first MRR ever) | reactivation (MRR again after a day without) | expansion | contraction |
--   churn (MRR gone: dated the first day without); amount > 0. A cancel + new subscription of the
--   same customer on the same day is one change of its MRR: expansion or contraction, never churn + new.
--   For any range, MRR on the day before + new + expansion + reactivation - contraction - churn
--   = MRR on its last day (tests/test_kpi_revenue.py asserts it).
-- billing_customers: one row per Stripe customer: e-mail hash (the CRM's keyed hash: matched
--   case-insensitively, never in clear), first and last paying day, and the CRM lead with the same hash
--   (the earliest created) with its channel, platform, campaign, owner, created and first-touch times.
-- billing_coverage: one row: first_day (first day with MRR) and through_day: the newest subscriptions
--   export's time (its newest timestamp), moved up to its download time unless a subscription still
--   open in it had a period ending earlier (the export was made before that period ended).
-- Reads latest_stripe__subscriptions, latest_stripe__invoices, stg_stripe__subscriptions, load_log,
-- config_fx, leads.
create or replace table subscriptions as
select
    s.subscription_id, s.customer_id, s.customer_email as email_hash, s.plan, s.product,
    coalesce(s.quantity, 1) as quantity, s.currency, lower(s.interval) as interval,
    coalesce(s.interval_count, 1) as interval_count, s.amount, lower(s.status) as status,
    s.created_at, coalesce(s.started_at, s.created_at) as started_at, s.trial_start, s.trial_end,
    s.current_period_start, s.current_period_end, s.canceled_at, s.ended_at,
    coalesce(s.cancel_at_period_end, false) as cancel_at_period_end,
    (s.amount * coalesce(s.quantity, 1)
        / (coalesce(s.interval_count, 1) * case lower(s.interval) when 'year' then 12.0 when 'week' then 12.0 / 52
                                                  when 'day' then 12.0 / 365 else 1.0 end))::double as mrr_list_local,
    fx.rate as fx_rate,
    greatest(coalesce(s.started_at, s.created_at), coalesce(s.trial_end, s.created_at))::date as paid_from,
    coalesce(s.ended_at, case when lower(s.status) = 'canceled' then s.canceled_at end,
             case when s.cancel_at_period_end then s.current_period_end end)::date as paid_until,
    lower(s.status) not in ('incomplete', 'incomplete_expired', 'paused') as may_count,
    s.load_id
from latest_stripe__subscriptions s
left join config_fx fx on fx.currency = s.currency;

create or replace table billing_coverage as
with loads as (
    select max(l.exported_at) as exported_at, max(coalesce(l.downloaded_at, l.exported_at)) as downloaded_at
    from load_log l
    where l.adapter = 'stripe_subscriptions' and l.status like 'loaded%'
      and l.load_id in (select load_id from subscriptions)
),

open_periods as (  -- an export lists an open subscription's current period: it was made before that ended
    select min(current_period_end) as first_open_end
    from subscriptions
    where ended_at is null and status in ('active', 'past_due', 'trialing', 'unpaid') and not cancel_at_period_end
)

select
    (select min(paid_from) from subscriptions where may_count) as first_day,
    greatest(exported_at, least(downloaded_at, coalesce(first_open_end - interval 1 second, downloaded_at)))::date
        as through_day
from loads, open_periods;

create or replace table mrr_daily as
with discount_periods as (
    select subscription_id,
        coalesce(line_period_start, period_start, date)::date as from_day,
        coalesce(total_discount, 0)::double / subtotal::double as share,
        lead(coalesce(line_period_start, period_start, date)::date) over (
            partition by subscription_id order by coalesce(line_period_start, period_start, date), date, invoice_id) as next_day
    from latest_stripe__invoices
    where subscription_id is not null and lower(status) in ('paid', 'open') and subtotal > 0
),

sub_days as (
    select s.subscription_id, s.customer_id, s.mrr_list_local, s.fx_rate,
        unnest(generate_series(s.paid_from, least(s.paid_until - 1, c.through_day), interval 1 day))::date as day
    from subscriptions s, billing_coverage c
    where s.may_count and s.paid_from <= least(s.paid_until - 1, c.through_day)
),

valued as (
    select d.customer_id, d.day,
        d.mrr_list_local * (1 - least(greatest(coalesce(p.share, 0), 0), 1)) * d.fx_rate as mrr
    from sub_days d
    left join discount_periods p
        on p.subscription_id = d.subscription_id and d.day >= p.from_day and (p.next_day is null or d.day < p.next_day)
)

select customer_id, day, round(sum(mrr), 2)::decimal(18, 2) as mrr
from valued
group by customer_id, day
having round(sum(mrr), 2) > 0
order by customer_id, day;

create or replace table mrr_movements as
with steps as (
    select customer_id, day, mrr,
        lag(day) over w as prev_day, lag(mrr) over w as prev_mrr, lead(day) over w as next_day
    from mrr_daily
    window w as (partition by customer_id order by day)
),

changes as (
    select customer_id, day, 'new' as kind, mrr as amount from steps where prev_day is null
    union all
    select customer_id, day, 'reactivation', mrr from steps where prev_day < day - 1
    union all
    select customer_id, day, case when mrr > prev_mrr then 'expansion' else 'contraction' end, abs(mrr - prev_mrr)
    from steps where prev_day = day - 1 and mrr <> prev_mrr
    union all  -- MRR gone: the first day without it, if the exports reach it
    select s.customer_id, s.day + 1, 'churn', s.mrr
    from steps s, billing_coverage c
    where (s.next_day is null or s.next_day > s.day + 1) and s.day + 1 <= c.through_day
)

select customer_id, day, kind, amount::decimal(18, 2) as amount
from changes
order by customer_id, day, kind;

create or replace table billing_customers as
with emails as (
    select customer_id, arg_max(email_hash, created_at) filter (where email_hash is not null) as email_hash
    from (
        select customer_id, email_hash, created_at from subscriptions
        union all
        select customer_id, customer_email, date from latest_stripe__invoices
    )
    group by customer_id
),

paying as (
    select customer_id, min(day) as first_paid_day, max(day) as last_paid_day from mrr_daily group by customer_id
),

people as (  -- the CRM lead of each e-mail hash: the earliest created
    select email_hash, arg_min(lead_id, created_at) as lead_id
    from leads where email_hash is not null
    group by email_hash
)

select e.customer_id, e.email_hash, p.first_paid_day, p.last_paid_day,
    l.lead_id, l.channel, l.platform, l.campaign_name, l.owner, l.created_at as lead_created_at, l.first_touch_at
from emails e
left join paying p using (customer_id)
left join people pp on pp.email_hash = e.email_hash
left join leads l on l.lead_id = pp.lead_id
order by e.customer_id;
