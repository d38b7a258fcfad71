-- Values the sidebar filters offer: every channel, platform, campaign and owner present in the
-- warehouse, with the date range the data covers.
-- Grain: one row per (kind, value). Parameters: none. Reads: ad_spend, leads, deals.
select 'channel' as kind, channel as value from (select channel from ad_spend union select channel from leads)
where channel is not null
union
select 'platform', platform from (select platform from ad_spend union select platform from leads) where platform is not null
union
select 'campaign', campaign_name from ad_spend where campaign_name is not null
union
select 'owner', owner from (select owner from leads union select owner from deals) where owner is not null
order by kind, value
