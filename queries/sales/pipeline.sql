-- Open pipeline by stage and forecast category: what is in flight right now, and how much of it
-- is expected to close in the range?
-- Grain: one row per stage x forecast category (x rep when $by = 'owner').
-- Parameters: $as_of (TIMESTAMP snapshot), $start_date, $end_date (expected close range for
-- closing_in_range), $by 'owner' | 'total', $channel, $owner,
-- $platform, $campaign (lists of values, NULL = all; platform and campaign are the deal's lead's).
-- Metrics: deals and amount open at $as_of (created by then, not closed); closing_in_range =
-- amount whose expected close date falls in the range. Omitted deals are listed but flagged.
-- Reads: deals, leads (a deal's platform and campaign: deals_in_view, queries/macros.sql).
select
    segment_of($by, channel, null, null, owner) as segment,
    stage,
    coalesce(forecast_category, 'pipeline') as forecast_category,
    count(*) as deals,
    sum(amount) as amount,
    sum(amount) filter (where expected_close_at::date between $start_date and $end_date) as closing_in_range
from deals_in_view($channel, $owner, $platform, $campaign)
where not is_closed and created_at <= $as_of::timestamp
group by all
order by segment, amount desc nulls last
