-- Open pipeline by stage and forecast category: what is in flight right now, and how much of it
-- is expected to close in the range?
-- Grain: one row per stage x forecast category (x rep when $by = 'owner').
-- Parameters: $as_of (TIMESTAMP snapshot), $start_date, $end_date (expected close range for
-- closing_in_range), $by 'owner' | 'total', $channel, $owner,
-- $platform, $campaign (lists of values, NULL = all; platform and campaign are the deal's lead's).
-- Metrics: deals and amount open at $as_of (created by then, not closed); closing_in_range =
-- amount whose expected close date falls in the range. Omitted deals are listed but flagged.
-- Reads: deals.
select
    case when $by = 'owner' then coalesce(owner, '(no owner)') else 'all' end as segment,
    stage,
    coalesce(forecast_category, 'pipeline') as forecast_category,
    count(*) as deals,
    sum(amount) as amount,
    sum(amount) filter (where expected_close_at::date between $start_date and $end_date) as closing_in_range
from deals d
where not is_closed and created_at <= $as_of::timestamp
  and in_selection(channel, $channel) and in_selection(owner, $owner)
  and ($platform is null and $campaign is null
           or exists (select 1 from leads l where l.lead_id = d.lead_id
                      and in_selection(l.platform, $platform)
                      and in_selection(l.campaign_name, $campaign)))
group by all
order by segment, amount desc nulls last
