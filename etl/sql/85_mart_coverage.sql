-- mart_coverage: which days the loaded exports of each source cover, so the app never reads missing
-- data as a collapse (docs/decisions/0062-coverage-is-read-from-the-datas-own-dates.md).
-- Grain: one row per covered stretch or gap of a source and account; status 'covered' | 'gap';
-- platform as in ad_spend for ad platforms (null for CRM export types).
-- kind says what the source feeds: 'ads' (ad platforms, per account), 'leads', 'deals',
-- 'activities' (CRM export types, one row: a CRM export is a snapshot of every record), 'web' (GA4
-- reports by day, per report: a day between two loaded ranges is a gap, "no data", never zero).
-- Rules, from the data's own dates only:
--   ad platforms, GA4 reports (kind 'web') and Search Console charts (kind 'search'; one account ''): each load covers, per account, the days from its first to its last row that
--   ad_spend keeps; overlapping or adjacent loads join into one covered stretch; days between two
--   stretches of the same account are a gap (the account has rows before and after, and no loaded
--   export spans them). A day without rows inside one export is no delivery, not a gap.
--   CRM: from the oldest record created to the newest event time in the export (created, stage
--   and first-touch times; for deals the close date of closed deals only).
-- last_loaded_at / last_exported_at: newest successful load of the export type, and the export's own
-- time where load_log carries one (column exported_at, read through to_json so it may be absent).
-- Reads: ad_spend, web_sessions, search_daily, billing_coverage, deals, stg_hubspot__contacts, stg_salesforce__leads, sales_activities,
-- load_log, _coverage_sources and config_platforms (the sources: one per contract feeding a unified
-- table; ad platforms labelled and ordered as config/channels.toml lists them). Read by
-- queries/data/coverage.sql and freshness.sql; rebuilt on every load.
create or replace table mart_coverage as
with sources as (  -- every contract feeding a unified table (_coverage_sources, from etl/unified.py)
    select s.adapter, s.kind, coalesce(s.crm_label, p.label, s.platform) as label, s.platform, s.source_system,
        row_number() over (order by s.kind_order, p.sort_key nulls last, s.adapter) as sort_key
    from _coverage_sources s
    left join config_platforms p using (platform)
),

ad_loads as (  -- per account and load: the first and last day of its rows (GA4 reports: one account, '')
    select s.adapter, a.account_id, max(a.account_name) as account_name, a.load_id,
        min(a.date) as first_day, max(a.date) as last_day
    from ad_spend a
    join sources s on s.platform = a.platform
    group by s.adapter, a.account_id, a.load_id
    union all
    select l.adapter, '', null, w.load_id, min(w.date), max(w.date)
    from web_sessions w
    join load_log l using (load_id)
    group by l.adapter, w.load_id
    union all  -- Search Console: the days of each export's chart
    select l.adapter, '', null, d.load_id, min(d.date), max(d.date)
    from search_daily d
    join load_log l using (load_id)
    group by l.adapter, d.load_id
),

ad_starts as (  -- a load starts a new stretch when it begins after every earlier load of the account ended
    select *, coalesce(first_day > max(last_day) over (
            partition by adapter, account_id order by first_day, last_day
            rows between unbounded preceding and 1 preceding) + 1, true) as starts_stretch
    from ad_loads
),

ad_stretches as (
    select adapter, account_id, max(account_name) as account_name, min(first_day) as first_day,
        max(last_day) as last_day
    from (select *, sum(starts_stretch::int) over (partition by adapter, account_id order by first_day, last_day
                                                    rows unbounded preceding) as stretch
          from ad_starts)
    group by adapter, account_id, stretch
),

ad_gaps as (
    select adapter, account_id, account_name, last_day + 1 as first_day, next_first - 1 as last_day
    from (select *, lead(first_day) over (partition by adapter, account_id order by first_day) as next_first
          from ad_stretches)
    where next_first is not null
),

crm as (
    select 'hubspot_contacts' as adapter, min(created_at)::date as first_day,
        max(greatest(*columns('_at$')))::date as last_day  -- every event time: created, stages, first touch
    from stg_hubspot__contacts
    union all
    select 'salesforce_leads', min(created_at)::date, max(greatest(*columns('_at$')))::date
    from stg_salesforce__leads
    union all  -- closed_at is set only for closed deals: an open deal's close date is a plan, not data
    select s.adapter, min(d.created_at)::date, max(greatest(d.created_at, d.closed_at))::date
    from deals d join sources s on s.source_system = d.source_system and s.kind = 'deals'
    group by s.adapter
    union all  -- activity exports (Salesforce activities; HubSpot meetings, calls, tasks): created times
    select s.adapter, min(a.booked_at)::date, max(a.booked_at)::date
    from sales_activities a join sources s on s.adapter = a.adapter and s.kind = 'activities'
    group by s.adapter
    union all  -- Stripe subscriptions (kind 'billing'): a snapshot of every subscription, from the first
    -- paying day to the last day the exports describe (billing_coverage, etl/sql/55_subscriptions.sql)
    select 'stripe_subscriptions', first_day, through_day from billing_coverage
),

spans as (
    select adapter, account_id, account_name, 'covered' as status, first_day, last_day from ad_stretches
    union all
    select adapter, account_id, account_name, 'gap', first_day, last_day from ad_gaps
    union all
    select adapter, '', null, 'covered', first_day, last_day from crm where first_day is not null
),

loads as (
    select adapter, max(finished_at) as last_loaded_at,
        max(try_cast(to_json(l) ->> 'exported_at' as timestamp)) as last_exported_at
    from load_log l
    where status like 'loaded%'
    group by adapter
)

select s.kind, p.adapter, s.label, s.platform, p.account_id, coalesce(p.account_name, p.account_id) as account_name,
    p.status, p.first_day, p.last_day, (p.last_day - p.first_day) + 1 as days,
    l.last_loaded_at, l.last_exported_at
from spans p
join sources s using (adapter)
left join loads l using (adapter)
order by s.sort_key, p.account_id, p.first_day;
