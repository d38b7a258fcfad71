-- Cohort maturity: of the leads created in each month (or week), what share reached a stage
-- within N weeks? Young cohorts are shown only up to their age, so they are not read as failures.
-- Grain: one row per cohort x age (weeks since the cohort period started, 0..$max_weeks, only ages
-- the cohort has reached by $as_of). Parameters: $start_date, $end_date (lead created dates),
-- $cohort_grain 'week' | 'month', $stage 'mql' | 'sql' | 'opportunity' | 'customer',
-- $max_weeks, $as_of (TIMESTAMP), $channel, $platform, $campaign, $owner (lists of values; NULL = all).
-- Metrics: cohort_size = leads in the cohort; converted = those whose stage time is within
-- age_weeks x 7 days of their creation; rate = converted / cohort_size.
-- Reads: leads.
with cohort_leads as (
    select
        date_trunc(case when $cohort_grain = 'week' then 'week' else 'month' end, created_at)::date as cohort,
        created_at,
        case $stage when 'mql' then mql_at when 'sql' then sql_at
                    when 'opportunity' then opportunity_at else customer_at end as stage_at
    from leads
    where created_at::date between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
      and in_selection(owner, $owner)
),

reached as (
    -- the week of age by which each lead reached the stage: ceil(days to stage / 7), at least 0
    select cohort, greatest(0, ceil(epoch(stage_at - created_at) / (7 * 86400)))::integer as weeks, count(*) as n
    from cohort_leads
    where stage_at is not null
    group by all
),

sizes as (select cohort, count(*) as cohort_size from cohort_leads group by cohort),

ages as (
    select s.cohort, s.cohort_size, a.age_weeks
    from sizes s, range(0, $max_weeks + 1) a(age_weeks)
    where s.cohort + to_days((a.age_weeks * 7)::integer) <= $as_of::timestamp
)

select
    a.cohort, a.age_weeks, a.cohort_size,
    coalesce(sum(r.n), 0)::bigint as converted,
    coalesce(sum(r.n), 0) / a.cohort_size as rate
from ages a
left join reached r on r.cohort = a.cohort and r.weeks <= a.age_weeks
group by a.cohort, a.age_weeks, a.cohort_size
order by a.cohort, a.age_weeks
