-- targets: one row per (month, metric, segment) from targets.csv; the newest export wins
-- (latest_revline__targets, etl/newest.py). month is the first day of the month; segment 'all'
-- when blank, so a blank and an 'all' row of the same month and metric are one target: the newer.
create or replace table targets as
select t.month, t.metric, coalesce(t.segment, 'all') as segment, t.value
from latest_revline__targets t
left join load_log l on l.load_id = t.load_id
qualify row_number() over (
    partition by t.month, t.metric, coalesce(t.segment, 'all')
    order by l.exported_at desc nulls last, t.load_id desc, t.source_line desc) = 1
order by month, metric, segment;
