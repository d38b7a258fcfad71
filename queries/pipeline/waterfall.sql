-- Pipeline waterfall: how did the open pipeline closing in the period move between two snapshots,
-- per owner or channel? Start, what came in and went out, end (the bars of the Sales page chart).
-- uses: pipeline/moves as moves
-- uses: pipeline/slippage as slips
-- Grain: one row per segment ($by 'owner' | 'channel' | 'total').
-- Parameters: those of pipeline/moves and pipeline/slippage, and $by.
-- Definitions: pipeline/moves (d0, d1 and each bar); amounts in the reporting currency. created counts
-- re-opened deals too (of which reopened); lost counts deleted deals too (of which deleted).
-- pipeline_start + created + pulled_in + increased - decreased - pushed_out - lost - won = pipeline_end.
-- slipping_deals: deals pushed two or more times in the range (pipeline/slippage).
-- Reads: deal_snapshots, mart_deal_snapshots.
with flows as (
    select
        segment_of($by, channel, null, null, owner) as segment,
        sum(start_amount) as pipeline_start,
        sum(move_amount) filter (where move = 'created') as pipeline_created,
        sum(move_amount) filter (where reopened) as reopened,
        sum(move_amount) filter (where move = 'pulled_in') as pipeline_pulled_in,
        sum(change) filter (where change > 0) as pipeline_increased,
        -sum(change) filter (where change < 0) as pipeline_decreased,
        sum(move_amount) filter (where move = 'pushed_out') as pipeline_pushed_out,
        sum(move_amount) filter (where move = 'lost') as pipeline_lost,
        sum(move_amount) filter (where deleted) as deleted,
        sum(move_amount) filter (where move = 'won') as pipeline_won,
        sum(end_amount) as pipeline_end
    from moves
    group by all
),

slipped as (
    select segment_of($by, channel, null, null, owner) as segment, count(*) filter (where slipping) as slipping_deals
    from slips
    group by all
)

select
    coalesce(f.segment, s.segment) as segment,
    coalesce(f.pipeline_start, 0) as pipeline_start,
    coalesce(f.pipeline_created, 0) as pipeline_created, coalesce(f.reopened, 0) as reopened,
    coalesce(f.pipeline_pulled_in, 0) as pipeline_pulled_in,
    coalesce(f.pipeline_increased, 0) as pipeline_increased, coalesce(f.pipeline_decreased, 0) as pipeline_decreased,
    coalesce(f.pipeline_pushed_out, 0) as pipeline_pushed_out,
    coalesce(f.pipeline_lost, 0) as pipeline_lost, coalesce(f.deleted, 0) as deleted,
    coalesce(f.pipeline_won, 0) as pipeline_won,
    coalesce(f.pipeline_end, 0) as pipeline_end,
    coalesce(s.slipping_deals, 0) as slipping_deals
from flows f
full join slipped s on s.segment = f.segment
where exists (select 1 from deal_snapshots)
order by pipeline_end desc, segment
