-- Rejected and recycled MQLs: which MQLs did sales send back, and why?
-- uses: handoff/mql_response as mql
-- Grain: one row per reason x outcome. Parameters: those of handoff/mql_response.
-- Definitions: outcome 'recycled' = the lead's status says recycled (sent back to nurture);
--   'disqualified' = a disqualification date or reason is set. reason: the CRM's disqualification
--   reason, '(no reason given)' when blank. share = mqls / all MQLs in range.
-- Reads: leads, mart_first_touch (through handoff/mql_response).
with outcomes as (
    select
        case when is_recycled then 'recycled' else 'disqualified' end as outcome,
        coalesce(disqualified_reason, '(no reason given)') as reason
    from mql
    where is_recycled or disqualified_at is not null or disqualified_reason is not null
)

select outcome, reason, count(*) as mqls,
       count(*) / (select nullif(count(*), 0) from mql) as share
from outcomes
group by all
order by mqls desc, outcome, reason
