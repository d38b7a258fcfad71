-- _activity_rows: every sales activity of both CRMs in one vocabulary, before leads exist, so that
-- etl/sql/20_leads.sql can take HubSpot's first touch from them and etl/sql/45_sales_activities.sql
-- can link them to leads. Grain: one row per activity (key activity_id, source_system).
-- kind        'call' | 'meeting' | 'email' | 'task'. HubSpot: the export it came from. Salesforce:
--             `Task` = 0 is an event (a meeting); else Task Subtype / Activity Type as the activities
--             model reads them, anything else a task.
-- booked_at   when the activity was created in the CRM (a meeting's booking).
-- starts_at   when it happens: a meeting's start (Salesforce without `Start`: its Date), a call's
--             time (HubSpot Activity date; Salesforce Created Date, as the handoff reads it), a
--             task's due date, an email's Created Date.
-- outcome     lower-case words joined by `_`: meetings scheduled / completed / rescheduled / no_show /
--             canceled (HubSpot's labels or internal values; Salesforce's Meeting Outcome, NULL when
--             not recorded); calls connected / busy / no_answer / left_voicemail / left_live_message /
--             wrong_number (labels, internal values or HubSpot's default outcome GUIDs; Salesforce
--             Call Result); tasks their status (not_started, completed, ...).
-- touch_at    when it touched its leads, for the first sales touch (docs/decisions/0132-*): HubSpot
--             calls at their time (an attempt is a touch, as a logged Salesforce call is; not a
--             canceled, failed, queued or missed call, nor an inbound call that did not connect),
--             HubSpot meetings at their start when held (outcome completed), never a task
--             (reminders, not touches); Salesforce: every task or event not automated, at Created
--             Date (the handoff's rule, unchanged: etl/sql/40_activities.sql).
-- source_lead_ids  HubSpot Associated Contact IDs in their order (several per meeting); Salesforce
--             Lead ID. has_person: a lead or contact is associated (Salesforce Contact ID counts).
-- Reads: latest_hubspot__meetings, latest_hubspot__calls, latest_hubspot__tasks,
-- latest_salesforce__activities, config_automation.

-- HubSpot's default call outcomes, as an export of internal values writes them (GUIDs; the labels
-- as HubSpot's call-disposition list and several third-party integrations map them).
create or replace temp macro activity_outcome(s) as
    case lower(trim(s))
        when '9d9162e7-6cf3-4944-bf63-4dff82258764' then 'busy'
        when 'f240bbac-87c9-4f6e-bf70-924b57d47db7' then 'connected'
        when 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff' then 'left_live_message'
        when 'b2cf5968-551e-4856-9783-52b3da59a7d0' then 'left_voicemail'
        when '73a0d17f-1163-4015-bdd5-ec830791da20' then 'no_answer'
        when '17b47fee-58de-441e-a44c-c6300d46f273' then 'wrong_number'
        else nullif(replace(trim(regexp_replace(lower(trim(s)), '[^a-z0-9]+', '_', 'g'), '_'), 'cancelled', 'canceled'), '')
    end;

-- HubSpot's call duration: milliseconds (the property) or H:MM:SS (the export's display); the
-- contract rejects anything else (etl/contracts/hubspot_calls.toml).
create or replace temp macro call_seconds(d) as
    case
        when regexp_full_match(trim(d), '[0-9]+') then round(trim(d)::bigint / 1000.0)::bigint
        when regexp_full_match(trim(d), '[0-9]+:[0-9]{2}:[0-9]{2}') then
            split_part(trim(d), ':', 1)::bigint * 3600 + split_part(trim(d), ':', 2)::bigint * 60
            + split_part(trim(d), ':', 3)::bigint
    end;

create or replace temp macro id_list(s) as
    list_filter(list_transform(string_split(coalesce(s, ''), ';'), lambda x: trim(x)), lambda x: x <> '');

create or replace temp table _activity_rows as
with hs_meetings as (
    select
        activity_id, 'hubspot' as source_system, 'hubspot_meetings' as adapter, 'meeting' as kind,
        created_at as booked_at, starts_at, ends_at, activity_outcome(outcome) as outcome,
        null::varchar as direction, null::bigint as duration_seconds, owner,
        id_list(contact_ids) as source_lead_ids, len(id_list(contact_ids)) > 0 as has_person,
        id_list(deal_ids)[1] as deal_id,
        case when activity_outcome(meeting_source) in ('meetings_public', 'meetings_embedded', 'meetings_link')
             then 'meetings_link' else activity_outcome(meeting_source) end as meeting_source,
        false as is_automated
    from latest_hubspot__meetings
),

hs_calls as (
    select
        activity_id, 'hubspot' as source_system, 'hubspot_calls' as adapter, 'call' as kind,
        coalesce(created_at, occurred_at) as booked_at, occurred_at as starts_at, null::timestamp as ends_at,
        activity_outcome(outcome) as outcome, activity_outcome(direction) as direction,
        call_seconds(duration) as duration_seconds, owner,
        id_list(contact_ids) as source_lead_ids, len(id_list(contact_ids)) > 0 as has_person,
        id_list(deal_ids)[1] as deal_id, null::varchar as meeting_source, false as is_automated,
        activity_outcome(status) as status
    from latest_hubspot__calls
),

hs_tasks as (
    select
        activity_id, 'hubspot' as source_system, 'hubspot_tasks' as adapter, 'task' as kind,
        created_at as booked_at, due_at as starts_at, null::timestamp as ends_at,
        activity_outcome(status) as outcome, null::varchar as direction, null::bigint as duration_seconds, owner,
        id_list(contact_ids) as source_lead_ids, len(id_list(contact_ids)) > 0 as has_person,
        id_list(deal_ids)[1] as deal_id, null::varchar as meeting_source, false as is_automated
    from latest_hubspot__tasks
),

sf as (
    select a.*,
        case
            when a.is_task = false then 'meeting'
            when lower(coalesce(a.task_subtype, a.activity_type)) like '%call%' then 'call'
            when lower(coalesce(a.task_subtype, a.activity_type)) like '%email%' then 'email'
            when lower(coalesce(a.task_subtype, a.activity_type)) similar to '.*(meeting|event).*' then 'meeting'
            else 'task'
        end as kind,
        exists (select 1 from config_automation c where c.kind = 'assignee' and lower(a.owner) = lower(c.pattern))
            or exists (select 1 from config_automation c where c.kind = 'subject' and a.subject ilike c.pattern)
            as automated
    from latest_salesforce__activities a
),

sf_rows as (
    select
        activity_id, 'salesforce' as source_system, 'salesforce_activities' as adapter, kind,
        created_at as booked_at,
        case kind
            when 'meeting' then coalesce(starts_at, activity_date::timestamp)
            when 'task' then coalesce(activity_date::timestamp, created_at)
            else created_at
        end as starts_at,
        ends_at,
        activity_outcome(case kind when 'meeting' then meeting_outcome when 'call' then call_result else status end)
            as outcome,
        activity_outcome(call_type) as direction, call_seconds as duration_seconds, owner,
        case when lead_id is null then []::varchar[] else [lead_id] end as source_lead_ids,
        lead_id is not null or contact_id is not null as has_person,
        opportunity_id as deal_id, null::varchar as meeting_source, automated as is_automated,
        case when not automated then created_at end as touch_at
    from sf
)

select *, case when outcome = 'completed' then starts_at end as touch_at from hs_meetings
union all
select * exclude (status),
    case when coalesce(status, 'completed') not in ('canceled', 'failed', 'queued', 'missed')
          and not (direction = 'inbound' and coalesce(outcome, '') <> 'connected') then starts_at end
from hs_calls
union all
select *, null::timestamp from hs_tasks
union all
select * from sf_rows;
