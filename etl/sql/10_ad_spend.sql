-- ad_spend: one row per (platform, account_id, campaign, date) across all ad platforms.
-- Unique on that key. spend / conversion_value are in the reporting currency
-- (config [reporting]); the source currency and amounts are kept (currency, *_local).
-- Reads _ad_rows: each ad contract's staging rows in one vocabulary, written by etl/models.py from
-- the contracts' `maps_to` / `unified` (conversions: Meta "Results" when the result is an action,
-- Google/TikTok "Conversions", LinkedIn "Conversions" + "Leads"), at the file's grain: rows per ad,
-- age, placement... are summed here to campaign x day. Exports without a Campaign ID (the vendors'
-- default columns) are keyed by campaign name, and take the ID and account of the campaign of that
-- name where another export carried it, so both kinds of export of one campaign count once.
-- The newest export's rows win per campaign and day, summed: newest by the export's own time
-- (load_log.exported_at, etl/newest.py), never load order ({version_order}, etl/models.py).
create or replace table ad_spend as
with campaign_ids as (
    -- campaigns exported with an ID
    select distinct platform, account_id, account_name, campaign_id, campaign_name
    from _ad_rows where campaign_id is not null
),

by_name as (
    -- a campaign name that belongs to exactly one campaign ID (and account) on its platform
    select platform, campaign_name, any_value(campaign_id) as campaign_id,
           max(account_id) as account_id, max(account_name) as account_name
    from campaign_ids
    group by platform, campaign_name
    having count(distinct campaign_id) = 1 and count(distinct account_id) <= 1
),

by_id as (
    -- the account ID of a campaign ID, for exports without an account ID column
    select platform, campaign_id, any_value(account_id) as account_id
    from campaign_ids where account_id is not null
    group by platform, campaign_id
    having count(distinct account_id) = 1
),

resolved as (
    -- the account: its ID where any export of the campaign has one, else its name (as before IDs)
    select r.platform,
           coalesce(r.account_id, n.account_id, i.account_id, r.account_name, n.account_name, '') as account_id,
           coalesce(r.campaign_id, n.campaign_id) as campaign_id,
           r.account_name, r.campaign_name, r.campaign_group, r.date, r.impressions, r.clicks, r.spend,
           r.currency, r.conversions, r.conversion_value, r.load_id, r.source_line
    from _ad_rows r
    left join by_name n
        on r.campaign_id is null and n.platform = r.platform and n.campaign_name = r.campaign_name
        and (coalesce(r.account_id, r.account_name) is null
             or r.account_id = n.account_id or r.account_name = n.account_name)
    left join by_id i
        on r.account_id is null and i.platform = r.platform and i.campaign_id = coalesce(r.campaign_id, n.campaign_id)
),

versions as (
    -- one row per campaign, day and file: the file's rows (ads, ages...) summed
    select platform, account_id, campaign_id, case when campaign_id is null then campaign_name end as name_key,
           date, load_id, max(source_line) as source_line,
           arg_max(campaign_name, source_line) as campaign_name, arg_max(account_name, source_line) as account_name,
           arg_max(campaign_group, source_line) as campaign_group, max(currency) as currency,
           sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks, sum(spend) as spend_local,
           sum(conversions) as conversions, sum(conversion_value) as conversion_value_local
    from resolved
    group by platform, account_id, campaign_id, name_key, date, load_id
),

latest as (
    select v.* from versions v left join load_log lg on lg.load_id = v.load_id
    qualify row_number() over (
        partition by v.platform, v.account_id, v.campaign_id, v.name_key, v.date order by {version_order}) = 1
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
    coalesce(l.spend_local, 0)::decimal(18, 2) as spend_local,
    coalesce(l.conversion_value_local, 0)::decimal(18, 2) as conversion_value_local,
    l.account_name, l.campaign_group, norm_campaign(l.campaign_name) as campaign_key, l.load_id
from latest l
join platform_channels pc using (platform)
left join config_fx fx on fx.currency = l.currency
order by l.date, l.platform, l.campaign_id;
