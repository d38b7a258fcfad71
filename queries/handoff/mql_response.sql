-- Handoff, one row per MQL: when did its clock start, when (if ever) did a rep first touch it,
-- how long did that take, and is it within the SLA, pending or breached?
-- Grain: one row per lead whose clock started in [$start_date, $end_date] (UTC dates).
-- Parameters:
--   $start_date, $end_date   inclusive DATE range of the clock start
--   $channel, $owner, $platform, $campaign   optional filters (lists of values; NULL = all)
--   $as_of                    TIMESTAMP (UTC) "now": decides pending vs breached
--   $sla_hours                SLA length in clock hours
--   $clock                    'business' (working hours only) | 'calendar'
--   $clock_start              'mql' | 'owner_assigned' (falls back to the MQL time when unknown)
--   $biz_tz                   working time zone, e.g. 'America/New_York'
--   $biz_days                 ISO weekdays that are working days, e.g. [1, 2, 3, 4, 5]
--   $biz_start_min, $biz_end_min   working hours as minutes after local midnight (540 = 09:00)
--   $owner_tz_names, $owner_tz_zones   parallel lists: reps working in another time zone
-- Definitions:
--   clock_start_at    MQL time (or owner assignment), UTC
--   touch_at          first rep-initiated activity at or after clock_start_at (automated activities
--                     excluded); for HubSpot, "First outreach date" when at or after the start
--   response_minutes  minutes from clock_start_at to touch_at, counted on $clock; NULL if never
--   band              '0-5 min' | '5-15 min' | '15-60 min' | '1-4 h' | '4-24 h' | '> 24 h' | 'never'
--   deadline_at       the moment the SLA window closes (clock_start_at + $sla_hours on $clock)
--   sla_status        'met' (touched by the deadline) | 'breached' (touched late, or untouched
--                     after the deadline) | 'pending' (untouched, window still open)
--   the business clock: working seconds elapsed, per the rep's time zone; a Friday-evening MQL
--   starts counting Monday 09:00.
-- Reads: leads, mart_first_touch (activities, first rep touch per clock start: etl/sql/60_*).
with params as (
    select $clock as clock, $sla_hours * 3600.0 as sla_seconds
),

mqls as (
    select
        l.lead_id, l.owner, l.channel, l.platform, l.campaign_name, l.mql_at, l.sql_at,
        l.first_touch_at, l.source_system, l.is_recycled, l.disqualified_at, l.disqualified_reason,
        case when $clock_start = 'owner_assigned' then coalesce(l.owner_assigned_at, l.mql_at) else l.mql_at end
            as clock_start_at,
        coalesce($owner_tz_zones[list_position($owner_tz_names, l.owner)], $biz_tz) as tz
    from leads l
    where l.mql_at is not null
      and attribution_in_view(l.channel, l.platform, l.campaign_name, $channel, $platform, $campaign)
      and in_selection(l.owner, $owner)
),

in_range as (
    select * from mqls where clock_start_at::date between $start_date and $end_date
),

touched as (  -- first rep activity at or after each clock start, computed at load (etl/sql/60_*)
    select
        m.*,
        coalesce(case when $clock_start = 'owner_assigned' then f.after_assigned_at else f.after_mql_at end,
                 case when m.first_touch_at >= m.clock_start_at then m.first_touch_at end) as touch_at
    from in_range m
    left join mart_first_touch f using (lead_id)
),

-- Working-time calendar per time zone: every local day around the range, its working window in UTC
-- (empty on non-working days) and the working seconds before it (cum_before), so that
-- B(t) = working seconds since the calendar's start = cum_before + the part of t's own local day's
-- window that has passed. Found by an equality join on t's local day: no sort of every MQL.
zones as (select distinct tz from touched),

days as (
    select z.tz, d::date as day, list_contains($biz_days, isodow(d)) as working
    from zones z,
         range((select min(clock_start_at) from touched)::date - 7,
               greatest((select max(coalesce(touch_at, clock_start_at)) from touched), $as_of::timestamp)::date + 30,
               interval 1 day) r(d)
),

windows as (
    select
        tz, day, working,
        timezone('UTC', timezone(tz, day + to_minutes($biz_start_min))) as open_utc,
        timezone('UTC', timezone(tz, day + to_minutes($biz_end_min))) as close_utc
    from days
),

cal as (
    select tz, day, working, open_utc, day_seconds,
        coalesce(sum(day_seconds) over (
            partition by tz order by day rows between unbounded preceding and 1 preceding), 0) as cum_before
    from (select *, case when working then epoch(close_utc) - epoch(open_utc) else 0 end as day_seconds
          from windows)
),

clocked as (
    select
        t.*,
        s.cum_before + least(greatest(epoch(t.clock_start_at) - epoch(s.open_utc), 0), s.day_seconds) as start_b,
        h.cum_before + least(greatest(epoch(t.touch_at) - epoch(h.open_utc), 0), h.day_seconds) as touch_b
    from touched t
    left join cal s on s.tz = t.tz and s.day = timezone(t.tz, timezone('UTC', t.clock_start_at))::date
    left join cal h on h.tz = t.tz and h.day = timezone(t.tz, timezone('UTC', t.touch_at))::date
),

-- the SLA deadline: the working day in which start_b + SLA working seconds falls (an as-of join on
-- the distinct targets only, not on every MQL with all its columns)
deadlines as (
    select d.tz, d.target, w.open_utc + to_seconds((d.target - w.cum_before)::bigint) as business_deadline_at
    from (select distinct c.tz, c.start_b + p.sla_seconds as target from clocked c, params p) d
    asof left join (select * from cal where working) w on w.tz = d.tz and w.cum_before <= d.target
),

measured as (
    select
        c.*,
        case when p.clock = 'calendar' then epoch(c.touch_at) - epoch(c.clock_start_at)
             else c.touch_b - c.start_b end as response_seconds,
        case when p.clock = 'calendar' then c.clock_start_at + to_seconds(p.sla_seconds::bigint)
             else dl.business_deadline_at end as deadline_at
    from clocked c
    cross join params p
    left join deadlines dl on dl.tz = c.tz and dl.target = c.start_b + p.sla_seconds
)

select
    lead_id, owner, channel, platform, campaign_name, source_system, tz,
    clock_start_at, touch_at, deadline_at,
    case when touch_at is not null then response_seconds / 60.0 end as response_minutes,
    case
        when touch_at is null then 'never'
        when response_seconds < 5 * 60 then '0-5 min'
        when response_seconds < 15 * 60 then '5-15 min'
        when response_seconds < 60 * 60 then '15-60 min'
        when response_seconds < 4 * 3600 then '1-4 h'
        when response_seconds < 24 * 3600 then '4-24 h'
        else '> 24 h'
    end as band,
    case
        when touch_at is not null and touch_at <= deadline_at then 'met'
        when touch_at is not null then 'breached'
        when $as_of::timestamp > deadline_at then 'breached'
        else 'pending'
    end as sla_status,
    (epoch($as_of::timestamp) - epoch(clock_start_at)) / 3600.0 as age_hours,
    (epoch(deadline_at) - epoch($as_of::timestamp)) / 3600.0 as hours_to_deadline,
    hour(timezone(tz, timezone('UTC', clock_start_at))) as local_hour,
    isodow(timezone(tz, timezone('UTC', clock_start_at))) as local_weekday,
    sql_at is not null as reached_sql,
    is_recycled, disqualified_at, disqualified_reason, sql_at
from measured  -- unordered: a base other queries aggregate (queries/runner.py)
