-- Deal time in stage: how long do opportunities sit in each stage before they move on, and how
-- long have the ones still there been waiting?
-- Grain: one row per stage (Salesforce Opportunity History), in the order deals usually pass them.
-- Parameters: $start_date, $end_date (stays that ended in the range, UTC dates), $as_of (TIMESTAMP
-- snapshot for deals still in a stage), $channel, $owner (lists of values, NULL = all; from the deal),
-- $platform, $campaign (the deal's lead's).
-- Metrics: stays = stays in the stage that ended in the range (the deal moved to another stage);
-- median_days / avg_days = their length in days, from entering the stage to the next change of
-- stage; in_stage_now = open deals in the stage at $as_of; median_age_days = how long those have
-- been in it. History rows that change only amount, probability or close date continue a stay.
-- Won and lost stages (config) end a deal's path and are not listed.
-- Reads: deal_stage_history, deals, leads (deal_in_view, queries/macros.sql), config_stages.
with changes as (
    select deal_id, to_stage as stage, changed_at,
        lag(to_stage) over (partition by deal_id order by changed_at) as prev_stage
    from deal_stage_history
    where changed_at <= $as_of::timestamp
),

stays as (
    select deal_id, stage, changed_at as entered_at,
        lead(changed_at) over (partition by deal_id order by changed_at) as left_at,
        row_number() over (partition by deal_id order by changed_at) as step
    from changes
    where prev_stage is distinct from stage
),

open_stays as (
    select s.*, d.is_closed and d.closed_at <= $as_of::timestamp as closed_by_then
    from stays s
    left join deals d on d.deal_id = s.deal_id
    left join config_stages c on c.source_system = 'salesforce' and c.pipeline = ''
        -- as the stage_key macro of etl/sql/05_deal_stages.sql: case, punctuation and spacing do not count
        and trim(regexp_replace(lower(c.stage), '[^\pL\pN]+', ' ', 'g')) = trim(regexp_replace(lower(s.stage), '[^\pL\pN]+', ' ', 'g'))
    where coalesce(c.outcome, 'open') not in ('won', 'lost')
      and deal_in_view(d.channel, d.owner, d.lead_id, $channel, $owner, $platform, $campaign)
)

select
    stage,
    count(*) filter (where left_at::date between $start_date and $end_date) as stays,
    median(epoch(left_at - entered_at) / 86400.0) filter (where left_at::date between $start_date and $end_date) as median_days,
    avg(epoch(left_at - entered_at) / 86400.0) filter (where left_at::date between $start_date and $end_date) as avg_days,
    count(*) filter (where left_at is null and not coalesce(closed_by_then, false)) as in_stage_now,
    median(epoch($as_of::timestamp - entered_at) / 86400.0)
        filter (where left_at is null and not coalesce(closed_by_then, false)) as median_age_days
from open_stays
group by stage
order by avg(step), stage
