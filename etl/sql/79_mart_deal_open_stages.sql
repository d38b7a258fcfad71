-- mart_deal_open_stages: each stage a deal was open in, in an export that held it, and the last such
-- snapshot's time. Grain: (source_system, deal_id, stage). What queries/pipeline/forecast.sql reads for its
-- stage-to-won rates (the deals open in a stage in a snapshot of the look-back: last_open_at inside it)
-- instead of every open row of mart_deal_snapshots per view (docs/benchmarks.md "Performance round 2 (#23)").
create or replace table mart_deal_open_stages as
select source_system, deal_id, stage, max(snapshot_at) as last_open_at
from mart_deal_snapshots
where status = 'open' and in_export
group by source_system, deal_id, stage
order by source_system, deal_id, stage;
