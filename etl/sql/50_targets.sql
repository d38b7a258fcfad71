-- targets: one row per (month, metric, segment) from targets.csv; the newest export wins
-- (latest_revline__targets, etl/newest.py). month is the first day of the month; segment 'all'
-- when blank, so a blank and an 'all' row of the same month and metric are one target: the newer.
-- segment names the team ('all'), a channel or a rep: the owner exactly as the CRM exports it. A
-- segment that differs from one owner's or channel's spelling only in case, spaces or `_`
-- ("dana  whitfield", "Paid Social") takes that spelling, so every query matches it exactly;
-- segment_kind says what it matched: 'all', 'owner', 'channel', or NULL for a segment matching
-- nothing loaded (listed by queries/data/unmatched_targets.sql, never silently ignored).
-- docs/decisions/0040-target-segments-match-owners-and-channels-loosely.md.
create or replace table targets as
with names as (  -- every owner and channel the loaded data knows, by kind
    select distinct 'owner' as kind, owner as name
    from (select owner from leads union all select owner from deals union all select owner from activities)
    where owner is not null
    union
    select distinct 'channel', channel
    from (select channel from ad_spend union all select channel from leads union all select channel from deals)
    where channel is not null
),

spelling as (  -- a key that names exactly one owner or channel maps to its spelling
    select norm_campaign(name) as key, any_value(name) as name
    from names
    group by 1
    having count(distinct name) = 1
),

mapped as (
    select t.month, regexp_replace(lower(trim(t.metric)), '[\s_-]+', '_', 'g') as metric, t.value, t.load_id, t.source_line,
        case when norm_campaign(coalesce(t.segment, 'all')) = 'all' then 'all'
             else coalesce(s.name, t.segment) end as segment
    from latest_revline__targets t
    left join spelling s on s.key = norm_campaign(t.segment) and t.segment not in (select name from names)
)

select m.month, m.metric, m.segment, m.value,
    case when m.segment = 'all' then 'all'
         when m.segment in (select name from names where kind = 'owner') then 'owner'
         when m.segment in (select name from names where kind = 'channel') then 'channel' end as segment_kind
from mapped m
left join load_log l on l.load_id = m.load_id
qualify row_number() over (
    partition by m.month, m.metric, m.segment
    order by l.exported_at desc nulls last, m.load_id desc, m.source_line desc) = 1
order by month, metric, segment;
