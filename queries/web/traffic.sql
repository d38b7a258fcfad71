-- Web traffic (GA4): how many visits did the site get, per channel and period, and how many CRM
-- leads came in for them?
-- Grain: one row per period x segment. Parameters:
--   $start_date, $end_date  inclusive DATE range (web_sessions.date, the GA4 property's day; CRM
--                           leads by the UTC date they were created)
--   $grain     'day' | 'week' | 'month' | 'total' (one row for the whole range)
--   $by        'channel' | 'total'
--   $channel   optional filter (list of values; NULL = all). GA4 sessions carry no ad platform,
--              campaign or rep, so this query takes no other dimension (registry.toml not_split_by).
-- Sessions are read from ONE GA4 report per day (traffic_sessions, queries/macros.sql): the Traffic
-- acquisition report by session channel group where the day has it, else the one by session source
-- / medium. The Landing page report has no channel; it feeds web/landing_pages.
-- Metrics (ratios of sums, never averages of daily ratios; NULL when the denominator is 0):
--   sessions, engaged_sessions, key_events   sums of that report's rows
--   leads                   CRM leads created in the period (mart_stage_entries 'created_at'), by
--                           the lead's own channel
--   visitor_to_lead_rate    leads / sessions: two systems' totals side by side (GA4 counts visits,
--                           the CRM people), never a per-visitor match
--   organic_share_of_leads  leads of the organic search channel / all leads of the period: a share of
--                           every channel's leads, the same on each row of a period (not split by channel)
-- NULL, never 0, where no traffic report has a row in the period (a month without a GA4 download is
-- "no data", as coverage says): sessions, engaged_sessions, key_events and visitor_to_lead_rate. In a
-- period with rows, a channel without sessions has 0.
-- Reads: web_sessions, mart_stage_entries.
with traffic_rows as (select * from traffic_sessions($start_date, $end_date)),  -- one report per day (macros.sql)

periods as (  -- periods with traffic rows: there, a channel without sessions has 0
    select distinct period_of($grain, $start_date, date) as period from traffic_rows
),

traffic as (
    select
        period_of($grain, $start_date, date) as period,
        segment_of($by, channel, null, null, null) as segment,
        sum(sessions) as sessions,
        sum(engaged_sessions) as engaged_sessions,
        sum(key_events) as key_events
    from traffic_rows
    where in_selection(channel, $channel)
    group by all
),

leads as (
    select
        period_of($grain, $start_date, day) as period,
        segment_of($by, channel, null, null, null) as segment,
        count(*) as leads
    from mart_stage_entries
    where stage = 'created_at' and day between $start_date and $end_date and in_selection(channel, $channel)
    group by all
),

organic as (  -- every channel's leads, whatever the filter: the organic search share of them
    select
        period_of($grain, $start_date, day) as period,
        count(*) filter (where channel = 'organic_search') / nullif(count(*), 0) as organic_share_of_leads
    from mart_stage_entries
    where stage = 'created_at' and day between $start_date and $end_date
    group by all
),

joined as (
    select coalesce(t.period, l.period) as period, coalesce(t.segment, l.segment) as segment,
        t.sessions, t.engaged_sessions, t.key_events, coalesce(l.leads, 0) as leads
    from traffic t
    full join leads l on l.period = t.period and l.segment is not distinct from t.segment
)

select
    j.period, j.segment,
    case when p.period is not null then coalesce(j.sessions, 0) end as sessions,
    case when p.period is not null then coalesce(j.engaged_sessions, 0) end as engaged_sessions,
    case when p.period is not null then coalesce(j.key_events, 0) end as key_events,
    j.leads,
    j.leads / nullif(case when p.period is not null then coalesce(j.sessions, 0) end, 0) as visitor_to_lead_rate,
    o.organic_share_of_leads
from joined j
left join periods p on p.period = j.period
left join organic o on o.period = j.period
order by j.period, sessions desc nulls last, j.segment
