-- mart_projections: Revline's own revenue projection, frozen at every deals snapshot, for the month
-- the snapshot falls in and the two after it. Grain: (snapshot_id, month). Built only from the
-- snapshot's own state (mart_deal_snapshots), which never changes once exported, so a rebuild gives
-- the same numbers: the projection is what Revline would have said at the export's time.
-- won: deals won in the snapshot with a close date in the month; weighted_open: open deals closing in
-- the month, amount x the export's probability, else config's for its stage (a deal with neither adds
-- 0 and is counted in unweighted_deals); projected = won + weighted_open. Amounts in the reporting currency.
-- queries/pipeline/forecast_accuracy.sql judges them once the month has closed.
-- docs/decisions/0135-forecast-accuracy-judges-revlines-frozen-projections.md.
create or replace table mart_projections as
with months as (
    select s.snapshot_id, s.snapshot_at, s.source_system,
        (date_trunc('month', s.snapshot_at) + to_months(k.i))::date as month
    from deal_snapshots s
    cross join (select unnest([0, 1, 2]) as i) k
)

select
    m.snapshot_id, m.snapshot_at, m.source_system, m.month,
    coalesce(sum(d.amount) filter (where d.status = 'won'), 0) as won,
    coalesce(sum(d.amount * coalesce(d.probability, d.stage_probability)) filter (where d.status = 'open'), 0)::decimal(18, 2) as weighted_open,
    coalesce(sum(d.amount) filter (where d.status = 'won'), 0)
        + coalesce(sum(d.amount * coalesce(d.probability, d.stage_probability)) filter (where d.status = 'open'), 0)::decimal(18, 2) as projected,
    count(*) filter (where d.status = 'open' and coalesce(d.probability, d.stage_probability) is null) as unweighted_deals
from months m
left join mart_deal_snapshots d on d.snapshot_id = m.snapshot_id
    and d.close_date >= m.month and d.close_date < m.month + interval 1 month
group by all
order by m.source_system, m.snapshot_at, m.month;
