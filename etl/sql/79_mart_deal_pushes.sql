-- mart_deal_pushes: each push of a deal's close date, the rows queries/pipeline/slippage.sql counts.
-- Grain: (source_system, deal_id, snapshot_seq): a snapshot of mart_deal_snapshots in which the deal's
-- close date is later than in the CRM's previous snapshot while the deal was open there (a pull-in is not
-- a push). close_before: the previous snapshot's close date. Built at load from the whole snapshot
-- history, which every load rebuilds anyway: the query then filters pushes by range, owner and channel
-- instead of ordering every deal's snapshots per view (0.5 s at 100k leads, docs/benchmarks.md
-- "Performance round 2 (#23)").
create or replace table mart_deal_pushes as
with steps as (
    select m.source_system, m.deal_id, m.snapshot_seq, m.snapshot_at, m.deal_name, m.owner, m.channel, m.stage,
        m.status, m.amount, m.close_date,
        lag(m.status) over w as status_before, lag(m.close_date) over w as close_before
    from mart_deal_snapshots m
    window w as (partition by m.source_system, m.deal_id order by m.snapshot_seq)
)

select source_system, deal_id, snapshot_seq, snapshot_at, deal_name, owner, channel, stage, status, amount,
    close_date, close_before
from steps
where status_before = 'open' and close_date > close_before
order by snapshot_at, source_system, deal_id;
