-- annotations: events to mark on the trend charts, one row per event. Three sources:
--   file     - annotations.csv rows (etl/contracts/revline_annotations.toml); the newest export wins per
--              (date, label, scope), as targets.csv; scope 'all' when blank.
--   campaign - each campaign's first and last day with spend > 0 in ad_spend (per platform, channel
--              and campaign name: the campaign filter's unit), scope 'campaign: <name>'; not on the
--              platform's first / last day of data, where it is no start or end we saw.
--   load     - each day files were loaded (load_log, status loaded*), scope 'all'.
-- scope_kind / scope_value split the scope ('channel: Paid Search' -> channel, Paid Search);
-- channel / platform / campaign carry what queries/shared/annotations.sql filters on.
create or replace table annotations as
with from_file as (
    select a.date, a.end_date, a.label, coalesce(nullif(trim(a.scope), ''), 'all') as scope
    from latest_revline__annotations a
    left join load_log l on l.load_id = a.load_id
    qualify row_number() over (
        partition by a.date, a.label, coalesce(nullif(trim(a.scope), ''), 'all')
        order by l.exported_at desc nulls last, a.load_id desc, a.source_line desc) = 1
),

parsed as (
    select date, end_date, label, scope, 'file' as origin,
           case when strpos(scope, ':') > 0 then lower(trim(split_part(scope, ':', 1))) else 'all' end as scope_kind,
           case when strpos(scope, ':') > 0 then trim(substr(scope, strpos(scope, ':') + 1)) end as scope_value
    from from_file
),

platform_span as (  -- the days the platform's loaded exports cover
    select platform, min(date) as data_from, max(date) as data_to from ad_spend group by platform
),

campaign_days as (
    select platform, channel, campaign_name, min(date) as first_day, max(date) as last_day
    from ad_spend
    where spend > 0 and campaign_name is not null
    group by platform, channel, campaign_name
),

campaigns as (
    -- a first spend day on the platform's first day of data is no start we saw, a last spend day
    -- on its last day no end (the campaign may run on): those are not marked
    select first_day as date, null::date as end_date, 'Start: ' || campaign_name as label,
           'campaign: ' || campaign_name as scope, 'campaign' as origin, 'campaign' as scope_kind,
           campaign_name as scope_value, channel, platform, campaign_name as campaign
    from campaign_days join platform_span using (platform)
    where first_day > data_from
    union all
    select last_day, null::date, 'End: ' || campaign_name, 'campaign: ' || campaign_name, 'campaign',
           'campaign', campaign_name, channel, platform, campaign_name
    from campaign_days join platform_span using (platform)
    where last_day < data_to
),

loads as (
    select started_at::date as date, null::date as end_date,
           'Data loaded: ' || count(*) || (case when count(*) = 1 then ' file' else ' files' end) as label,
           'all' as scope, 'load' as origin, 'all' as scope_kind, null as scope_value
    from load_log
    where status like 'loaded%' and started_at is not null
    group by 1
)

select date, end_date, label, scope, origin, scope_kind, scope_value,
       case when scope_kind = 'channel' then scope_value end as channel,
       case when scope_kind = 'platform' then scope_value end as platform,
       case when scope_kind = 'campaign' then scope_value end as campaign
from parsed
union all
select date, end_date, label, scope, origin, scope_kind, scope_value, channel, platform, campaign
from campaigns
union all
select date, end_date, label, scope, origin, scope_kind, scope_value, null, null, null
from loads
order by date, origin, label;
