-- Slippage: which deals keep moving their close date later, how often and by how many days?
-- Grain: one row per deal (per CRM) pushed at least once in the range.
-- Parameters: $start_date, $end_date, $as_of (TIMESTAMP), $channel, $owner (lists, NULL = all).
-- A push: between two consecutive snapshots of the deal's CRM (deal_snapshots, ordered by export
-- time), the deal was open in the earlier one and its close date is later in the later one; a pull-in
-- is not a push. Counted for later snapshots taken in the range, up to the as-of time.
-- outcome: the deal's status now (open, won, lost, deleted). slipping = pushed two or more times. days_pushed = the sum of the pushes' days.
-- Resolution: the export cadence (two moves between two exports are one push).
-- Reads: mart_deal_pushes (each push, from mart_deal_snapshots at load: etl/sql/79_mart_deal_pushes.sql).
select
    source_system, deal_id, arg_max(deal_name, snapshot_seq) as deal_name, arg_max(owner, snapshot_seq) as owner,
    arg_max(channel, snapshot_seq) as channel, arg_max(stage, snapshot_seq) as stage,
    arg_max(status, snapshot_seq) as outcome, arg_max(amount, snapshot_seq) as amount,
    min(close_before) as first_close_date, arg_max(close_date, snapshot_seq) as close_date,
    count(*) as pushes, sum(close_date - close_before) as days_pushed, count(*) >= 2 as slipping
from mart_deal_pushes  -- the pushes: open in the previous snapshot, a later close date in this one
where snapshot_at >= $start_date::timestamp
  and snapshot_at <= least($as_of::timestamp, $end_date::timestamp + interval 1 day - interval 1 microsecond)
  and in_selection(owner, $owner) and in_selection(channel, $channel)
group by source_system, deal_id
order by pushes desc, days_pushed desc, deal_id
