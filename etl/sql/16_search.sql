-- Search Console performance exports (etl/contracts/search_console_*.toml). CTR is a fraction here
-- (the export writes "0.43%": 0.0043); a day without impressions has NULL ctr and position.
-- The newest export wins per day / per range and query or page, by the export's own time
-- (its zip or folder name and member times, etl/export_time.py): the latest_ views (etl/newest.py).
-- `property`: the site, from the export's zip or folder name (`https___www.example.com_`, `example.com`),
-- '' for loose files. search_daily: one row per property and day of the chart (Chart.csv / Dates.csv), the property's whole search
-- traffic (anonymised queries included).
create or replace table search_daily as
select property, date, clicks, impressions, ctr / 100 as ctr, position, load_id
from latest_search_console__days
order by property, date;

-- search_queries / search_pages: the top rows of one export's range (range_start..range_end, the
-- first and last day of its chart): at most 1,000 rows, anonymised queries left out, so their sums
-- are below search_daily's. Never split by day: an export per month gives a monthly trend.
-- A real export can list one page (or query) twice with different numbers: both count. The rows of
-- the newest export holding the page for that range are combined: clicks and impressions summed,
-- CTR recomputed, position weighted by impressions (Search Console's own average); `rows` says how many.
-- The queries and pages go through one pass (kind 'query' | 'page', item the query or page).
create or replace temp table _search_top as
with rows as (
    select 'query' as kind, property, range_start, range_end, query as item, clicks, impressions, ctr, position, load_id
    from stg_search_console__queries
    union all by name
    select 'page' as kind, property, range_start, range_end, page as item, clicks, impressions, ctr, position, load_id
    from stg_search_console__pages
),

newest as (
    select s.* from rows s left join load_log lg on lg.load_id = s.load_id
    qualify dense_rank() over (partition by s.kind, s.property, s.range_start, s.range_end, s.item
                               order by lg.exported_at desc nulls last, s.load_id desc) = 1
)

select kind, property, range_start, range_end, item, sum(clicks)::bigint as clicks, sum(impressions)::bigint as impressions,
    case when count(*) = 1 then any_value(ctr) / 100 else sum(clicks) / nullif(sum(impressions), 0) end as ctr,
    case when count(*) = 1 then any_value(position)
         else sum(position * impressions) / nullif(sum(impressions) filter (where position is not null), 0) end as position,
    count(*) as rows, max(load_id) as load_id
from newest
group by kind, property, range_start, range_end, item;

create or replace table search_queries as
select property, range_start, range_end, item as query, clicks, impressions, ctr, position, rows, load_id
from _search_top where kind = 'query'
order by property, range_start, clicks desc, impressions desc, query;

create or replace table search_pages as
select property, range_start, range_end, item as page, clicks, impressions, ctr, position, rows, load_id
from _search_top where kind = 'page'
order by property, range_start, clicks desc, impressions desc, page;
