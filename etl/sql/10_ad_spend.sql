-- ad_spend: one row per (platform, account_id, campaign_id, date) across all ad platforms.
-- Grain and key per SPEC section 4. spend / conversion_value are in the reporting currency
-- (config [reporting]); the source currency and amounts are kept (currency, *_local).
-- Conversions: Meta "Results" (when the result is an action), Google/TikTok "Conversions",
-- LinkedIn "Conversions" + "Leads" (lead-gen forms are not in its conversion count).
create or replace table ad_spend as
with unioned as (
    select 'meta' as platform, coalesce(account_id, account_name, '') as account_id, account_name,
           campaign_id, campaign_name, null::varchar as campaign_group, date, impressions, clicks,
           spend as spend_local, currency,
           case when result_indicator is null or result_indicator like 'actions:%' then results end as conversions,
           conversion_value as conversion_value_local, load_id, source_line
    from stg_meta__campaign_days
    union all
    select 'google_ads', coalesce(account_id, account_name, ''), account_name, campaign_id, campaign_name,
           null, date, impressions, clicks, spend, currency, conversions, conversion_value, load_id, source_line
    from stg_google_ads__campaign_days
    union all
    select 'tiktok', coalesce(account_id, account_name, ''), account_name, campaign_id, campaign_name,
           null, date, impressions, clicks, spend, currency, conversions, conversion_value, load_id, source_line
    from stg_tiktok__campaign_days
    union all
    select 'linkedin', coalesce(account_id, account_name, ''), account_name, campaign_id, campaign_name,
           campaign_group, date, impressions, clicks, spend, currency,
           coalesce(conversions, 0) + coalesce(platform_leads, 0), conversion_value, load_id, source_line
    from stg_linkedin__campaign_days
),

latest as (
    select * from unioned
    qualify row_number() over (
        partition by platform, account_id, campaign_id, date order by load_id desc, source_line desc) = 1
),

platform_channels as (
    select platform, channel_of(platform, null, null, null, null) as channel
    from (select distinct platform from latest)
)

select
    l.date, l.platform, l.account_id, l.campaign_id, l.campaign_name, pc.channel,
    coalesce(l.impressions, 0) as impressions, coalesce(l.clicks, 0) as clicks,
    to_reporting(coalesce(l.spend_local, 0), fx.rate) as spend, l.currency,
    coalesce(l.conversions, 0) as conversions,
    to_reporting(coalesce(l.conversion_value_local, 0), fx.rate) as conversion_value,
    coalesce(l.spend_local, 0) as spend_local,
    coalesce(l.conversion_value_local, 0) as conversion_value_local,
    l.account_name, l.campaign_group, norm_campaign(l.campaign_name) as campaign_key, l.load_id
from latest l
join platform_channels pc using (platform)
left join config_fx fx on fx.currency = l.currency
order by l.date, l.platform, l.campaign_id;
