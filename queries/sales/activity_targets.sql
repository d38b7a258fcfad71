-- Sales activity against its targets: meetings booked and held, no-shows, calls and connected calls
-- per rep (or for the team), each beside its target where targets.csv has one.
-- uses: sales/activity as act
-- uses: shared/targets_in_range as target_rows
-- Grain: one row per segment of sales/activity ($by 'owner' -> one per rep, 'total' -> the team).
-- Parameters: those of sales/activity and shared/targets_in_range.
-- Columns: sales/activity's own (meetings_booked, meetings_held, meetings_no_show,
--   meeting_no_show_rate, calls, connected_calls, leads, lead_to_meeting_rate, opportunity_rate), and
--   meetings_booked_target, meetings_held_target, calls_target, connected_calls_target: the sum of
--   targets.csv's targets of that metric for the months in the range, pro rata by day; segment = the
--   rep's owner name (per rep, or the team row filtered by one $owner) or 'all' (the team), as the
--   Sales page's quotas are matched (queries/sales/performance.sql). NULL where there is none, and
--   under a $channel, $platform or $campaign filter (activity targets are not set per channel).
-- Reads: sales_activities, sales_activity_leads, deals, leads, targets.
with goals as (
    select case when $by = 'owner' then t.segment else 'all' end as segment,
        sum(t.target) filter (where t.metric = 'meetings_booked') as meetings_booked_target,
        sum(t.target) filter (where t.metric = 'meetings_held') as meetings_held_target,
        sum(t.target) filter (where t.metric = 'calls') as calls_target,
        sum(t.target) filter (where t.metric = 'connected_calls') as connected_calls_target
    from target_rows t
    where $channel is null and $platform is null and $campaign is null
      and (case when $by = 'owner' then in_selection(t.segment, $owner)
                     and t.segment in (select segment from targets where segment_kind = 'owner')
                when $owner is null then t.segment = 'all'
                else list_contains($owner, t.segment)
                     and t.segment in (select segment from targets where segment_kind = 'owner')
           end)
    group by 1
)

select
    a.segment, a.meetings_booked, g.meetings_booked_target, a.meetings_held, g.meetings_held_target,
    a.meetings_no_show, a.meeting_no_show_rate, a.calls, g.calls_target, a.connected_calls,
    g.connected_calls_target, a.leads, a.lead_to_meeting_rate, a.opportunity_rate
from act a
left join goals g using (segment)
order by a.meetings_booked desc, a.segment
