-- mart_filter_options: every value the sidebar's filters offer, per kind. Answers "which channels,
-- platforms, campaigns and owners exist?" without scanning every ad row and lead on each app start
-- (21M ad rows and 10M leads at 10M leads: 1.2 s; this table: 52k rows).
-- Grain: one row per (kind, value); kind is channel | platform | campaign | owner.
-- Read by queries/filters/options.sql; rebuilt on every load.
create or replace table mart_filter_options as
select 'channel' as kind, channel as value from (select channel from ad_spend union select channel from leads)
where channel is not null
union
select 'platform', platform from (select platform from ad_spend union select platform from leads) where platform is not null
union
select 'campaign', campaign_name from ad_spend where campaign_name is not null
union
select 'owner', owner from (select owner from leads union select owner from deals) where owner is not null
order by kind, value;
