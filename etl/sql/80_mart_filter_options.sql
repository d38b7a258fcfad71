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

-- mart_filter_combos: which channel, platform, campaign and owner occur together, so each sidebar
-- filter offers only the values that have data with what the other filters chose (ui/state.py:
-- platform Meta with a Google campaign was a blank page). Rows are cut as the queries cut them: ad
-- spend by its own channel, platform and campaign (no owner), leads by their own four, deals by their
-- own channel and owner and their lead's platform and campaign. Campaigns are the ad platforms' (as in
-- mart_filter_options): a lead's unmatched UTM campaign is no filter value.
-- Grain: one row per distinct (channel, platform, campaign, owner); any may be NULL.
-- Read by queries/filters/combos.sql; rebuilt on every load.
create or replace table mart_filter_combos as
with ad_campaigns as (select distinct campaign_name from ad_spend where campaign_name is not null),
combos as (
    select channel, platform, campaign_name as campaign, null::varchar as owner from ad_spend
    union
    select channel, platform, campaign_name, owner from leads
    union
    select d.channel, l.platform, l.campaign_name, d.owner from deals d left join leads l on l.lead_id = d.lead_id
)
select distinct r.channel, r.platform, c.campaign_name as campaign, r.owner
from combos r left join ad_campaigns c on c.campaign_name = r.campaign
where coalesce(r.channel, r.platform, c.campaign_name, r.owner) is not null
order by all;
