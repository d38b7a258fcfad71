-- Pipeline moves: how did each deal move the open pipeline closing in the period between two
-- snapshots? The rows behind the waterfall (pipeline/waterfall) and its drill to Records.
-- Grain: one row per deal (per CRM) in the start or the end pipeline.
-- Parameters: $start_date, $end_date (the period P: close dates in it), $as_of (TIMESTAMP), $channel,
-- $owner (lists of values, NULL = all: the deal's owner at d1, else at d0).
-- Snapshots (deal_snapshots, per CRM, ordered by the export's own time): d0 = the last on or before
-- P's first day (else the CRM's first one), d1 = the last on or before the as-of time (or P's end).
-- Resolution: the export cadence; a deal that came and went between two exports is not seen.
-- Definitions (amounts in the reporting currency, a blank amount counts 0):
--   start  open in d0 with close date in P, at d0 amounts;  end  the same in d1
--   a start deal still there puts amount1 - amount0 into increased (> 0) or decreased (< 0); if not in
--   end it leaves at its d1 amount as won, lost, or pushed_out (still open, close date moved out of P);
--   a deleted deal (gone from a later full export) leaves as lost at its d0 amount (deleted = true)
--   an end deal not in start enters at its d1 amount as created (not in d0, or closed or deleted there:
--   reopened = true) or pulled_in (open in d0 with a close date outside P)
--   start + created + pulled_in + increased - decreased - pushed_out - lost - won = end
-- Reads: deal_snapshots, mart_deal_snapshots.
with bounds as (
    select source_system,
        coalesce(max_by(snapshot_id, snapshot_seq) filter (where snapshot_at < $start_date::timestamp + interval 1 day),
                 min_by(snapshot_id, snapshot_seq)) as d0,
        max_by(snapshot_id, snapshot_seq) filter (
            where snapshot_at <= least($as_of::timestamp, $end_date::timestamp + interval 1 day - interval 1 microsecond)) as d1
    from deal_snapshots
    group by source_system
    having d1 is not null  -- a CRM with no export by the as-of time has no pipeline to show yet
),

pairs as (
    select
        coalesce(a.source_system, b.source_system) as source_system, coalesce(a.deal_id, b.deal_id) as deal_id,
        a.snapshot_at as d0_at, b.snapshot_at as d1_at,
        coalesce(a.status = 'open' and a.close_date between $start_date and $end_date, false) as in_start,
        coalesce(b.status = 'open' and b.close_date between $start_date and $end_date, false) as in_end,
        a.status as status0, b.status as status1,
        coalesce(a.amount, 0) as amount0, coalesce(b.amount, 0) as amount1,
        a.close_date as close0, b.close_date as close1,
        coalesce(b.owner, a.owner) as owner, coalesce(b.channel, a.channel) as channel,
        coalesce(b.deal_name, a.deal_name) as deal_name, coalesce(b.stage, a.stage) as stage
    from bounds k
    join mart_deal_snapshots b on b.snapshot_id = k.d1
    full join (select m.* from bounds k join mart_deal_snapshots m on m.snapshot_id = k.d0) a
        on a.source_system = b.source_system and a.deal_id = b.deal_id
),

moved as (
    select p.*,
        case
            when in_start and status1 = 'deleted' then 'lost'
            when in_start and not in_end then case status1 when 'won' then 'won' when 'lost' then 'lost' else 'pushed_out' end
            when in_end and not in_start then case when status0 = 'open' then 'pulled_in' else 'created' end
        end as move,
        case when in_start and coalesce(status1, '') <> 'deleted' then amount1 - amount0 else 0 end as change
    from pairs p
    where (in_start or in_end) and in_selection(owner, $owner) and in_selection(channel, $channel)
)

select
    source_system, deal_id, deal_name, owner, channel, stage, d0_at, d1_at, close0, close1, in_start, in_end,
    case when in_start then amount0 else 0 end as start_amount,
    case when in_end then amount1 else 0 end as end_amount,
    move,
    case when move = 'lost' and status1 = 'deleted' then amount0 when move is not null then amount1 else 0 end as move_amount,
    change,
    coalesce(move = 'lost' and status1 = 'deleted', false) as deleted,
    coalesce(move = 'created' and status0 is not null, false) as reopened
from moved
order by source_system, deal_id
