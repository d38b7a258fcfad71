-- The forecast's stage rates: per CRM and stage, of the deals open in that stage in any snapshot of the
-- 365 days up to d1 and closed by d1, the share won (deleted counts as not won), and the CRM's rate over
-- all stages (crm_rate, on each of its rows). A base of pipeline/forecast (queries/pipeline/forecast.sql
-- says what it means): it depends only on d1, so it is computed once per warehouse version, as-of and
-- period end, not again for each filter, rep or start (docs/benchmarks.md "Performance round 2 (#23)").
-- Grain: one row per (source_system, stage). Parameters: $as_of, $end_date (d1 per CRM: the last
-- snapshot on or before $as_of or the period's end).
-- Reads: deal_snapshots, mart_deal_snapshots, mart_deal_open_stages (etl/sql/79_mart_deal_open_stages.sql).
with bounds as (
    select source_system, max_by(snapshot_id, snapshot_seq) as d1, max(snapshot_at) as d1_at
    from deal_snapshots
    where snapshot_at <= least($as_of::timestamp, $end_date::timestamp + interval 1 day - interval 1 microsecond)
    group by source_system
),

now_state as (
    select m.* from bounds k join mart_deal_snapshots m on m.snapshot_id = k.d1
),

history as (  -- each deal's stages while open in the look-back, and how it stands in d1
    select distinct h.source_system, h.deal_id, h.stage, n.status as outcome
    from mart_deal_open_stages h  -- open in that stage in some export: last_open_at the last such snapshot
    join bounds k on k.source_system = h.source_system
    join now_state n on n.source_system = h.source_system and n.deal_id = h.deal_id
    where h.last_open_at > k.d1_at - interval 365 day and n.status <> 'open'
),

rates as (
    select source_system, stage, avg((outcome = 'won')::int) as stage_rate from history group by all
),

overall as (
    select source_system, avg((outcome = 'won')::int) as crm_rate
    from (select distinct source_system, deal_id, outcome from history) group by all
)

select r.source_system, r.stage, r.stage_rate, o.crm_rate
from rates r join overall o using (source_system)
order by r.source_system, r.stage
