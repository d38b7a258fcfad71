-- sales_activities: calls, meetings, emails and tasks of both CRMs (etl/sql/15_activity_rows.sql
-- says what each column holds), linked to leads. Key: (activity_id, source_system).
-- Grain: one row per activity; a meeting with several contacts is one meeting (lead_id is its
-- first associated contact, contact_count how many); sales_activity_leads holds every lead it touched.
-- is_internal   a meeting without a lead or contact: not a sales meeting.
-- is_superseded a rescheduled meeting replaced by a later-booked meeting sharing a lead: the
--               replacement counts, so a rescheduled meeting counts once; one rescheduled in place
--               (no replacement) still counts.
-- is_sales_meeting  kind 'meeting', neither internal nor superseded: what meeting counts count.
-- Subjects, titles and notes are never loaded. docs/decisions/0131-one-sales-activities-model.md.
-- Reads: _activity_rows, lead_id_map.
create or replace table sales_activity_leads as
select distinct r.activity_id, r.source_system, coalesce(m.lead_id, r.source_id) as lead_id
from (select activity_id, source_system, unnest(source_lead_ids) as source_id from _activity_rows) r
left join lead_id_map m on m.source_lead_id = r.source_id and m.source_system = r.source_system
order by r.source_system, r.activity_id, lead_id;

create or replace table sales_activities as
with rows as (
    select r.*, r.source_lead_ids[1] as first_id, len(r.source_lead_ids) as contact_count
    from _activity_rows r
),

rescheduled as (select activity_id, source_system, booked_at from rows where kind = 'meeting' and outcome = 'rescheduled'),

meetings as (select activity_id, source_system, booked_at from rows where kind = 'meeting'),

superseded as (  -- rescheduled meetings with a later-booked meeting of one of their leads
    select distinct r.activity_id, r.source_system
    from rescheduled r
    join sales_activity_leads rl on rl.activity_id = r.activity_id and rl.source_system = r.source_system
    join sales_activity_leads ol on ol.lead_id = rl.lead_id and ol.source_system = rl.source_system
    join meetings o on o.activity_id = ol.activity_id and o.source_system = ol.source_system
    where o.booked_at > r.booked_at or (o.booked_at = r.booked_at and o.activity_id > r.activity_id)
)

select
    r.activity_id, r.source_system, r.adapter, r.kind, r.booked_at, r.starts_at, r.ends_at, r.outcome,
    r.direction, r.duration_seconds, r.owner, coalesce(m.lead_id, r.first_id) as lead_id, r.contact_count,
    r.deal_id, r.meeting_source, r.is_automated,
    r.kind = 'meeting' and not r.has_person as is_internal,
    s.activity_id is not null as is_superseded,
    r.kind = 'meeting' and r.has_person and s.activity_id is null as is_sales_meeting,
    r.touch_at
from rows r
left join lead_id_map m on m.source_lead_id = r.first_id and m.source_system = r.source_system
left join superseded s on s.activity_id = r.activity_id and s.source_system = r.source_system
order by r.booked_at, r.source_system, r.activity_id;
