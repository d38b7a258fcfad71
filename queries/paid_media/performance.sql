-- Paid media performance as the ad platforms report it: what did we buy, and what do the
-- platforms say it returned?
-- Grain: one row per period x segment. Parameters:
--   $start_date, $end_date  inclusive DATE range of ad_spend.date
--   $grain     'day' | 'week' | 'month' | 'total' (one row for the whole range)
--   $by        'platform' | 'campaign' | 'channel' | 'total'
--   $channel, $platform, $campaign  optional filters (lists of values; NULL = all)
-- Metrics (ratios of sums, never averages of daily ratios; NULL when the denominator is 0):
--   spend            sum of spend in the reporting currency
--   ctr              clicks / impressions
--   cpc              spend / clicks
--   cpm              spend / impressions x 1000
--   platform_cpa     spend / platform-reported conversions
--   platform_roas    platform-reported conversion value / spend
-- Reads: ad_spend.
with filtered as (
    select *
    from ad_spend
    where date between $start_date and $end_date
      and attribution_in_view(channel, platform, campaign_name, $channel, $platform, $campaign)
),

grouped as (
    select
        period_of($grain, $start_date, date) as period,
        segment_of($by, channel, platform, campaign_name, null) as segment,
        segment_platform($by, platform) as platform,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(conversion_value) as conversion_value
    from filtered
    group by all
)

select
    period, segment, platform, spend, impressions, clicks, conversions, conversion_value,
    clicks / nullif(impressions, 0) as ctr,
    spend / nullif(clicks, 0) as cpc,
    spend / nullif(impressions, 0) * 1000 as cpm,
    spend / nullif(conversions, 0) as platform_cpa,
    conversion_value / nullif(spend, 0) as platform_roas
from grouped
order by period, spend desc nulls last, segment
