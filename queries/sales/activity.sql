-- Sales activity per rep and for the team: how many meetings were booked and held, how many no-shows,
-- how many calls connected, and how many new leads reached a meeting or an opportunity?
-- Grain: one row per segment ($by 'owner' -> one per rep, 'channel' / 'platform' / 'campaign' -> one
-- per value, 'total' -> the team).
-- Parameters: $start_date, $end_date (inclusive DATE range, UTC dates), $by, $channel, $owner,
-- $platform, $campaign (lists of values, NULL = all), $as_of (TIMESTAMP: what the lead cohort has
-- reached by then), $opportunity_window_days ([kpi] opportunity_window_days, default 30).
-- Metrics (activities from sales_activities, both CRMs: etl/sql/45_sales_activities.sql; automated
-- ones excluded; tasks are reminders, not touches, and count nowhere here):
--   meetings_booked       sales meetings (is_sales_meeting: a lead or contact attached, a rescheduled
--                         meeting counted once) booked (created) in the range; canceled and no-show
--                         meetings were booked too
--   meetings_held         sales meetings with outcome completed starting in the range (a meeting
--                         without a recorded outcome, as Salesforce events often are, is not held)
--   meetings_no_show      sales meetings with outcome no_show starting in the range
--   meeting_no_show_rate  meetings_no_show / (meetings_held + meetings_no_show)
--   calls                 calls logged in the range (by the call's time), whatever their outcome
--   connected_calls       of those, outcome connected
--   Activities are per rep by the activity's owner, and cut by channel, platform and campaign through
--   what they are about: their deal (the deal's channel, its lead's platform and campaign), else
--   their (first) lead; an activity about neither counts only when none of these is chosen.
--   leads                 leads created in the range by $as_of (the cohort; per rep by the lead's owner,
--                         cut by the lead's channel, platform and campaign)
--   leads_with_opportunity of those, leads with a deal or opportunity (a deal whose lead it is, or the
--                         lead's own opportunity date: HubSpot lifecycle, Salesforce conversion)
--                         created by $as_of and within $opportunity_window_days days of the lead
--   opportunity_rate      leads_with_opportunity / leads
--   leads_with_meeting    of the cohort, leads attached to a sales meeting booked by $as_of (any of a
--                         meeting's contacts: sales_activity_leads)
--   lead_to_meeting_rate  leads_with_meeting / leads
-- All ratios NULL when their denominator is 0.
-- Reads: sales_activities, sales_activity_leads, deals, leads.
with activity as (  -- calls and sales meetings with what they are about: their deal, else their lead
    select a.kind, a.booked_at, a.starts_at, a.outcome, a.owner, a.is_sales_meeting,
        case when d.deal_id is not null then d.channel else l.channel end as about_channel,
        l.platform as about_platform, l.campaign_name as about_campaign
    from sales_activities a
    left join deals d on d.deal_id = a.deal_id
    left join leads l on l.lead_id = case when d.deal_id is not null then d.lead_id else a.lead_id end
    where not a.is_automated and (a.kind = 'call' or a.is_sales_meeting)
),

activity_counts as (
    select segment_of($by, about_channel, about_platform, about_campaign, owner) as segment,
        count(*) filter (where is_sales_meeting and booked_at::date between $start_date and $end_date)
            as meetings_booked,
        count(*) filter (where is_sales_meeting and outcome = 'completed'
                           and starts_at::date between $start_date and $end_date) as meetings_held,
        count(*) filter (where is_sales_meeting and outcome = 'no_show'
                           and starts_at::date between $start_date and $end_date) as meetings_no_show,
        count(*) filter (where kind = 'call' and starts_at::date between $start_date and $end_date) as calls,
        count(*) filter (where kind = 'call' and outcome = 'connected'
                           and starts_at::date between $start_date and $end_date) as connected_calls
    from activity
    where in_selection(owner, $owner)
      and attribution_in_view(about_channel, about_platform, about_campaign, $channel, $platform, $campaign)
      and (booked_at::date between $start_date and $end_date or starts_at::date between $start_date and $end_date)
    group by segment
),

cohort as (  -- the leads created in the range, by $as_of
    select l.lead_id, l.created_at, l.opportunity_at,
        segment_of($by, l.channel, l.platform, l.campaign_name, l.owner) as segment
    from leads l
    where l.created_at::date between $start_date and $end_date and l.created_at <= $as_of::timestamp
      and in_selection(l.owner, $owner)
      and attribution_in_view(l.channel, l.platform, l.campaign_name, $channel, $platform, $campaign)
),

first_deal as (  -- each cohort lead's first deal or opportunity by $as_of
    select c.lead_id, min(d.created_at) as created_at
    from cohort c join deals d on d.lead_id = c.lead_id
    where d.created_at <= $as_of::timestamp
    group by c.lead_id
),

met as (  -- cohort leads attached to a sales meeting booked by $as_of
    select distinct c.lead_id
    from cohort c
    join sales_activity_leads al on al.lead_id = c.lead_id
    join sales_activities a on a.activity_id = al.activity_id and a.source_system = al.source_system
    where a.is_sales_meeting and not a.is_automated and a.booked_at <= $as_of::timestamp
),

lead_counts as (
    select c.segment, count(*) as leads,
        count(*) filter (where least(f.created_at, case when c.opportunity_at <= $as_of::timestamp then c.opportunity_at end)
                               <= c.created_at + to_days($opportunity_window_days::integer)) as leads_with_opportunity,
        count(m.lead_id) as leads_with_meeting
    from cohort c
    left join first_deal f using (lead_id)
    left join met m using (lead_id)
    group by c.segment
),

segments as (select segment from activity_counts union select segment from lead_counts)

select
    s.segment,
    coalesce(a.meetings_booked, 0) as meetings_booked,
    coalesce(a.meetings_held, 0) as meetings_held,
    coalesce(a.meetings_no_show, 0) as meetings_no_show,
    a.meetings_no_show / nullif(a.meetings_held + a.meetings_no_show, 0) as meeting_no_show_rate,
    coalesce(a.calls, 0) as calls,
    coalesce(a.connected_calls, 0) as connected_calls,
    coalesce(lc.leads, 0) as leads,
    coalesce(lc.leads_with_opportunity, 0) as leads_with_opportunity,
    lc.leads_with_opportunity / nullif(lc.leads, 0) as opportunity_rate,
    coalesce(lc.leads_with_meeting, 0) as leads_with_meeting,
    lc.leads_with_meeting / nullif(lc.leads, 0) as lead_to_meeting_rate
from segments s
left join activity_counts a using (segment)
left join lead_counts lc using (segment)
order by meetings_booked desc, s.segment
