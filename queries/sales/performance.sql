-- Sales performance per rep and for the team: how much did we win, how often, how big, how fast?
-- Grain: one row per segment ($by 'owner' -> one per rep, 'total' -> the team).
-- Parameters: $start_date, $end_date (inclusive DATE range, UTC dates), $by, $channel, $owner,
-- $platform, $campaign (lists of values, NULL = all; platform and campaign are the deal's lead's), $as_of (TIMESTAMP, for the open pipeline snapshot).
-- Metrics:
--   won, lost            deals closed won / lost with closed_at in the range
--   win_rate             won / (won + lost)
--   created              deals (opportunities) created in the range, by $as_of
--   created_won          of those, closed won by $as_of (a won deal without a close date: won
--                        when created). A cohort: judged at $as_of, so the summary compares the
--                        previous period's cohort at the same age by moving $as_of back (0117)
--   close_rate           created_won / created
--   won_amount           sum of amount of deals won in the range (bookings)
--   avg_deal_size        won_amount / won;  median_deal_size beside it
--   sales_cycle_days     median days created -> closed over deals won in the range
--   avg_cycle_days       mean of the same (used by velocity)
--   open_deals, open_pipeline   deals open at $as_of (not closed, forecast category not omitted)
--   pipeline_velocity    open_deals x avg_deal_size x win_rate / avg_cycle_days (revenue per day)
--   meetings             the meetings_booked metric (queries/sales/activity.sql): sales meetings
--                        (sales_activities.is_sales_meeting: a lead or contact attached, a
--                        rescheduled meeting once; automation excluded) booked in the range, per rep
--                        by the activity's owner; cut by channel, platform and campaign through
--                        what the meeting is about: its deal (the deal's channel, its lead's
--                        platform and campaign, as deals are cut) or, with no deal, its lead. A
--                        meeting on neither counts only when no channel, platform or campaign is chosen
--   quota                sum of targets 'revenue' for the months in the range, pro rata by day,
--                        segment = the rep's owner name (per rep, or the team row filtered by one
--                        $owner) or 'all' (team). NULL under a $channel, $platform or $campaign
--                        filter: quotas are not set per channel, so wins of one channel over the
--                        whole quota would be a wrong number
--   quota_attainment     won_amount / quota
--   elapsed_share        days from $start_date through $as_of's day / days in the range (as
--                        shared/headline's pace): where attainment should be by now to be on pace
--   quota_pace           won_amount / (quota x elapsed_share): 1.0 = on pace (as headline's paces)
--   attainment_target    1.0 where there is a quota: the target of quota_attainment
-- All ratios NULL when their denominator is 0 or NULL.
-- Reads: deals, leads, mart_sales_meetings, targets (deals_in_view and the other macros: queries/macros.sql).
-- uses: shared/targets_in_range as target_rows
with range_info as (  -- the share of the range passed at $as_of: shared/headline.sql's pace rule
    -- (inline, not a `uses`: the runner memoises each used query as a table, too many for one row)
    select greatest(least($as_of::timestamp::date, $end_date::date) - $start_date::date + 1, 0)
        / ($end_date::date - $start_date::date + 1) as elapsed_share
),

scoped as (
    select *, segment_of($by, channel, null, null, owner) as segment
    from deals_in_view($channel, $owner, $platform, $campaign)
),

closed as (
    select segment,
        count(*) filter (where is_won) as won,
        count(*) filter (where not is_won) as lost,
        sum(amount) filter (where is_won) as won_amount,
        median(amount) filter (where is_won) as median_deal_size,
        median(epoch(closed_at - created_at) / 86400.0) filter (where is_won) as sales_cycle_days,
        avg(epoch(closed_at - created_at) / 86400.0) filter (where is_won) as avg_cycle_days
    from scoped
    where is_closed and closed_at::date between $start_date and $end_date
    group by segment
),

created as (
    select segment, count(*) as created,
        count(*) filter (where is_won and coalesce(closed_at, created_at) <= $as_of::timestamp) as created_won
    from scoped
    where created_at::date between $start_date and $end_date and created_at <= $as_of::timestamp
    group by segment
),

open_now as (
    select segment, count(*) as open_deals, sum(amount) as open_pipeline
    from scoped
    where created_at <= $as_of::timestamp and not is_closed and coalesce(forecast_category, '') <> 'omitted'
    group by segment
),

meetings as (  -- by the rep who held it, and by what it is about: its deal (cut as deal_in_view
    -- cuts deals: the deal's channel, its lead's platform and campaign), else its lead; counted per
    -- day, rep and attribution at load (etl/sql/76_mart_sales_meetings.sql)
    select segment_of($by, null, null, null, m.owner) as segment, sum(m.meetings)::bigint as meetings
    from mart_sales_meetings m
    where m.day between $start_date and $end_date
      and in_selection(m.owner, $owner)
      and attribution_in_view(m.channel, m.platform, m.campaign_name, $channel, $platform, $campaign)
    group by segment
),

quota as (
    select case when $by = 'owner' then t.segment else 'all' end as segment, sum(t.target) as quota
    from target_rows t
    where t.metric = 'revenue' and $channel is null and $platform is null and $campaign is null
      and (case when $by = 'owner' then in_selection(t.segment, $owner)
                     and t.segment in (select segment from targets where segment_kind = 'owner')
                when $owner is null then t.segment = 'all'
                else list_contains($owner, t.segment)
                     and t.segment in (select segment from targets where segment_kind = 'owner')
           end)  -- the team row of chosen reps: the sum of their quotas
    group by 1
),

segments as (
    select segment from closed union select segment from created union select segment from open_now
    union select segment from meetings
    union select segment from quota  -- a rep with a quota and nothing won yet: 0 %, not missing
)

select
    s.segment,
    coalesce(c.won, 0) as won, coalesce(c.lost, 0) as lost,
    c.won / nullif(c.won + c.lost, 0) as win_rate,
    coalesce(cr.created, 0) as created, coalesce(cr.created_won, 0) as created_won,
    cr.created_won / nullif(cr.created, 0) as close_rate,
    coalesce(c.won_amount, 0) as won_amount,
    c.won_amount / nullif(c.won, 0) as avg_deal_size,
    c.median_deal_size, c.sales_cycle_days, c.avg_cycle_days,
    coalesce(o.open_deals, 0) as open_deals, coalesce(o.open_pipeline, 0) as open_pipeline,
    o.open_deals * (c.won_amount / nullif(c.won, 0)) * (c.won / nullif(c.won + c.lost, 0))
        / nullif(c.avg_cycle_days, 0) as pipeline_velocity,
    coalesce(mt.meetings, 0) as meetings,
    q.quota,
    coalesce(c.won_amount, 0) / nullif(q.quota, 0) as quota_attainment,
    r.elapsed_share,
    coalesce(c.won_amount, 0) / nullif(q.quota * r.elapsed_share, 0) as quota_pace,
    case when q.quota is not null then 1.0 end as attainment_target
from segments s
cross join range_info r
left join closed c using (segment)
left join created cr using (segment)
left join open_now o using (segment)
left join meetings mt using (segment)
left join quota q using (segment)
order by won_amount desc, s.segment
