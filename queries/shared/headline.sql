-- Headline: the numbers leadership reviews every Monday, with targets and pace.
-- Grain: one row for the range. Parameters:
--   $start_date, $end_date   inclusive DATE range (UTC dates; ad_spend by its own date)
--   $as_of                   TIMESTAMP "now" (elapsed share of the range, open pipeline snapshot)
--   $channel, $platform, $campaign, $owner   optional filters (lists of values; NULL = all). Deals are cut by their
--                            own channel and owner and by their lead's platform and campaign; ad spend
--                            has no owner (spend, CAC and ROAS are not split by owner: registry.toml);
--                            targets exist for the team, a channel or a rep (segment), else NULL:
--                            a rep's or channel's target when exactly one is chosen.
--   $monthly_sales_cost      sales team cost per month (reporting currency), for blended CAC
--   $gross_margin, $monthly_churn, $contract_months   for payback and LTV (config [kpi])
-- Metrics:
--   revenue            closed-won amount, deals closed in the range
--   new_pipeline       amount of deals created in the range
--   new_customers      deals closed won in the range
--   spend              ad spend in the range
--   leads, mqls, sqls  stage entries in the range (flow), as base measures for pace
--   cac_blended        (spend + monthly_sales_cost x months in range) / new_customers
--   cac_paid           spend / new customers whose deal came from a paid channel (one that an ad
--                      platform maps to in config/channels.toml)
--   cac_payback_months cac_blended / (revenue per new customer / contract_months x gross_margin)
--   ltv                revenue per new customer / contract_months x gross_margin / monthly_churn
--                      Both are MEASURED instead when the Stripe exports cover the range and no dimension
--                      filter is set (billing is not cut by them here): revenue/mrr's ltv_measured (ARPA x
--                      gross_margin / monthly revenue churn) and cac_payback_measured (the range's spend and
--                      sales cost over billing's new customers / (their new MRR each x gross_margin)).
--   ltv_basis, cac_payback_basis  'measured' | 'assumed' (the config values above): every surface says "assumed"
--   ltv_cac            ltv / cac_blended
--   forecast_target_accuracy  max(0, 1 - |revenue - forecast| / revenue), forecast = targets.csv 'forecast'
--                      (a number someone typed in; called forecast_accuracy before #25, which now
--                      judges Revline's own projections: queries/pipeline/forecast_accuracy.sql)
--   pipeline_coverage  open pipeline (open at $as_of, forecast category not 'omitted') with its
--                      expected close in the range / target still to close (revenue target for the
--                      range - revenue won in it). NULL, not 0 or a huge multiple, when the range
--                      ended before $as_of's day (nothing is left to close), the target is met, or
--                      there is no target. Deals expected in the range but still open count (slipped).
--   <metric>_target    sum of monthly targets (targets.csv, segment 'all' or the channel) pro rata
--                      by day for revenue, new_pipeline, new_customers, spend, mqls, sqls
--   <metric>_pace      actual / (target x elapsed share of the range): 1.0 = on pace
-- NULL when a denominator is 0 or a target is missing. Reads: deals (and their leads: deals_in_view,
-- queries/macros.sql), mart_stage_entries (leads by stage and day), ad_spend, targets,
-- config_channel_rules (the paid channels), and the billing tables revenue/mrr reads.
-- uses: shared/targets_in_range as target_rows
-- uses: revenue/mrr as billing
with range_info as (
    select
        ($end_date::date - $start_date::date + 1) as days,
        greatest(least($as_of::timestamp::date, $end_date::date) - $start_date::date + 1, 0) as elapsed_days
),

money as (
    select
        coalesce(sum(amount) filter (where is_won and closed_at::date between $start_date and $end_date), 0) as revenue,
        coalesce(sum(amount) filter (where created_at::date between $start_date and $end_date), 0) as new_pipeline,
        count(*) filter (where is_won and closed_at::date between $start_date and $end_date) as new_customers,
        count(*) filter (where is_won and closed_at::date between $start_date and $end_date
                         and channel in (select channel from config_channel_rules where platform is not null)) -- paid
                         as new_paid_customers,
        coalesce(sum(amount) filter (where not is_closed and created_at <= $as_of::timestamp
                         and expected_close_at::date between $start_date and $end_date
                         and coalesce(forecast_category, '') <> 'omitted'), 0) as closing_pipeline
    from deals_in_view($channel, $owner, $platform, $campaign)
),

spend as (
    select coalesce(sum(spend), 0) as spend
    from ad_spend
    where date between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
),

funnel as (  -- stage entries in the range, read by day from mart_stage_entries
    select
        count(*) filter (where stage = 'created_at') as leads,
        count(*) filter (where stage = 'mql_at') as mqls,
        count(*) filter (where stage = 'sql_at') as sqls
    from mart_stage_entries
    where day between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
      and in_selection(owner, $owner)
),

target as (
    select
        sum(target) filter (where metric = 'revenue') as revenue_target,
        sum(target) filter (where metric = 'new_pipeline') as new_pipeline_target,
        sum(target) filter (where metric = 'new_customers') as new_customers_target,
        sum(target) filter (where metric = 'spend') as spend_target,
        sum(target) filter (where metric = 'mqls') as mqls_target,
        sum(target) filter (where metric = 'sqls') as sqls_target,
        sum(target) filter (where metric = 'forecast') as forecast
    from target_rows
    where segment = case when $platform is null and $campaign is null and ($owner is null or $channel is null)
                              and coalesce(len($owner), 1) = 1 and coalesce(len($channel), 1) = 1
                         then coalesce($owner[1], $channel[1], 'all') end  -- one rep or one channel chosen
),

measured as (  -- billing covers the range and no filter cuts what billing is not cut by
    select coalesce(bool_or(covered), false) and $channel is null and $platform is null and $campaign is null
               and $owner is null as is_measured,
        any_value(ltv_measured) as ltv_measured, any_value(cac_payback_measured) as cac_payback_measured
    from billing
),

base as (
    select *,
        revenue / nullif(new_customers, 0) / nullif($contract_months, 0) as monthly_revenue_per_customer,
        (spend + $monthly_sales_cost * days / (365.25 / 12)) / nullif(new_customers, 0) as cac_blended
    from money, spend, funnel, target, range_info, measured
),

valued as (
    select *,
        case when is_measured then cac_payback_measured
             else cac_blended / nullif(monthly_revenue_per_customer * $gross_margin, 0) end as cac_payback_months,
        case when is_measured then ltv_measured
             else monthly_revenue_per_customer * $gross_margin / nullif($monthly_churn, 0) end as ltv
    from base
)

select
    revenue, new_pipeline, new_customers, spend, leads, mqls, sqls,
    cac_blended,
    spend / nullif(new_paid_customers, 0) as cac_paid,
    cac_payback_months, ltv, ltv / nullif(cac_blended, 0) as ltv_cac,
    case when is_measured then 'measured' else 'assumed' end as ltv_basis,
    case when is_measured then 'measured' else 'assumed' end as cac_payback_basis,
    case when forecast is not null and revenue <> 0
         then greatest(0, 1 - abs(revenue - forecast) / revenue) end as forecast_target_accuracy,
    case when $as_of::timestamp::date <= $end_date::date and revenue_target > revenue
         then closing_pipeline / (revenue_target - revenue) end as pipeline_coverage,
    closing_pipeline, revenue_target - revenue as target_to_close,
    revenue_target, new_pipeline_target, new_customers_target, spend_target, mqls_target, sqls_target,
    revenue / nullif(revenue_target * elapsed_days / days, 0) as revenue_pace,
    new_pipeline / nullif(new_pipeline_target * elapsed_days / days, 0) as new_pipeline_pace,
    new_customers / nullif(new_customers_target * elapsed_days / days, 0) as new_customers_pace,
    spend / nullif(spend_target * elapsed_days / days, 0) as spend_pace,
    mqls / nullif(mqls_target * elapsed_days / days, 0) as mqls_pace,
    sqls / nullif(sqls_target * elapsed_days / days, 0) as sqls_pace,
    elapsed_days, days
from valued
