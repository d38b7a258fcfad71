-- Weighted pipeline and projection: where will the period land, by the exports' own probabilities
-- and by Revline's historical stage-to-won rates, and how does that compare with the target?
-- uses: shared/targets_in_range as targets
-- uses: pipeline/stage_rates as stage_rates
-- Grain: one row per segment ($by 'owner' | 'channel' | 'total').
-- Parameters: $start_date, $end_date (the period), $as_of (TIMESTAMP: the snapshot d1 per CRM, the last
-- on or before it or the period's end), $by, $channel, $owner (lists, NULL = all).
-- Definitions (amounts in the reporting currency, from the deals snapshot d1):
--   won_so_far          deals won in d1 with a close date in the period
--   weighted_pipeline   sum(amount x probability) of deals open in d1 closing in the period, the
--                       probability as exported (HubSpot Deal probability, Salesforce Probability (%),
--                       a rep's hand-set value included); where the export has none, config's for the
--                       stage ([<crm>] stage_probabilities); a deal with neither adds 0 (unweighted_deals)
--   projected_revenue   won_so_far + weighted_pipeline
--   stage_rate          per CRM and stage: of the deals open in that stage in any snapshot of the 365
--                       days up to d1 and closed by d1, the share won (deleted counts as not won); a stage
--                       with no closed deal takes the CRM's rate over all stages
--   projected_revenue_stage_rates  won_so_far + sum(amount x stage_rate) of the same open deals
--   commit / best_case  won_so_far + open amounts in forecast category commit (best case adds best_case)
--   revenue_target      targets.csv 'revenue' for the period (pro rata; the team's, or the rep's with $by owner)
--   projection_pace     projected_revenue / revenue_target
-- Resolution: the export cadence (d1 is the last export, not the CRM now).
-- Reads: deal_snapshots, mart_deal_snapshots, mart_deal_open_stages (etl/sql/79_mart_deal_open_stages.sql,
-- through pipeline/stage_rates), targets.
with bounds as (
    select source_system, max_by(snapshot_id, snapshot_seq) as d1, max(snapshot_at) as d1_at
    from deal_snapshots
    where snapshot_at <= least($as_of::timestamp, $end_date::timestamp + interval 1 day - interval 1 microsecond)
    group by source_system
),

now_state as (
    select m.* from bounds k join mart_deal_snapshots m on m.snapshot_id = k.d1
),

rates as (  -- per CRM and stage (queries/pipeline/stage_rates.sql: once per d1, not per filter)
    select source_system, stage, stage_rate from stage_rates
),

overall as (
    select distinct source_system, crm_rate from stage_rates
),

in_period as (
    select n.*, coalesce(r.stage_rate, o.crm_rate, 0) as stage_rate, segment_of($by, n.channel, null, null, n.owner) as segment
    from now_state n
    left join rates r on r.source_system = n.source_system and r.stage = n.stage
    left join overall o on o.source_system = n.source_system
    where n.close_date between $start_date and $end_date and n.status in ('open', 'won')
      and in_selection(n.owner, $owner) and in_selection(n.channel, $channel)
),

sums as (
    select segment, min(k.d1_at) as d1_at,
        coalesce(sum(amount) filter (where status = 'won'), 0) as won_so_far,
        coalesce(sum(amount * coalesce(probability, stage_probability)) filter (where status = 'open'), 0) as weighted_pipeline,
        coalesce(sum(amount * stage_rate) filter (where status = 'open'), 0) as stage_weighted,
        coalesce(sum(amount) filter (where status = 'open' and forecast_category = 'commit'), 0) as commit_open,
        coalesce(sum(amount) filter (where status = 'open' and forecast_category = 'best_case'), 0) as best_case_open,
        coalesce(sum(amount) filter (where status = 'open'), 0) as open_pipeline,
        count(*) filter (where status = 'open') as open_deals,
        count(*) filter (where status = 'open' and coalesce(probability, stage_probability) is null) as unweighted_deals
    from in_period, (select min(d1_at) as d1_at from bounds) k
    group by segment
)

select
    s.segment, s.d1_at, s.won_so_far, s.open_pipeline, s.open_deals, s.unweighted_deals,
    round(s.weighted_pipeline, 2)::double as weighted_pipeline,
    round(s.won_so_far + s.weighted_pipeline, 2)::double as projected_revenue,
    round(s.won_so_far + s.stage_weighted, 2)::double as projected_revenue_stage_rates,
    s.won_so_far + s.commit_open as commit,
    s.won_so_far + s.commit_open + s.best_case_open as best_case,
    t.target as revenue_target,
    (s.won_so_far + s.weighted_pipeline) / nullif(t.target, 0) as projection_pace
from sums s
left join targets t on t.metric = 'revenue' and t.segment = s.segment
order by s.won_so_far + s.weighted_pipeline desc, s.segment
