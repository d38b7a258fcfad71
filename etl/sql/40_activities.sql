-- activities: one row per Salesforce task or event. Key: activity_id.
-- type: call / email / meeting / other from "Task Subtype" or "Activity Type". occurred_at is the
-- activity's Created Date in UTC (when the rep logged it). is_automated marks marketing automation
-- (config [salesforce] automated_assignees / automated_subjects): excluded from speed-to-lead.
-- Subjects are not carried over: they can hold people's names.
create or replace table activities as
with a as (
    select * from latest_salesforce__activities
)

select
    a.activity_id, 'salesforce' as source_system, m.lead_id, a.opportunity_id as deal_id, a.owner,
    case
        when lower(coalesce(a.task_subtype, a.activity_type)) like '%call%' then 'call'
        when lower(coalesce(a.task_subtype, a.activity_type)) like '%email%' then 'email'
        when lower(coalesce(a.task_subtype, a.activity_type)) similar to '.*(meeting|event).*' then 'meeting'
        else 'other'
    end as type,
    a.created_at as occurred_at,
    exists (select 1 from config_automation c where c.kind = 'assignee' and lower(a.owner) = lower(c.pattern))
        or exists (select 1 from config_automation c where c.kind = 'subject' and a.subject ilike c.pattern) as is_automated
from a
left join lead_id_map m on m.source_lead_id = a.lead_id
order by a.created_at, a.activity_id;
