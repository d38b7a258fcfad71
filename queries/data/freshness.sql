-- Freshness per source: how far each export type's data goes (by the data's own dates, not when it
-- was loaded), how far behind the newest source it is, its gaps, and when it was last exported
-- (where the export carries its time) and loaded.
-- Grain: one row per export type ever loaded. Parameters: none.
-- data_through: the last day its exports cover (mart_coverage rules); days_behind: days between it
-- and the newest source's last day; gap_days: days inside its span no export covers (ad platforms).
-- Reads: load_log, mart_coverage (etl/sql/85_*).
with cov as (
    select adapter, any_value(label) as label, min(first_day) filter (where status = 'covered') as data_from,
        max(last_day) filter (where status = 'covered') as data_through,
        coalesce(sum(days) filter (where status = 'gap'), 0) as gap_days,
        count(distinct account_id) as accounts, max(last_exported_at) as last_exported_at
    from mart_coverage
    group by adapter
),

loads as (
    select adapter, max(finished_at) as last_loaded_at, count(*) as loads, sum(rows_loaded) as rows_loaded,
        sum(rows_rejected) as rows_rejected, max(finished_at) filter (where status = 'failed') as last_failure_at
    from load_log
    where adapter <> ''
    group by adapter
)

select
    l.adapter, coalesce(c.label, l.adapter) as source, c.data_from, c.data_through,
    (select max(data_through) from cov) - c.data_through as days_behind, c.gap_days, c.accounts,
    c.last_exported_at, l.last_loaded_at, l.loads, l.rows_loaded, l.rows_rejected, l.last_failure_at
from loads l
left join cov c using (adapter)
order by c.data_through nulls last, l.adapter
