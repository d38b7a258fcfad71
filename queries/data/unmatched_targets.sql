-- Targets that name no owner and no channel in the loaded data: a rep spelled differently from the
-- CRM ("Jon Smith" for "Jonathan Smith"), a rep not in the exports yet, a channel with no data. Their
-- numbers count nowhere, so the Sales page lists them instead of dropping them silently.
-- Grain: one row per target segment. Parameters: none.
--   metrics            the metrics the segment has targets for, comma-separated
--   first_month, last_month   the months they cover
-- Matching is by segment_kind, set by the ETL (etl/sql/50_targets.sql): case, spaces and `_` do not
-- matter. Reads: targets.
select segment, string_agg(distinct metric, ', ' order by metric) as metrics,
    min(month) as first_month, max(month) as last_month
from targets
where segment_kind is null
group by segment
order by segment
