-- Freshness per source: when was each export type last loaded, and how recent is its data?
-- Grain: one row per export type ever loaded. Parameters: none. Reads: load_log, stg_* tables.
select
    adapter,
    max(finished_at) as last_loaded_at,
    count(*) as loads,
    sum(rows_loaded) as rows_loaded,
    sum(rows_rejected) as rows_rejected,
    max(finished_at) filter (where status = 'failed') as last_failure_at
from load_log
where adapter <> ''
group by adapter
order by adapter
