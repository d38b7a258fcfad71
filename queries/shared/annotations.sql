-- Annotations to draw on a trend chart: which events (campaign launches and ends, data loads, the
-- team's own notes from annotations.csv) fall in the range, for the filters in force?
-- Grain: one row per annotation whose [date, end_date] overlaps [$start_date, $end_date].
-- Parameters: $start_date, $end_date, $channel, $platform, $campaign (lists of values; NULL = all).
-- Definitions: scope 'all' always shows; a scoped one ('channel: X', 'platform: X', 'campaign: X')
-- hides only when a filter names only other things (compared case-insensitively). Campaign start/end
-- markers (origin 'campaign', from ad_spend's first and last spend day) show once the view is cut
-- by channel, platform or campaign: unfiltered, dozens of campaigns would bury the trend.
-- Reads: annotations (etl/sql/90_annotations.sql).
select date, end_date, label, scope, origin
from annotations
where date <= $end_date::date and coalesce(end_date, date) >= $start_date::date
  and (channel is null or in_selection(lower(channel), [lower(v) for v in $channel]))
  and (platform is null or in_selection(lower(platform), [lower(v) for v in $platform]))
  and (campaign is null or in_selection(lower(campaign), [lower(v) for v in $campaign]))
  and (origin <> 'campaign' or coalesce($channel, $platform, $campaign) is not null)
order by date, label
