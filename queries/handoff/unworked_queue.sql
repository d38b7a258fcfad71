-- The unworked queue: which MQLs have no rep touch yet, how old are they, and which are about to
-- breach the SLA?
-- uses: handoff/mql_response as mql
-- Grain: one row per untouched MQL, most urgent first. Parameters: those of
-- handoff/mql_response, plus $warn_hours (an untouched MQL whose deadline is less than this many
-- hours away is "about to breach").
-- Columns: age_hours (since clock start, at $as_of), hours_to_deadline (negative once breached),
--   age_band '< 1 h' | '1-4 h' | '4-24 h' | '1-3 d' | '> 3 d', status 'about_to_breach' |
--   'pending' | 'breached'. No personal data: the lead is shown by id (and its CRM), owner and channel.
-- Reads: leads, mart_first_touch (through handoff/mql_response).
with queue as (
    select * from mql where touch_at is null and clock_start_at <= $as_of::timestamp
)

select
    lead_id, source_system, owner, channel, platform, campaign_name, clock_start_at, deadline_at, age_hours, hours_to_deadline,
    case when age_hours < 1 then '< 1 h' when age_hours < 4 then '1-4 h' when age_hours < 24 then '4-24 h'
         when age_hours < 72 then '1-3 d' else '> 3 d' end as age_band,
    case when sla_status = 'breached' then 'breached'
         when hours_to_deadline <= $warn_hours then 'about_to_breach'
         else 'pending' end as status
from queue
order by sla_status = 'breached', hours_to_deadline, lead_id
