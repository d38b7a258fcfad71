-- mart_first_touch: for each MQL with rep activity, the first rep-initiated (non-automated) activity
-- at or after each possible clock start. Answers "when did a rep first touch this MQL?" without
-- joining every activity on every handoff query (30M activities at 10M leads).
-- Grain: one row per lead with an mql_at and at least one rep activity at or after its MQL time
-- or its owner assignment (HubSpot: calls and held meetings, docs/decisions/0132-*). Read by queries/handoff/mql_response.sql; rebuilt on every load.
--   after_mql_at        first rep activity at or after mql_at
--   after_assigned_at   first rep activity at or after coalesce(owner_assigned_at, mql_at)
create or replace table mart_first_touch as
select
    l.lead_id,
    min(a.occurred_at) filter (where a.occurred_at >= l.mql_at) as after_mql_at,
    min(a.occurred_at) filter (where a.occurred_at >= coalesce(l.owner_assigned_at, l.mql_at)) as after_assigned_at
from leads l
join (  -- Salesforce: the activities model, unchanged; HubSpot: human activities (etl/sql/45_*)
    select lead_id, occurred_at from activities where not is_automated
    union all
    select sl.lead_id, s.touch_at
    from sales_activities s
    join sales_activity_leads sl using (activity_id, source_system)
    where s.source_system = 'hubspot' and s.touch_at is not null
) a on a.lead_id = l.lead_id
where l.mql_at is not null
  and a.occurred_at >= least(l.mql_at, coalesce(l.owner_assigned_at, l.mql_at))
group by l.lead_id
order by l.lead_id;
