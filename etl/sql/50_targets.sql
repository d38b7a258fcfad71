-- targets: one row per (month, metric, segment) from targets.csv; the newest load wins.
-- month is the first day of the month; segment 'all' when blank.
create or replace table targets as
select month, metric, coalesce(segment, 'all') as segment, value
from stg_revline__targets
qualify row_number() over (partition by month, metric, coalesce(segment, 'all') order by load_id desc, source_line desc) = 1
order by month, metric, segment;
